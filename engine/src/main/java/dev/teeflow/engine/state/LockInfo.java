package dev.teeflow.engine.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.UUID;

/**
 * Who holds a state's lock: the user, host and pid, the operation, since when, the CI run (a URL) when
 * there is one, the lock's id (what {@code teeflow force-unlock} takes) and until when its lease runs.
 * Lock files written before ids and leases existed read with those fields null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockInfo(String owner, String host, long pid, String operation, String time,
                       String id, String ciRun, String leaseUntil) {
    /** The record of a lock taken before ids and leases (kept for the readers of old lock files). */
    public LockInfo(String owner, String host, long pid, String operation, String time) {
        this(owner, host, pid, operation, time, null, null, null);
    }

    public static LockInfo ofThisProcess(String operation) {
        return ofThisProcess(operation, System.getenv());
    }

    /** This process taking the lock for {@code operation}, with a new id and the CI run {@code env} names. */
    public static LockInfo ofThisProcess(String operation, Map<String, String> env) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown";
        }
        return new LockInfo(System.getProperty("user.name"), host, ProcessHandle.current().pid(), operation,
                java.time.Instant.now().toString(), UUID.randomUUID().toString(), ciRun(env), null);
    }

    /** The same holder with its lease running until {@code until}. */
    public LockInfo withLeaseUntil(String until) {
        return new LockInfo(owner, host, pid, operation, time, id, ciRun, until);
    }

    /** The page of the CI run this process belongs to: GitHub Actions' run URL or Jenkins' BUILD_URL. */
    static String ciRun(Map<String, String> env) {
        String server = env.get("GITHUB_SERVER_URL");
        String repo = env.get("GITHUB_REPOSITORY");
        String run = env.get("GITHUB_RUN_ID");
        if (server != null && repo != null && run != null) {
            return server + "/" + repo + "/actions/runs/" + run;
        }
        return env.get("BUILD_URL");
    }

    public boolean sameHolder(LockInfo other) {
        return other != null && id != null && id.equals(other.id);
    }

    public String describe() {
        return "'" + operation + "' by " + owner + " on " + host + " (pid " + pid + ") since " + time
                + (ciRun == null ? "" : ", CI run " + ciRun)
                + (id == null ? "" : ", lock id " + id);
    }
}
