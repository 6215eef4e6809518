package dev.teeflow.devnet.sms;

import java.util.Locale;

/** Secret ids as iExec's SMS keys them: addresses lowercased, web2 names lowercased, requester names kept. */
final class Ids {
    private Ids() {
    }

    static String web3(String dataset) {
        return lower(dataset);
    }

    static String web2(String owner, String name) {
        return lower(owner) + "|" + lower(name);
    }

    static String requester(String requester, String name) {
        return lower(requester) + "|" + name;
    }

    static String app(String app) {
        return lower(app);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
