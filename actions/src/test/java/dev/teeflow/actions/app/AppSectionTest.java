package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AppSectionTest {
    private final Problems problems = new Problems();
    private final List<StepSpec> steps = new ArrayList<>();

    private Map<String, StepSpec> expand(Map<String, Object> app) {
        ConfigNode section = ConfigTrees.tree("app", app);
        new AppSection().expand(section, section, problems, steps::add);
        Map<String, StepSpec> byAddress = new LinkedHashMap<>();
        steps.forEach(s -> byAddress.put(s.address(), s));
        return byAddress;
    }

    private static Map<String, Object> sconeChecker() {
        return Map.of("checker", new LinkedHashMap<>(Map.of(
                "build", Map.of("context", ".", "dockerfile", "Dockerfile", "args", Map.of("PY", "3.7")),
                "tee", Map.of("framework", "scone", "entrypoint", "python3 /app/app.py",
                        "binary", "/usr/local/bin/python3.7", "heap", "1G", "fs-dir", "/app",
                        "sconify-image", "teeflow-test/sconify-stand-in"),
                "push", Map.of("repository", "127.0.0.1:5000/tee-app", "tag", "1.0.0",
                        "username", "me", "password", "env:REG_PASSWORD"))));
    }

    @Test
    void anAppBecomesBuildTeeAndPushStepsWiredByReferences() {
        Map<String, StepSpec> s = expand(sconeChecker());

        assertThat(problems.all()).isEmpty();
        assertThat(s.keySet()).containsExactly("app.checker.build", "app.checker.tee", "app.checker.push");
        StepSpec build = s.get("app.checker.build");
        assertThat(build.type()).isEqualTo("app.build");
        assertThat(build.inputs()).containsEntry("context", ".").containsEntry("args", Map.of("PY", "3.7"));

        StepSpec tee = s.get("app.checker.tee");
        assertThat(tee.type()).isEqualTo("app.tee");
        assertThat(tee.inputs()).containsEntry("image-id", new Ref("app.checker.build", "image-id"))
                .containsEntry("framework", "scone").containsEntry("version", "1.0.0")
                .containsEntry("entrypoint", "python3 /app/app.py").containsEntry("heap", "1G")
                .containsEntry("name", "checker");

        StepSpec push = s.get("app.checker.push");
        assertThat(push.type()).isEqualTo("app.push");
        assertThat(push.inputs()).containsEntry("image", new Ref("app.checker.tee", "image"))
                .containsEntry("tag", new Ref("app.checker.tee", "tag"))
                .containsEntry("repository", "127.0.0.1:5000/tee-app")
                .containsEntry("password", SecretRef.env("REG_PASSWORD"));
    }

    @Test
    void theDefaultsGiveATdxAppWithoutPushWhenOnlyTheNameIsWritten() {
        Map<String, StepSpec> s = expand(Map.of("hello", Map.of("build", Map.of())));
        assertThat(problems.all()).isEmpty();
        assertThat(s.keySet()).containsExactly("app.hello.build", "app.hello.tee");
        assertThat(s.get("app.hello.tee").inputs()).containsEntry("framework", "tdx").containsEntry("version", "latest");
        assertThat(s.get("app.hello.build").inputs()).containsEntry("dockerfile", "Dockerfile")
                .containsEntry("tag", "teeflow-app/hello:build");
    }

    @Test
    void unknownKeysAreReportedWithTheirLocationAndASuggestion() {
        expand(Map.of("checker", Map.of(
                "biuld", Map.of(),
                "tee", Map.of("framework", "scone", "entrypoint", "x", "binary", "/b", "haep", "1G"),
                "push", Map.of("repositroy", "r"))));
        List<String> messages = problems.all().stream().map(Object::toString).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("teeflow.yml:").contains("app.checker.biuld")
                .contains("unknown field 'biuld'").contains("did you mean 'build'"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("unknown field 'haep'").contains("did you mean 'heap'"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("unknown field 'repositroy'").contains("did you mean 'repository'"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("missing required field 'repository'"));
    }

    @Test
    void sconeNeedsItsEntrypointAndBinaryAndOtherFrameworksRefuseSconeOptions() {
        expand(Map.of("a", Map.of("tee", Map.of("framework", "scone")),
                "b", Map.of("tee", Map.of("framework", "tdx", "heap", "1G")),
                "c", Map.of("tee", Map.of("framework", "sgx"))));
        List<String> messages = problems.all().stream().map(Object::toString).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("app.a.tee").contains("missing required field 'entrypoint'"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("app.a.tee").contains("missing required field 'binary'"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("app.b.tee.heap").contains("only to framework: scone"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("unknown TEE framework 'sgx'"));
    }

    @Test
    void aPasswordMustBeASecretReference() {
        expand(Map.of("a", Map.of("push", Map.of("repository", "r.example.org/x", "username", "u", "password", "hunter2"))));
        assertThat(problems.all()).anySatisfy(d -> assertThat(d.toString()).contains("app.a.push.password")
                .contains("secret reference"));
        assertThat(problems.all().toString()).doesNotContain("hunter2");
    }

    @Test
    void laterPartsCanBeAppendedWithoutRewritingTheSection() {
        AppPart deploy = new AppPart() {
            @Override
            public String key() {
                return "audit";
            }

            @Override
            public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
                app.block(key()).ifPresent(b -> emit.accept(app.step(key(), "app.audit",
                        Map.of("checksum", app.ref("push", "checksum")), b)));
            }
        };
        ConfigNode section = ConfigTrees.tree("app", Map.of("x", Map.of(
                "push", Map.of("repository", "127.0.0.1:5000/x"), "audit", Map.of())));
        new AppSection().with(deploy).expand(section, section, problems, steps::add);
        assertThat(problems.all()).isEmpty();
        assertThat(steps).extracting(StepSpec::address)
                .containsExactly("app.x.build", "app.x.tee", "app.x.push", "app.x.audit");
    }

    @Test
    void theStepAndSectionTypesAreFoundThroughServiceLoader() {
        Registry registry = Registry.load();
        assertThat(registry.stepTypes()).containsKeys("app.build", "app.tee", "app.push");
        assertThat(registry.sectionTypes()).containsKey("app");
    }
}
