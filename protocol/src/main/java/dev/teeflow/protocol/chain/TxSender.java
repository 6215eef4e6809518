package dev.teeflow.protocol.chain;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends transactions for ONE wallet, safely from parallel steps.
 *
 * <p>Why not web3j's RawTransactionManager: it asks the node for the nonce on every send (two parallel
 * sends get the same nonce) and polls receipts every 15 s. Here the nonce is kept locally under a lock
 * (fetched once from the pending count, re-fetched after a failed broadcast), gas is estimated per call,
 * the signed transaction's hash is handed to a {@link TxHook} before it is broadcast, and receipts are
 * polled at a short interval.
 */
public final class TxSender {
    private static final BigInteger DEFAULT_PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private final Duration pollInterval;
    private final Duration timeout;
    private final Duration dropGrace;
    private final WalletLock walletLock; // null: this process is the wallet's only sender
    private final Object nonceLock = new Object();
    private BigInteger nextNonce; // guarded by nonceLock; null = ask the node

    public TxSender(Web3j web3j, Credentials credentials, long chainId) {
        this(web3j, credentials, chainId, Duration.ofMillis(250), Duration.ofMinutes(5), Duration.ofSeconds(5));
    }

    /**
     * @param pollInterval how often to ask for a receipt
     * @param timeout      how long to wait for a receipt before giving up (the tx may still be mined later)
     * @param dropGrace    how long a resumed hash may stay unknown to the node before it counts as dropped
     */
    public TxSender(Web3j web3j, Credentials credentials, long chainId,
                    Duration pollInterval, Duration timeout, Duration dropGrace) {
        this(web3j, credentials, chainId, pollInterval, timeout, dropGrace, null);
    }

    private TxSender(Web3j web3j, Credentials credentials, long chainId,
                     Duration pollInterval, Duration timeout, Duration dropGrace, WalletLock walletLock) {
        this.walletLock = walletLock;
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
        this.dropGrace = dropGrace;
    }

    /**
     * This sender, but choosing each nonce under {@code lock}, from the larger of its own count and the node's
     * pending count: other processes may have sent with the same wallet since.
     */
    public TxSender withWalletLock(WalletLock lock) {
        return new TxSender(web3j, credentials, chainId, pollInterval, timeout, dropGrace, lock);
    }

    /** The wallet address, EIP-55 checksummed. */
    public String address() {
        return Keys.toChecksumAddress(credentials.getAddress());
    }

    public long chainId() {
        return chainId;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** Sends a call to {@code to} and waits for a successful receipt. */
    public TransactionReceipt send(String to, String data, TxHook hook) {
        return awaitReceipt(broadcast(to, BigInteger.ZERO, data, hook));
    }

    /** Deploys a contract (creation bytecode with encoded constructor arguments) and waits. */
    public TransactionReceipt deploy(String creationCode, TxHook hook) {
        TransactionReceipt receipt = awaitReceipt(broadcast(null, BigInteger.ZERO, creationCode, hook));
        if (receipt.getContractAddress() == null) {
            throw new ChainException("deploy transaction " + receipt.getTransactionHash() + " created no contract");
        }
        return receipt;
    }

    /**
     * Estimates gas, signs with the next local nonce, calls the hook with the hash, then broadcasts.
     * Returns the transaction hash without waiting. {@code to == null} deploys a contract.
     */
    public String broadcast(String to, BigInteger value, String data, TxHook hook) {
        BigInteger gasLimit = estimateGas(to, value, data);
        Fees fees = fees();
        if (walletLock == null) {
            return signAndBroadcast(to, value, data, hook, gasLimit, fees);
        }
        return walletLock.holding(() -> signAndBroadcast(to, value, data, hook, gasLimit, fees));
    }

    private String signAndBroadcast(String to, BigInteger value, String data, TxHook hook, BigInteger gasLimit, Fees fees) {
        synchronized (nonceLock) {
            if (nextNonce == null) {
                nextNonce = pendingNonce();
            } else if (walletLock != null) {
                nextNonce = nextNonce.max(pendingNonce());
            }
            RawTransaction raw = fees.legacy()
                    ? RawTransaction.createTransaction(nextNonce, fees.gasPrice(), gasLimit, to == null ? "" : to, value, data)
                    : RawTransaction.createTransaction(chainId, nextNonce, gasLimit, to == null ? "" : to, value, data,
                            fees.priorityFee(), fees.maxFee());
            byte[] signed = fees.legacy()
                    ? TransactionEncoder.signMessage(raw, chainId, credentials)
                    : TransactionEncoder.signMessage(raw, credentials);
            String hash = Numeric.toHexString(Hash.sha3(signed));
            hook.beforeBroadcast(hash);
            EthSendTransaction sent;
            try {
                sent = web3j.ethSendRawTransaction(Numeric.toHexString(signed)).send();
            } catch (IOException e) {
                nextNonce = null;
                throw new ChainException("cannot broadcast transaction " + hash + ": " + e.getMessage()
                        + " (is the RPC node reachable?)", e);
            }
            if (sent.hasError()) {
                nextNonce = null; // the node disagrees with our count: ask it again next time
                throw new ChainException("the node refused transaction " + hash + " from " + address()
                        + ": " + sent.getError().getMessage());
            }
            nextNonce = nextNonce.add(BigInteger.ONE);
            hook.afterBroadcast(hash);
            return hash;
        }
    }

    /** Waits for the receipt of a transaction this process sent; a reverted transaction is an error. */
    public TransactionReceipt awaitReceipt(String txHash) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<TransactionReceipt> receipt = rpc(() -> web3j.ethGetTransactionReceipt(txHash).send(),
                    "read the receipt of " + txHash).getTransactionReceipt();
            if (receipt.isPresent()) {
                return checked(receipt.get());
            }
            if (System.nanoTime() > deadline) {
                throw new ChainException("transaction " + txHash + " was not mined within " + timeout.toSeconds()
                        + " s; it may still be mined: run again to resume waiting for it");
            }
            sleep(pollInterval);
        }
    }

    /**
     * Resumes waiting for a hash recorded by an earlier (possibly crashed) run. Sends nothing.
     *
     * @throws TxDroppedException when the node does not know the hash after the drop grace period
     */
    public TransactionReceipt resume(String txHash) {
        long deadline = System.nanoTime() + dropGrace.toNanos();
        while (rpc(() -> web3j.ethGetTransactionByHash(txHash).send(), "look up " + txHash)
                .getTransaction().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TxDroppedException(txHash);
            }
            sleep(pollInterval);
        }
        return awaitReceipt(txHash);
    }

    /** The number of transactions this wallet has mined (the confirmed nonce). */
    public long minedTransactionCount() {
        return rpc(() -> web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.LATEST).send(),
                "read the transaction count of " + address()).getTransactionCount().longValueExact();
    }

    private TransactionReceipt checked(TransactionReceipt receipt) {
        if (!receipt.isStatusOK()) {
            throw new ChainException("transaction " + receipt.getTransactionHash() + " to "
                    + (receipt.getTo() == null ? "(contract creation)" : receipt.getTo())
                    + " reverted in block " + receipt.getBlockNumber());
        }
        return receipt;
    }

    private BigInteger estimateGas(String to, BigInteger value, String data) {
        // 20 % margin: state may change between estimate and inclusion.
        return estimate(to, value, data).multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN);
    }

    /**
     * The gas a call from this wallet would use now ({@code eth_estimateGas}, without the margin the gas
     * limit of {@link #broadcast} adds). Sends nothing; a call that would revert is a {@link ChainException}.
     */
    public BigInteger estimate(String to, BigInteger value, String data) {
        Transaction call = new Transaction(address(), null, null, null, to, value, data);
        EthEstimateGas estimate = rpcAllowingError(() -> web3j.ethEstimateGas(call).send(), "estimate gas");
        if (estimate.hasError()) {
            throw new ChainException("transaction from " + address() + " to "
                    + (to == null ? "(contract creation)" : to) + " would revert: " + estimate.getError().getMessage()
                    + (estimate.getError().getData() == null ? "" : " " + estimate.getError().getData()));
        }
        return estimate.getAmountUsed();
    }

    /**
     * What one unit of gas costs a transaction sent now, as {@link #broadcast} pays it: the latest block's
     * base fee plus the priority fee (the gas price on a chain without base fee). The fee cap broadcast
     * sets is higher (twice the base fee), but a transaction pays only base fee + priority.
     */
    public BigInteger gasPrice() {
        Fees fees = fees();
        return fees.legacy() ? fees.gasPrice() : fees.maxFee().subtract(fees.priorityFee()).shiftRight(1).add(fees.priorityFee());
    }

    private Fees fees() {
        EthBlock.Block latest = rpc(() -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send(),
                "read the latest block").getBlock();
        String baseFeeHex = latest.getBaseFeePerGasRaw();
        if (baseFeeHex == null) {
            BigInteger gasPrice = rpc(() -> web3j.ethGasPrice().send(), "read the gas price").getGasPrice();
            return new Fees(true, gasPrice, null, null);
        }
        BigInteger baseFee = Numeric.decodeQuantity(baseFeeHex);
        var prio = rpcAllowingError(() -> web3j.ethMaxPriorityFeePerGas().send(), "read the priority fee");
        BigInteger priority = prio.hasError() ? DEFAULT_PRIORITY_FEE : prio.getMaxPriorityFeePerGas();
        return new Fees(false, null, priority, baseFee.multiply(BigInteger.TWO).add(priority));
    }

    private BigInteger pendingNonce() {
        return rpc(() -> web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING).send(),
                "read the nonce of " + address()).getTransactionCount();
    }

    private record Fees(boolean legacy, BigInteger gasPrice, BigInteger priorityFee, BigInteger maxFee) { }

    interface Rpc<T> {
        T call() throws IOException;
    }

    /** Runs one JSON-RPC request; an I/O failure or an error answer becomes a ChainException. */
    static <T extends Response<?>> T rpc(Rpc<T> call, String what) {
        T response = rpcAllowingError(call, what);
        if (response.hasError()) {
            throw new ChainException("cannot " + what + ": the node answered " + response.getError().getMessage());
        }
        return response;
    }

    /** Runs one JSON-RPC read, retried while the node is unreachable or overloaded ({@link ChainReads}). */
    static <T extends Response<?>> T rpcAllowingError(Rpc<T> call, String what) {
        return ChainReads.read(call, what);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting for a transaction", e);
        }
    }
}
