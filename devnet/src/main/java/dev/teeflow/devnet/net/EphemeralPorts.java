package dev.teeflow.devnet.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's range of local ports for outgoing connections, which a listener chosen in advance should avoid. */
public final class EphemeralPorts {
    private static final Path LINUX_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default, also close to what macOS (49152-65535) leaves free below it. */
    private static final int[] DEFAULT = {32768, 60999};

    private EphemeralPorts() {}

    public static int[] range() {
        try {
            return parse(Files.readString(LINUX_RANGE));
        } catch (IOException | RuntimeException e) {
            return DEFAULT.clone();
        }
    }

    /** "32768\t60999\n" to {32768, 60999}; anything else to the default. */
    public static int[] parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) {
            return DEFAULT.clone();
        }
        int low = Integer.parseInt(parts[0]);
        int high = Integer.parseInt(parts[1]);
        return low >= 1 && low <= high && high <= 65535 ? new int[] {low, high} : DEFAULT.clone();
    }
}
