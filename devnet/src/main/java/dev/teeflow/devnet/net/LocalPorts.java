package dev.teeflow.devnet.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports chosen before the server that will listen on them starts. They are drawn outside the
 * kernel's ephemeral range: a port inside it can be taken, between the check and the bind, by the local end of
 * any outgoing connection (a devnet daemon makes hundreds to anvil while it starts).
 */
public final class LocalPorts {
    private static final int LOWEST = 10000;

    private LocalPorts() {}

    /** The first of {@code count} consecutive ports that are all free right now. */
    public static int freeBlock(int count) {
        int[] ephemeral = EphemeralPorts.range();
        int low = LOWEST;
        int high = ephemeral[0] - count; // the last first-port whose block ends below the ephemeral range
        if (high - low < 1000) { // an unusual range starting low: use the space above it instead
            low = ephemeral[1] + 1;
            high = 65536 - count;
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = low + ThreadLocalRandom.current().nextInt(Math.max(1, high - low + 1));
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("found no " + count + " consecutive free ports on 127.0.0.1 between " + low
                + " and " + (high + count - 1));
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (!isFree(port)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // a port in TIME_WAIT is free to bind
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
