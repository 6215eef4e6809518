package dev.teeflow.engine.state;

/** Who holds a state directory's lock. */
public record LockInfo(String owner, String host, long pid, String operation, String time) {
    public static LockInfo ofThisProcess(String operation) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown";
        }
        return new LockInfo(System.getProperty("user.name"), host, ProcessHandle.current().pid(), operation,
                java.time.Instant.now().toString());
    }

    public String describe() {
        return "'" + operation + "' by " + owner + " on " + host + " (pid " + pid + ") since " + time;
    }
}
