package dev.teeflow.engine.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a path really stays inside the project once symbolic links are followed: the path itself, every
 * folder on the way to it, and, for a folder, every link inside it. Checking the written text alone lets
 * {@code data.csv -> /etc/shadow} through, and a pipeline file may come from a stranger's pull request.
 */
public final class ProjectContainment {
    private ProjectContainment() {
    }

    /** A description of the first link that leads out of {@code project} (or nowhere), or empty. */
    public static Optional<String> escape(Path project, Path path) {
        Path root = real(project).orElse(project.toAbsolutePath().normalize());
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent(); // an output not written yet: check where it would be written
        }
        if (existing == null) {
            return Optional.empty();
        }
        Optional<Path> target = real(existing);
        if (target.isEmpty()) {
            return Optional.of(existing + " is a symbolic link that leads nowhere");
        }
        if (!target.get().startsWith(root)) {
            return Optional.of(existing + " leads to " + target.get());
        }
        if (existing.equals(path) && Files.isDirectory(target.get())) {
            return linkOutOf(root, target.get());
        }
        return Optional.empty();
    }

    private static Optional<String> linkOutOf(Path root, Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isSymbolicLink).map(link -> {
                Optional<Path> target = real(link);
                if (target.isEmpty()) {
                    return link + " is a symbolic link that leads nowhere";
                }
                return target.get().startsWith(root) ? null : link + " leads to " + target.get();
            }).filter(java.util.Objects::nonNull).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("cannot look through " + dir + " for links: " + e.getMessage());
        }
    }

    private static Optional<Path> real(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
