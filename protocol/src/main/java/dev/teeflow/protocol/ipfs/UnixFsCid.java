package dev.teeflow.protocol.ipfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CID {@code ipfs add} gives a file with its defaults, which are what the iExec SDK's upload uses (it sends
 * no options): CIDv0 ("Qm..."), 256 KiB chunks, dag-pb leaves holding UnixFS file nodes, and the balanced layout
 * with at most 174 links per node. A file of one chunk is one leaf; a larger one a tree whose inner nodes list
 * their children's file sizes. Streams the file: memory holds one chunk and one entry per leaf.
 */
public final class UnixFsCid {
    public static final int CHUNK = 256 * 1024;
    public static final int MAX_LINKS = 174;
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private UnixFsCid() {
    }

    /** A node of the DAG as its parent links to it: its multihash, its tree size and the file bytes under it. */
    private record Node(byte[] multihash, long treeSize, long fileSize) {
    }

    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    public static String of(byte[] content) {
        try {
            return of(new java.io.ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String of(InputStream in) throws IOException {
        List<Node> level = new ArrayList<>();
        byte[] chunk = new byte[CHUNK];
        while (true) {
            int n = in.readNBytes(chunk, 0, CHUNK);
            if (n == 0 && !level.isEmpty()) {
                break;
            }
            level.add(leaf(chunk, n));
            if (n < CHUNK) {
                break;
            }
        }
        while (level.size() > 1) {
            List<Node> parents = new ArrayList<>();
            for (int i = 0; i < level.size(); i += MAX_LINKS) {
                parents.add(parent(level.subList(i, Math.min(level.size(), i + MAX_LINKS))));
            }
            level = parents;
        }
        return base58(level.get(0).multihash());
    }

    /** Whether {@code text} is shaped like a CIDv0 (guards paths and URLs built from it). */
    public static boolean isCidV0(String text) {
        return text != null && text.length() == 46 && text.startsWith("Qm") && text.chars().allMatch(c -> BASE58.indexOf(c) >= 0);
    }

    private static Node leaf(byte[] chunk, int n) {
        ByteArrayOutputStream unixfs = new ByteArrayOutputStream();
        field(unixfs, 1, 2); // Type = File
        if (n > 0) {
            bytes(unixfs, 2, chunk, n);
        }
        field(unixfs, 3, n); // filesize
        byte[] data = unixfs.toByteArray();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        bytes(block, 1, data, data.length); // PBNode.Data
        byte[] b = block.toByteArray();
        return new Node(multihash(b), b.length, n);
    }

    private static Node parent(List<Node> children) {
        long fileSize = 0;
        long treeSize = 0;
        ByteArrayOutputStream unixfs = new ByteArrayOutputStream();
        field(unixfs, 1, 2);
        for (Node c : children) {
            fileSize += c.fileSize();
        }
        field(unixfs, 3, fileSize);
        for (Node c : children) {
            field(unixfs, 4, c.fileSize()); // blocksizes
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (Node c : children) { // PBNode.Links (field 2) come before Data in dag-pb's canonical form
            ByteArrayOutputStream link = new ByteArrayOutputStream();
            bytes(link, 1, c.multihash(), c.multihash().length); // Hash
            bytes(link, 2, new byte[0], 0); // Name: "" for file chunks
            field(link, 3, c.treeSize()); // Tsize
            byte[] l = link.toByteArray();
            bytes(block, 2, l, l.length);
            treeSize += c.treeSize();
        }
        byte[] data = unixfs.toByteArray();
        bytes(block, 1, data, data.length);
        byte[] b = block.toByteArray();
        return new Node(multihash(b), b.length + treeSize, fileSize);
    }

    private static void field(ByteArrayOutputStream out, int number, long value) {
        varint(out, (long) number << 3);
        varint(out, value);
    }

    private static void bytes(ByteArrayOutputStream out, int number, byte[] value, int length) {
        varint(out, ((long) number << 3) | 2);
        varint(out, length);
        out.write(value, 0, length);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static byte[] multihash(byte[] block) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(block);
            byte[] mh = new byte[34];
            mh[0] = 0x12;
            mh[1] = 0x20;
            System.arraycopy(digest, 0, mh, 2, 32);
            return mh;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base58(byte[] data) {
        BigInteger n = new BigInteger(1, data);
        StringBuilder sb = new StringBuilder();
        BigInteger base = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(base);
            sb.append(BASE58.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (byte b : data) {
            if (b != 0) {
                break;
            }
            sb.append('1');
        }
        return sb.reverse().toString();
    }
}
