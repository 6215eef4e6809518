package dev.teeflow.actions.app;

/**
 * The mrenclave an iExec SCONE app declares on chain: the UTF-8 bytes of
 * {@code {"framework":"SCONE","version":..,"entrypoint":..,"heapSize":..,"fingerprint":..}}. The bytes
 * enter the app's predicted address, so the key order and the formatting (no spaces) are fixed here.
 */
record SconeMrEnclave(String version, String entrypoint, long heapSize, String fingerprint) {
    String json() {
        return "{\"framework\":\"SCONE\",\"version\":" + quote(version)
                + ",\"entrypoint\":" + quote(entrypoint)
                + ",\"heapSize\":" + heapSize
                + ",\"fingerprint\":" + quote(fingerprint) + "}";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
