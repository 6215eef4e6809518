package dev.teeflow.protocol.chain;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes the transactions of ONE wallet on one chain across every teeflow process of the machine:
 * an operating-system lock on {@code <home>/wallets/<chainId>-<address>.lock}, held while a nonce is chosen,
 * signed and broadcast. Two project folders that share a wallet would otherwise each count nonces on their
 * own and the second would be refused ("nonce too low"). The kernel releases the lock when its holder dies.
 *
 * <p>Java file locks belong to the whole JVM, so two senders of one JVM also take an in-process lock first.
 */
public final class WalletLock {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;

    private WalletLock(Path file) {
        this.file = file;
    }

    /** The lock of {@code address} on chain {@code chainId}, kept under {@code home} (the teeflow home). */
    public static WalletLock under(Path home, long chainId, String address) {
        return new WalletLock(home.resolve("wallets").resolve(chainId + "-" + address.toLowerCase(Locale.ROOT) + ".lock")
                .toAbsolutePath().normalize());
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} while holding the wallet's lock, waiting for another holder to finish. */
    public <T> T holding(Supplier<T> work) {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new ChainException("cannot take the wallet lock " + file + " that keeps the transactions of one "
                    + "wallet in order across teeflow processes: " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }
}
