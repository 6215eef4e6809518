package dev.teeflow.actions.app;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.NamedBlocks;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code app:} section: each named app becomes {@code app.<name>.build}, {@code app.<name>.tee}
 * and (with a {@code push:} block) {@code app.<name>.push}, wired by output references.
 * <pre>
 * app:
 *   checker:
 *     build: { context: ., dockerfile: Dockerfile, args: { PY: "3.11" } }
 *     tee:   { framework: scone, entrypoint: python3 /app/app.py, binary: /usr/local/bin/python3.7, heap: 1G, fs-dir: /app }
 *     push:  { repository: 127.0.0.1:5000/tee-app, tag: 1.0.0, username: me, password: env:REG_PASSWORD }
 * </pre>
 */
public final class AppSection implements SectionType {
    private final List<AppPart> parts;

    public AppSection() {
        this(List.of(new AppParts.Build(), new AppParts.Tee(), new AppParts.Push(),
                new AppChainParts.Deploy(), new AppChainParts.PushSecret(), new AppChainParts.Order()));
    }

    /** A section with these parts, in this order (later work appends deploy, push-secret...). */
    public AppSection(List<AppPart> parts) {
        this.parts = List.copyOf(parts);
    }

    /** This section with {@code more} parts appended. */
    public AppSection with(AppPart... more) {
        List<AppPart> all = new ArrayList<>(parts);
        all.addAll(List.of(more));
        return new AppSection(all);
    }

    @Override
    public String key() {
        return "app";
    }

    @Override
    public String doc() {
        return "Apps: each named block builds a Docker image, makes its TEE image and, with push:, pushes it; "
                + "deploy:, secret: and order: put it on chain. Example: app: { checker: { build: { context: . }, "
                + "tee: { framework: scone, entrypoint: python3 /app/app.py, binary: /usr/local/bin/python3 }, "
                + "push: { repository: 127.0.0.1:5000/tee-app, tag: 1.0.0 }, deploy: true } }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return dev.teeflow.engine.spi.SectionSteps.of(
                "app.<name>.build", "app.build",
                "app.<name>.tee", "app.tee",
                "app.<name>.push", "app.push",
                "app.<name>.deploy", "app.deploy",
                "app.<name>.push-secret", "sms.app-secret",
                "app.<name>.order", "order.publish");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        NamedBlocks.forEach(section, problems, "app", "{ checker: { build: { context: . } } }", "build, tee, push, deploy",
                (name, node) -> {
            MapReader reader = new MapReader(node, problems);
            AppDeclaration app = new AppDeclaration(name, node, reader, problems, root);
            for (AppPart part : parts) {
                part.expand(app, emit);
            }
            reader.rejectUnknownKeys();
        });
    }
}
