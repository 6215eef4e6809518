package dev.teeflow.devnet;

import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.sms.SecretReader;
import dev.teeflow.devnet.storage.StorageServer;
import dev.teeflow.protocol.devnet.DevnetInfo;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a {@link DevnetComponent} gets at start: the running devnet's public info (addresses, URLs, dev keys), a
 * data directory of its own, the chain, the SMS's secrets (the read path a real SMS gives an enclave), the result
 * store, and a log.
 *
 * @param info     the devnet ({@code devnet.json}); {@code info.workerpoolApi()} is the URL to serve on
 * @param dataDir  a directory for this component's files (created)
 * @param logDir   the devnet's log directory, for files the component writes
 * @param chain    the running chain (senders for the dev accounts, typed hub access)
 * @param secrets  dataset keys, requester secrets, web2 secrets (e.g. result encryption keys)
 * @param storage  the IPFS-gateway-style result store
 * @param log      one line per call, into the daemon's log
 */
public record DevnetContext(DevnetInfo info, Path dataDir, Path logDir, DevChain chain, SecretReader secrets,
                            StorageServer storage, Consumer<String> log) {
    /** The port of {@code info.workerpoolApi()}. */
    public int workerpoolApiPort() {
        return java.net.URI.create(info.workerpoolApi()).getPort();
    }
}
