package dev.teeflow.devnet.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replaces every secret value handed to a task by {@code ***} in text that leaves the worker (log tails). */
final class SecretMasker {
    private final List<String> secrets = new ArrayList<>();

    void add(String secret) {
        // Very short values would mask ordinary text and tell nothing; still mask from 3 characters on.
        if (secret != null && secret.length() >= 3) {
            secrets.add(secret);
            secrets.sort(Comparator.comparingInt(String::length).reversed()); // longest first: no partial leaks
        }
    }

    String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }
}
