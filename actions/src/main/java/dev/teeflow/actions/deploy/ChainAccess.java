package dev.teeflow.actions.deploy;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.ContractCaller;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.chain.WalletLock;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * What a chain step works with during one run: the resolved chain, the signing wallet, and ONE
 * {@link TxSender} per (chain, wallet), taken from {@link StepContext#shared}, so that parallel steps
 * of the same wallet share its local nonce count instead of racing for the same nonce. One web3j
 * client per RPC URL is shared the same way and shut down at the end of the run. Other teeflow processes
 * of the machine sending with the same wallet are kept in order by its {@link WalletLock} under the teeflow home.
 *
 * <p>Every chain step reads the inputs {@code chain} ({@code Targets.inputFor}) and {@code wallet}
 * ({@code Wallets.inputFor}).
 */
public final class ChainAccess {
    private final ChainConfig chain;
    private final Wallet wallet;
    private final Web3j web3j;
    private final TxSender sender;
    private final PocoHub hub;

    private ChainAccess(ChainConfig chain, Wallet wallet, Web3j web3j, TxSender sender) {
        this.chain = chain;
        this.wallet = wallet;
        this.web3j = web3j;
        this.sender = sender;
        this.hub = new PocoHub(chain.hub(), new ContractCaller(web3j));
    }

    /** The chain access of a step's {@code chain} and {@code wallet} inputs. */
    public static ChainAccess of(StepContext ctx, TxSettings settings) {
        return of(ctx, settings, ChainResolver.of(ctx));
    }

    public static ChainAccess of(StepContext ctx, TxSettings settings, ChainResolver chains) {
        Inputs in = ctx.inputs();
        ChainConfig chain = chains.chain(in.child("chain"), ctx.projectDir());
        Wallet wallet = Wallets.load(in.child("wallet"), ctx, chains);
        Web3j web3j = web3j(ctx, chain);
        String senderKey = "teeflow.tx-sender." + chain.chainId() + "." + chain.rpc() + "." + wallet.address();
        TxSender sender = ctx.shared(senderKey, TxSender.class, () -> new TxSender(web3j, wallet.credentials(),
                chain.chainId(), settings.pollInterval(), settings.receiptTimeout(), settings.dropGrace())
                .withWalletLock(WalletLock.under(chains.teeflowHome(), chain.chainId(), wallet.address())));
        ChainAccess access = new ChainAccess(chain, wallet, web3j, sender);
        access.checkReachable();
        return access;
    }

    /**
     * Chain access without a wallet, for steps that only read (waiting for a task, checking a deal):
     * {@link #wallet()} and {@link #sender()} are {@code null}. Call {@link #checkReachable()} before
     * relying on an answer.
     */
    public static ChainAccess readOnly(StepContext ctx, ChainResolver chains) {
        ChainConfig chain = chains.chain(ctx.inputs().child("chain"), ctx.projectDir());
        return new ChainAccess(chain, null, web3j(ctx, chain), null);
    }

    private static Web3j web3j(StepContext ctx, ChainConfig chain) {
        return ctx.shared("teeflow.web3j." + chain.rpc(), SharedWeb3j.class,
                () -> new SharedWeb3j(Web3j.build(new HttpService(chain.rpc())))).web3j();
    }

    /** Chain and wallet files that enter a chain step's cache key. */
    public static List<InputFile> inputFiles(Inputs in) {
        List<InputFile> files = new ArrayList<>(ChainResolver.inputFiles(in.child("chain")));
        files.addAll(Wallets.inputFiles(in.child("wallet")));
        return files;
    }

    public ChainConfig chain() {
        return chain;
    }

    public Wallet wallet() {
        return wallet;
    }

    public Web3j web3j() {
        return web3j;
    }

    public TxSender sender() {
        return sender;
    }

    public PocoHub hub() {
        return hub;
    }

    public ContractCaller caller() {
        return new ContractCaller(web3j);
    }

    /**
     * Fails with one clear message when the node is unreachable or serves another chain (which would
     * make the wallet sign for the wrong chain).
     */
    public void checkReachable() {
        long actual;
        try {
            actual = web3j.ethChainId().send().getChainId().longValueExact();
        } catch (Exception e) {
            if (chain.devnetName().isPresent()) {
                String name = chain.devnetName().get();
                throw new TeeflowException("devnet '" + name + "' is not running (nothing answers at " + chain.rpc()
                        + "); start it with '" + ChainConfig.startCommand(name) + "'");
            }
            throw new TeeflowException("cannot reach the RPC node of " + chain.describe() + " at " + chain.rpc()
                    + " (" + e.getMessage() + ")");
        }
        if (actual != chain.chainId()) {
            throw new TeeflowException("the RPC node at " + chain.rpc() + " serves chain " + actual + ", but "
                    + chain.describe() + " expects chain " + chain.chainId() + "; check the chain's 'rpc' and 'id'");
        }
    }

    /** Turns a chain failure into a step error naming the step. */
    static TeeflowException explain(String step, ChainException e) {
        return new TeeflowException(step + ": " + e.getMessage(), e);
    }

    /** A web3j client closed at the end of the run (it owns an HTTP client and a thread pool). */
    record SharedWeb3j(Web3j web3j) implements AutoCloseable {
        @Override
        public void close() {
            web3j.shutdown();
        }
    }
}
