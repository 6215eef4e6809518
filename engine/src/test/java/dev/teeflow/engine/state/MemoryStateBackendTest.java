package dev.teeflow.engine.state;

/** The test fixture keeps the contract too, so tests built on it say something about real backends. */
class MemoryStateBackendTest extends StateBackendContract {
    private MemoryStateBackend store;

    @Override
    protected StateBackend newBackend() {
        store = new MemoryStateBackend();
        return store;
    }

    @Override
    protected StateBackend sameStoreAgain() {
        return new StateBackend() {
            // a second client of the same in-memory store: every call goes to it, close does nothing
            @Override public String kind() { return store.kind(); }
            @Override public String location() { return store.location(); }
            @Override public boolean isRemote() { return true; }
            @Override public java.util.Optional<Blob> get(String key) { return store.get(key); }
            @Override public String put(String key, byte[] bytes, String expected) { return store.put(key, bytes, expected); }
            @Override public void delete(String key) { store.delete(key); }
            @Override public java.util.List<String> list(String prefix) { return store.list(prefix); }
            @Override public java.util.List<Revision> history(String key) { return store.history(key); }
            @Override public LockAttempt tryLock(LockInfo me, java.time.Duration lease) { return store.tryLock(me, lease); }
            @Override public boolean renewLock(LockInfo me, java.time.Duration lease) { return store.renewLock(me, lease); }
            @Override public void releaseLock(LockInfo me) { store.releaseLock(me); }
            @Override public java.util.Optional<LockInfo> lockHolder() { return store.lockHolder(); }
            @Override public java.util.Optional<LockInfo> forceUnlock(String lockId) { return store.forceUnlock(lockId); }
        };
    }
}
