package dev.teeflow.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback in front of a real server, that fails on command the way networks do: it can
 * refuse the next connections (accepted, then closed at once), cut every open connection, or let a request
 * through and lose its answer (the server did the work; the client never hears of it).
 */
public final class FaultyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuse = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicReference<byte[]> loseAnswerAfter = new AtomicReference<>();
    private final AtomicInteger answersLost = new AtomicInteger();
    private volatile boolean closed;

    private FaultyProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "faulty-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** A proxy to {@code host:port}, listening on a free loopback port. */
    public static FaultyProxy to(String host, int port) throws IOException {
        return new FaultyProxy(new InetSocketAddress(host, port));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (refused ones included). */
    public int connections() {
        return accepted.get();
    }

    /** The next {@code n} connections are accepted and closed at once. */
    public void refuseNext(int n) {
        refuse.set(n);
    }

    /** Closes every open connection now, both ends. */
    public void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /**
     * Once: when the client sends bytes containing {@code marker} (in one read), they reach the server, and the
     * server's answer is dropped and the connection cut: the work is done, its acknowledgement lost.
     */
    public void loseTheAnswerTo(String marker) {
        loseAnswerAfter.set(marker.getBytes(StandardCharsets.UTF_8));
    }

    /** How many answers {@link #loseTheAnswerTo} dropped. */
    public int answersLost() {
        return answersLost.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                open.add(client);
                open.add(upstream);
                AtomicReference<Boolean> dropAnswer = new AtomicReference<>(false);
                pump(client, upstream, dropAnswer, true);
                pump(upstream, client, dropAnswer, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicReference<Boolean> dropAnswer, boolean clientToServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (clientToServer && Boolean.getBoolean("faulty.debug")) {
                        System.err.println("C>S " + new String(buf, 0, n, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "."));
                    }
                    if (clientToServer) {
                        byte[] marker = loseAnswerAfter.get();
                        if (marker != null && contains(buf, n, marker) && loseAnswerAfter.compareAndSet(marker, null)) {
                            dropAnswer.set(true);
                        }
                    } else if (dropAnswer.get()) {
                        answersLost.incrementAndGet();
                        closeQuietly(from);
                        closeQuietly(to);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: so does the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "faulty-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static boolean contains(byte[] buf, int n, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= n; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buf[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        cutAll();
    }
}
