package dev.teeflow.actions.app;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.model.StepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The parts of an app block that this module knows: build, tee, push. */
final class AppParts {
    private AppParts() {
    }

    /** The version that names the TEE image's tag: push.tag, else "latest". */
    static Object version(AppDeclaration app) {
        ConfigNode push = app.node().get("push");
        if (push != null && push.isMap() && push.get("tag") != null && push.get("tag").isScalar()) {
            return InputValues.read(push.get("tag"), app.problems()); // reported here, once
        }
        return "latest";
    }

    /** Whether the tee block names TDX (the default) literally: its tag already carries the image id. */
    static boolean tagCarriesImageId(AppDeclaration app) {
        ConfigNode tee = app.node().get("tee");
        if (tee == null || !tee.isMap() || tee.get("framework") == null) {
            return true;
        }
        return tee.get("framework").value() instanceof String f && f.equalsIgnoreCase("tdx");
    }

    /**
     * What teeflow itself writes or reads in the project (the pipeline file, the fetch folders), kept out
     * of every build context: otherwise each apply changes the context and the plan promises a rebuild
     * (and all that follows it) that Docker's cache then turns into nothing. The state folder is always out.
     */
    static List<String> teeflowOwned(AppDeclaration app) {
        // The default names all, so that the YAML and Groovy forms of one pipeline build the same context.
        List<String> owned = new ArrayList<>(List.of("teeflow.groovy", "teeflow.yaml", "teeflow.yml"));
        Path file = app.root() == null ? null : app.root().location().file();
        if (file != null && file.getFileName() != null && !owned.contains(file.getFileName().toString())) {
            owned.add(file.getFileName().toString());
        }
        owned.addAll(dev.teeflow.actions.run.RunSection.fetchFolders(app.root()));
        return owned;
    }

    static final class Build implements AppPart {
        @Override
        public String key() {
            return "build";
        }

        @Override
        public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
            if (PrebuiltApp.is(app.node())) {
                return; // its image was built elsewhere: deploy names it
            }
            ConfigNode block = app.block(key()).orElse(null);
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("context", ".");
            inputs.put("dockerfile", "Dockerfile");
            inputs.put("tag", app.localRepository() + ":build");
            inputs.put("teeflow-owned", teeflowOwned(app));
            if (block != null) {
                MapReader r = new MapReader(block, app.problems());
                app.copy(r, inputs, "context", "dockerfile", "args", "target", "platform", "labels", "tag");
                r.node("args").filter(n -> !n.isMap()).ifPresent(n -> app.problems().error(n, "expected a map of build arguments, found " + n.describeKind()));
                r.node("labels").filter(n -> !n.isMap()).ifPresent(n -> app.problems().error(n, "expected a map of labels, found " + n.describeKind()));
                r.rejectUnknownKeys();
            }
            emit.accept(app.step(key(), AppBuildStep.ID, inputs, block));
        }
    }

    static final class Tee implements AppPart {
        @Override
        public String key() {
            return "tee";
        }

        @Override
        public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
            if (PrebuiltApp.is(app.node())) {
                return;
            }
            ConfigNode block = app.block(key()).orElse(null);
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("image-id", app.ref("build", "image-id"));
            inputs.put("repository", app.localRepository());
            inputs.put("version", version(app));
            inputs.put("framework", "tdx");
            if (block != null) {
                MapReader r = new MapReader(block, app.problems());
                String framework = r.string("framework", "tdx");
                if (framework != null && !AppTeeStep.FRAMEWORKS.contains(framework.toLowerCase(Locale.ROOT))) {
                    r.node("framework").ifPresent(n -> app.problems().error(n, "unknown TEE framework '" + framework
                            + "'; expected one of " + String.join(", ", AppTeeStep.FRAMEWORKS)
                            + dev.teeflow.engine.config.Suggestions.didYouMean(framework, AppTeeStep.FRAMEWORKS)));
                }
                inputs.put("framework", framework == null ? "tdx" : framework.toLowerCase(Locale.ROOT));
                if ("scone".equalsIgnoreCase(framework)) {
                    inputs.put("name", app.name());
                    for (String required : List.of("entrypoint", "binary")) {
                        r.requiredNode(required);
                    }
                    app.copy(r, inputs, "entrypoint", "binary", "heap", "fs-dir", "host-path", "dlopen",
                            "binary-fs", "sconify-image", "scone-version", "name");
                } else {
                    // Only SCONE reads these; say so instead of silently ignoring them.
                    for (String sconeOnly : List.of("entrypoint", "binary", "heap", "fs-dir", "host-path", "dlopen",
                            "binary-fs", "sconify-image", "scone-version", "name")) {
                        r.node(sconeOnly).ifPresent(n -> app.problems().error(n,
                                "'" + sconeOnly + "' applies only to framework: scone"));
                    }
                }
                r.rejectUnknownKeys();
            }
            emit.accept(app.step(key(), AppTeeStep.ID, inputs, block));
        }
    }

    static final class Push implements AppPart {
        @Override
        public String key() {
            return "push";
        }

        @Override
        public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
            ConfigNode block = app.block(key()).orElse(null);
            if (block == null) {
                return; // a local-only app
            }
            MapReader r = new MapReader(block, app.problems());
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("image", app.ref("tee", "image"));
            app.copy(r, inputs, "repository");
            r.requiredNode("repository");
            // push.tag is the version: the tee step turns it into the pushed tag (read there).
            r.node("tag").filter(n -> n.value() instanceof String t && !t.contains("${{")
                    && !t.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,110}"))
                    .ifPresent(n -> app.problems().error(n, "'" + n.asText() + "' is not a valid Docker tag"
                            + " (letters, digits, '_', '.', '-'; not starting with '.' or '-')"));
            inputs.put("tag", app.ref("tee", "tag"));
            if (!tagCarriesImageId(app)) {
                // scone and none push a fixed repository:tag; the image id makes an edit of the app a new push.
                inputs.put("image-id", app.ref("tee", "image-id"));
            }
            app.copy(r, inputs, "username", "insecure");
            r.node("password").flatMap(n -> InputValues.secretRef(n, app.problems()))
                    .ifPresent(ref -> inputs.put("password", ref));
            if (r.has("password") && !r.has("username")) {
                app.problems().error(block, "'password' needs a 'username'");
            }
            r.rejectUnknownKeys();
            emit.accept(app.step(key(), AppPushStep.ID, inputs, block));
        }
    }
}
