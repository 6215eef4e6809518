package dev.teeflow.actions.run;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.chain.ContractCaller;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The chain as a run step sees it: the resolved chain, the wallet, the hub, and the wallet's
 * {@link TxSender}. The sender is taken from {@link StepContext#shared} under the same key as the
 * deploy steps' chain access ({@code teeflow.tx-sender.<chainId>.<rpc>.<address>}), so that parallel
 * deals and deploys of one wallet share one local nonce count.
 */
record RunChain(ChainConfig chain, Wallet wallet, Web3j web3j, TxSender sender, PocoHub hub) {

    static RunChain open(StepContext ctx, ChainResolver chains, boolean needsWallet) {
        Inputs in = ctx.inputs();
        ChainConfig chain = chains.chain(in.child("chain"), ctx.projectDir());
        Web3j web3j = ctx.shared("teeflow.run.web3j." + chain.rpc(), SharedWeb3j.class,
                () -> new SharedWeb3j(Web3j.build(new HttpService(chain.rpc())))).web3j();
        Wallet wallet = null;
        TxSender sender = null;
        if (needsWallet) {
            Wallet w = Wallets.load(in.child("wallet"), ctx, chains);
            wallet = w;
            String key = "teeflow.tx-sender." + chain.chainId() + "." + chain.rpc() + "." + w.address();
            sender = ctx.shared(key, TxSender.class, () -> new TxSender(web3j, w.credentials(), chain.chainId(),
                    Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofSeconds(10)));
        }
        return new RunChain(chain, wallet, web3j, sender, new PocoHub(chain.hub(), new ContractCaller(web3j)));
    }

    ContractCaller caller() {
        return new ContractCaller(web3j);
    }

    /** Fails with one clear message when the node is unreachable or serves another chain. */
    void checkReachable() {
        long actual;
        try {
            actual = web3j.ethChainId().send().getChainId().longValueExact();
        } catch (Exception e) {
            throw new TeeflowException("cannot reach the RPC node of " + chain.describe() + " at " + chain.rpc()
                    + " (" + e.getMessage() + ")" + (chain.devnet() ? "; start it with 'teeflow devnet up'" : ""));
        }
        if (actual != chain.chainId()) {
            throw new TeeflowException("the RPC node at " + chain.rpc() + " serves chain " + actual + ", but "
                    + chain.describe() + " expects chain " + chain.chainId());
        }
    }

    static List<InputFile> inputFiles(Inputs in) {
        List<InputFile> files = new ArrayList<>(ChainResolver.inputFiles(in.child("chain")));
        files.addAll(Wallets.inputFiles(in.child("wallet")));
        return files;
    }

    /** A web3j client closed at the end of the run. */
    record SharedWeb3j(Web3j web3j) implements AutoCloseable {
        @Override
        public void close() {
            web3j.shutdown();
        }
    }
}
