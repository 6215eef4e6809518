package dev.teeflow.cli.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The files of a new project, rendered from the templates kept beside this class. */
public final class Scaffold {
    private final Map<String, String> files;

    private Scaffold(Map<String, String> files) {
        this.files = files;
    }

    public static Scaffold of(ScaffoldChoices c) {
        boolean python = c.language().equals("python");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", c.name());
        values.put("language", python ? "Python" : "JavaScript");
        values.put("tee", c.tee().toUpperCase(java.util.Locale.ROOT));
        values.put("target", c.target());
        values.put("appfile", python ? "src/app.py" : "src/app.js");
        values.put("baseimage", python ? "teeflow/python3:bookworm" : "teeflow/node:bookworm");
        values.put("entrypoint", python ? "python3 /app/app.py" : "node /app/app.js");
        values.put("binary", python ? "/usr/bin/python3.11" : "/usr/bin/node");
        Set<String> flags = new HashSet<>(List.of(c.language(), c.tee(), c.input()));
        flags.add(c.target().equals("devnet") ? "devnet" : "chain");
        if (c.dataset()) {
            flags.add("dataset");
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("teeflow.yml", render("teeflow.yml.tmpl", values, flags));
        files.put(values.get("appfile"), render(python ? "app.py.tmpl" : "app.js.tmpl", values, flags));
        files.put("Dockerfile", render("Dockerfile." + c.language() + ".tmpl", values, flags));
        files.put(".dockerignore", render("dockerignore.tmpl", values, flags));
        files.put(".gitignore", render("gitignore.tmpl", values, flags));
        files.put("README.md", render("README.md.tmpl", values, flags));
        if (c.dataset()) {
            files.put("data/input.txt", render("input.txt.tmpl", values, flags));
        }
        return new Scaffold(files);
    }

    /** Relative path to content, in the order they are written. */
    public Map<String, String> files() {
        return files;
    }

    /** The files that already exist in {@code dir} and would be overwritten. */
    public List<String> existingIn(Path dir) {
        return files.keySet().stream().filter(f -> Files.exists(dir.resolve(f))).toList();
    }

    /** Writes every file (each through a temporary file and a rename, so none is ever half written). */
    public void writeTo(Path dir) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path target = dir.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".teeflow-init-", ".tmp");
            try {
                Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
                // A temporary file is private (0600); these are the project's sources, to edit, share and
                // COPY into an image that may run as another user: rw-r--r--, as an editor would write them.
                if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                }
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String render(String resource, Map<String, String> values, Set<String> flags) {
        try (InputStream in = Scaffold.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("scaffold template " + resource + " is missing from the build");
            }
            return TemplateText.render(new String(in.readAllBytes(), StandardCharsets.UTF_8), values, flags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
