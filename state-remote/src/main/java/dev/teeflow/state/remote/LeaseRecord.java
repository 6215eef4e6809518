package dev.teeflow.state.remote;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.state.LockInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock object of a remote state ({@code lock.json}): who holds it, for how long their lease runs, or
 * that it was let go. Stored in plain JSON (it holds no secret) so that a run without the passphrase can
 * still say who is holding the state.
 *
 * @param holder who took it; its {@code leaseUntil} is the holder's clock, shown to people
 * @param leaseMillis how long (milliseconds) the lease runs after the lock object was last written
 * @param released true once the holder let go (the object stays, so that the next take is a compare-and-swap)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeaseRecord(LockInfo holder, long leaseMillis, boolean released) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static LeaseRecord held(LockInfo me, Duration lease, Instant now) {
        return new LeaseRecord(me.withLeaseUntil(now.plus(lease).toString()), lease.toMillis(), false);
    }

    public LeaseRecord releasedNow() {
        return new LeaseRecord(holder, leaseMillis, true);
    }

    /** Whether {@code me} is the holder named here (by lock id). */
    public boolean heldBy(LockInfo me) {
        return !released && holder != null && holder.sameHolder(me);
    }

    /**
     * Whether the lease ran out at {@code now}, counted from {@code writtenAt} (the store's own time of the
     * last write when it has one) or else from the holder's {@code leaseUntil}.
     */
    public boolean expired(Optional<Instant> writtenAt, Instant now) {
        if (writtenAt.isPresent()) {
            return !now.isBefore(writtenAt.get().plusMillis(leaseMillis));
        }
        if (holder == null || holder.leaseUntil() == null) {
            return true; // a lock that names no lease cannot be kept alive by anyone
        }
        return !now.isBefore(Instant.parse(holder.leaseUntil()));
    }

    /** Free to take: let go, or its lease ran out. */
    public boolean free(Optional<Instant> writtenAt, Instant now) {
        return released || expired(writtenAt, now);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in {@code bytes}; an unreadable lock object reads as held by an unknown holder with no lease. */
    public static LeaseRecord parse(byte[] bytes) {
        try {
            LeaseRecord r = JSON.readValue(bytes, LeaseRecord.class);
            if (r != null && r.holder() != null) {
                return r;
            }
        } catch (IOException e) {
            // fall through: treated as a damaged lock
        }
        return new LeaseRecord(new LockInfo("unknown", "unknown", -1, "unknown (unreadable lock object)", "unknown"), 0, false);
    }
}
