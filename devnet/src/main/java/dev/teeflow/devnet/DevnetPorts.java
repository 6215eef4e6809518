package dev.teeflow.devnet;

import dev.teeflow.devnet.net.LocalPorts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The devnet's ports: consecutive from a base, so that one number (--port-base) moves a whole devnet and two
 * devnets with bases 6 apart never collide.
 */
public record DevnetPorts(int base) {
    public static final int DEFAULT_BASE = 8545;
    /** How many consecutive ports a devnet takes. */
    public static final int COUNT = 6;

    public DevnetPorts {
        if (base < 1024 || base + COUNT - 1 > 65535) {
            throw new DevnetException("--port-base " + base + " is out of range: it must be 1024.." + (65535 - COUNT + 1)
                    + " (the devnet uses " + COUNT + " consecutive ports)");
        }
    }

    public int rpc() { return base; }
    public int sms() { return base + 1; }
    public int market() { return base + 2; }
    public int storage() { return base + 3; }
    public int git() { return base + 4; }
    /** Reserved for the workerpool's task-status API (started by the workerpool component when installed). */
    public int workerpoolApi() { return base + 5; }

    /** Component name to port, in start order. */
    public Map<String, Integer> byComponent() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("chain RPC", rpc());
        m.put("SMS", sms());
        m.put("market API", market());
        m.put("result storage", storage());
        m.put("git host", git());
        m.put("workerpool API", workerpoolApi());
        return m;
    }

    /** Fails with one message naming every busy port and its component, before anything starts. */
    public void requireFree() {
        StringBuilder busy = new StringBuilder();
        byComponent().forEach((component, port) -> {
            if (!LocalPorts.isFree(port)) {
                busy.append(busy.isEmpty() ? "" : ", ").append(port).append(" (").append(component).append(')');
            }
        });
        if (!busy.isEmpty()) {
            throw new DevnetException("port(s) " + busy + " on 127.0.0.1 already in use, so the devnet cannot start: "
                    + "stop what uses them (another devnet? `teeflow devnet status --name ...`) or choose another "
                    + "--port-base (the devnet uses ports base.." + "base+" + (COUNT - 1) + ")");
        }
    }

    /** A base whose {@link #COUNT} ports are all free right now (for tests and --port-base 0). */
    public static DevnetPorts findFree() {
        try {
            return new DevnetPorts(LocalPorts.freeBlock(COUNT));
        } catch (IllegalStateException e) {
            throw new DevnetException(e.getMessage());
        }
    }
}
