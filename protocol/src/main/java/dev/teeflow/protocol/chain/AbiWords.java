package dev.teeflow.protocol.chain;

import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads ABI-encoded return data word by word. Why not web3j's decoder: PoCo's views return nested
 * structs with dynamic members (viewDeal, viewTask), which web3j only decodes through generated struct
 * classes; reading the words by index is shorter and obvious.
 */
final class AbiWords {
    private final byte[] data;
    private final int base;

    private AbiWords(byte[] data, int base) {
        this.data = data;
        this.base = base;
    }

    static AbiWords of(String hex) {
        return new AbiWords(Numeric.hexStringToByteArray(hex), 0);
    }

    /** The dynamic tuple whose offset is stored in word i (e.g. a struct return value with a string field). */
    AbiWords tuple(int i) {
        return new AbiWords(data, base + offset(i));
    }

    /** A static tuple stored inline starting at word i. */
    AbiWords inline(int i) {
        return new AbiWords(data, base + 32 * i);
    }

    byte[] word(int i) {
        int from = base + 32 * i;
        if (from + 32 > data.length) {
            throw new ChainException("unexpected ABI data: word " + i + " is beyond " + data.length + " bytes");
        }
        return Arrays.copyOfRange(data, from, from + 32);
    }

    BigInteger uint(int i) {
        return new BigInteger(1, word(i));
    }

    boolean bool(int i) {
        return uint(i).signum() != 0;
    }

    String address(int i) {
        return Keys.toChecksumAddress(Numeric.toHexString(Arrays.copyOfRange(word(i), 12, 32)));
    }

    String bytes32(int i) {
        return Numeric.toHexString(word(i));
    }

    byte[] bytes(int i) {
        int at = base + offset(i);
        int length = new BigInteger(1, Arrays.copyOfRange(data, at, at + 32)).intValueExact();
        return Arrays.copyOfRange(data, at + 32, at + 32 + length);
    }

    String string(int i) {
        return new String(bytes(i), StandardCharsets.UTF_8);
    }

    List<String> addresses(int i) {
        AbiWords array = tuple(i);
        int n = array.uint(0).intValueExact();
        List<String> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(array.address(k + 1));
        }
        return out;
    }

    private int offset(int i) {
        return uint(i).intValueExact();
    }
}
