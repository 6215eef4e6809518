package dev.teeflow.devnet.storage;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The first part of a multipart/form-data body: what {@code ipfs add} over HTTP sends (one file part). */
final class MultipartFile {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

    record Part(String filename, byte[] content) {
    }

    private MultipartFile() {
    }

    static Optional<Part> first(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return Optional.empty();
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        if (start < 0) {
            return Optional.empty();
        }
        byte[] blank = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int headersEnd = indexOf(body, blank, start);
        if (headersEnd < 0) {
            return Optional.empty();
        }
        String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
        int contentStart = headersEnd + blank.length;
        byte[] next = ("\r\n--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        int contentEnd = indexOf(body, next, contentStart);
        if (contentEnd < 0) {
            return Optional.empty();
        }
        Matcher f = FILENAME.matcher(headers);
        String filename = f.find() ? URLDecoder.decode(f.group(1), StandardCharsets.UTF_8) : "";
        return Optional.of(new Part(filename, Arrays.copyOfRange(body, contentStart, contentEnd)));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
