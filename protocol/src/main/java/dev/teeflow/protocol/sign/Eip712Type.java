package dev.teeflow.protocol.sign;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.web3j.crypto.Hash;

/**
 * An EIP-712 struct type made of atomic fields (address, uintN, bytes32, string, bytes, bool), which is
 * all the PoCo orders and the gateway challenge use. Field order is part of the type and of the hash.
 */
public record Eip712Type(String name, List<Field> fields) {

    public record Field(String name, String type) {
    }

    public Eip712Type {
        fields = List.copyOf(fields);
    }

    /** Builds a type from "name type" pairs: {@code of("Challenge", "challenge", "string")}. */
    public static Eip712Type of(String name, String... nameTypePairs) {
        if (nameTypePairs.length % 2 != 0) {
            throw new IllegalArgumentException("fields of " + name + " must come as name/type pairs");
        }
        var list = new java.util.ArrayList<Field>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            list.add(new Field(nameTypePairs[i], nameTypePairs[i + 1]));
        }
        return new Eip712Type(name, list);
    }

    /** {@code Name(type1 name1,type2 name2)}. */
    public String encodeType() {
        return name + fields.stream().map(f -> f.type() + " " + f.name()).collect(Collectors.joining(",", "(", ")"));
    }

    public byte[] typeHash() {
        return Hash.sha3(encodeType().getBytes(StandardCharsets.UTF_8));
    }

    /** hashStruct(s) = keccak256(typeHash || encodeData(s)); every field must be present in values. */
    public byte[] hashStruct(Map<String, ?> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(typeHash());
        for (Field f : fields) {
            if (!values.containsKey(f.name()) || values.get(f.name()) == null) {
                throw new IllegalArgumentException(name + "." + f.name() + " is missing");
            }
            out.writeBytes(encodeValue(f, values.get(f.name())));
        }
        return Hash.sha3(out.toByteArray());
    }

    private byte[] encodeValue(Field f, Object value) {
        String where = name + "." + f.name();
        String type = f.type();
        try {
            return switch (type) {
                case "address" -> leftPad(Hex.address(value.toString()));
                case "bytes32" -> {
                    byte[] b = Hex.decode(value.toString());
                    if (b.length != 32) {
                        throw new IllegalArgumentException("must be 32 bytes");
                    }
                    yield b;
                }
                case "string" -> Hash.sha3(value.toString().getBytes(StandardCharsets.UTF_8));
                case "bytes" -> Hash.sha3(value instanceof byte[] b ? b : Hex.decode(value.toString()));
                case "bool" -> leftPad(new byte[] {(byte) (Boolean.parseBoolean(value.toString()) ? 1 : 0)});
                default -> {
                    if (type.startsWith("uint")) {
                        yield uint(value);
                    }
                    throw new IllegalArgumentException("type " + type + " is not supported");
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " (" + type + "): " + e.getMessage(), e);
        }
    }

    private static byte[] uint(Object value) {
        BigInteger v = value instanceof BigInteger bi ? bi : new BigInteger(value.toString().trim());
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("out of uint256 range: " + v);
        }
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 32 - len, len);
        return out;
    }

    private static byte[] leftPad(byte[] b) {
        byte[] out = new byte[32];
        System.arraycopy(b, 0, out, 32 - b.length, b.length);
        return out;
    }
}
