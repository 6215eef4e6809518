package dev.teeflow.devnet.chain;

import java.util.Locale;

/**
 * The exact npm packages the devnet chain uses, with the integrity hashes recorded from the npm
 * registry ({@code npm view <spec> dist.integrity}). Changing a version means changing its hash here.
 */
public final class PinnedPackages {
    /** anvil 1.7.1, the native binary package behind {@code @foundry-rs/anvil}'s optional dependency. */
    public static final NpmPackage ANVIL_LINUX_X64 = new NpmPackage("@foundry-rs/anvil-linux-amd64", "1.7.1",
            "sha512-+XmShybEaxfCrr0OUUZwYEy2OnYZt5pHH9TzBtLv3+VrK0O/ANuNSVEahqNhKHlgX7GRJ59383ofNhxkRWIYTg==",
            18_891_190);
    /** PoCo 6.1.0: Hardhat artifacts and the arbitrumSepolia deployment files. */
    public static final NpmPackage POCO = new NpmPackage("@iexec/poco", "6.1.0",
            "sha512-BPbDtf2fgQuotr6rf74ACVdwlKqkErEZ8qLbTWM+2CIBj2EX3+6KBGWsFoudoOGjgT7vUJ3jeNX8SWvHzSHg6A==",
            435_888);
    /** The RLC token with a faucet (build/contracts/RLC.json, a Truffle artifact). */
    public static final NpmPackage RLC_FAUCET = new NpmPackage("rlc-faucet-contract", "1.0.10",
            "sha512-pGQyIMcLIUQraCTNIcA4B9FY1g2vJHB8qWg3qbwjA1YUj1490LStKDlA4YlPwPgO/a0NWg0UHD7R9ki3DMGACQ==",
            16_238);

    private PinnedPackages() {
    }

    /** The anvil package for this machine, or a clear error naming the way out. */
    public static NpmPackage anvilForThisPlatform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            return ANVIL_LINUX_X64;
        }
        throw new DevChainException("no pinned anvil package for " + os + "/" + arch
                + " (only linux x64 is pinned): install anvil 1.7.x (https://getfoundry.sh) and set "
                + AnvilBinary.ENV + " to its path");
    }
}
