package dev.teeflow.actions.docker;

/**
 * A registry image reference split Docker's way: {@code 127.0.0.1:5000/tee-app:1.0.0} is registry
 * {@code 127.0.0.1:5000}, repository path {@code tee-app}, tag {@code 1.0.0}. Without a registry
 * part the image lives on Docker Hub ({@code library/} added for one-word names).
 */
public record ImageReference(String registry, String path, String tag) {
    public static final String DOCKER_HUB = "registry-1.docker.io";

    /** Parses {@code repository} (without tag) and pairs it with {@code tag}. */
    public static ImageReference of(String repository, String tag) {
        if (repository == null || repository.isBlank()) {
            throw new IllegalArgumentException("empty repository");
        }
        if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid Docker tag"
                    + " (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
        }
        String repo = repository.strip();
        int slash = repo.indexOf('/');
        String first = slash < 0 ? "" : repo.substring(0, slash);
        if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            return new ImageReference(first, repo.substring(slash + 1), tag);
        }
        return new ImageReference(DOCKER_HUB, repo.contains("/") ? repo : "library/" + repo, tag);
    }

    /** The repository as Docker names it locally ({@code 127.0.0.1:5000/tee-app}). */
    public String repository() {
        if (registry.equals(DOCKER_HUB)) {
            return path.startsWith("library/") ? path.substring("library/".length()) : path;
        }
        return registry + "/" + path;
    }

    /** {@code repository:tag}, the multiaddr an iExec app records. */
    public String reference() {
        return repository() + ":" + tag;
    }

    /** Loopback registries are spoken to over plain HTTP and anonymously by default. */
    public boolean isLoopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return reference();
    }
}
