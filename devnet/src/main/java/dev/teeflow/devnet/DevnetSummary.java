package dev.teeflow.devnet;

import dev.teeflow.protocol.devnet.DevnetInfo;
import java.io.PrintStream;
import java.util.List;

/** The human summary printed by {@code devnet up} and {@code devnet status}. */
public final class DevnetSummary {
    private DevnetSummary() {
    }

    public static void print(DevnetInfo info, List<DevnetHealth.Probe> probes, PrintStream out) {
        out.println("devnet '" + info.name() + "'  chain id " + info.chainId() + "  (simulated TEE: no enclave hardware)");
        out.println();
        for (DevnetHealth.Probe p : probes) {
            out.printf("  %-4s %-15s %-28s %s%n", p.healthy() ? "ok" : "DOWN", p.component(), p.url(), p.detail());
        }
        out.println();
        out.printf("  %-19s %s%n", "hub (PoCo)", info.hub());
        out.printf("  %-19s %s%n", "RLC token", info.rlc());
        out.printf("  %-19s %s%n", "app registry", info.appRegistry());
        out.printf("  %-19s %s%n", "dataset registry", info.datasetRegistry());
        out.printf("  %-19s %s%n", "workerpool registry", info.workerpoolRegistry());
        out.printf("  %-19s %s  (orders: %s)%n", "workerpool", info.workerpool(),
                "tee,scone / tee,tdx / standard, free");
        out.println();
        out.println("  dev accounts -- PUBLIC TEST KEYS (anvil's default mnemonic): never send real funds to them");
        for (DevnetInfo.Account a : info.accounts()) {
            if (!a.role().equals("spare")) {
                out.printf("    %-17s %s  %s%n", a.role(), a.address(), a.privateKey());
            }
        }
        out.println();
        out.println("  iexec CLI: `teeflow devnet env --name " + info.name() + "` prints its chain.json");
    }
}
