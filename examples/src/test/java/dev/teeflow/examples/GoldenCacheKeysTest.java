package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.CacheKey;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the cache key of one step of every registered step type (src/test/resources/golden-keys: a
 * pipeline with fixed inputs, and keys.json). A key that changes while its type's version and the key
 * scheme stay the same would make every user's step of that type run again, a deal pay again: this test
 * fails then. After a deliberate change (a version bump with its upgrade, or a new CacheKey.SCHEME; see
 * docs/upgrading.md), write the new keys with {@code -Dteeflow.golden.update=true} and commit them.
 */
class GoldenCacheKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** What keys.json says of one step. */
    record Golden(String type, int version, int keyScheme, String key) {
    }

    @TempDir
    Path work;

    @Test
    void everyStepTypesKeyIsTheOnePinnedForItsVersion() throws Exception {
        Path fixture = Path.of(getClass().getResource("/golden-keys/keys.json").toURI()).getParent();
        Path project = work.resolve("project");
        ExampleRuns.copyTree(fixture.resolve("project"), project);
        ExampleRuns.copyTree(fixture.resolve("home"), work.resolve("home"));
        byte[] projectKey = new byte[32];
        for (int i = 0; i < projectKey.length; i++) {
            projectKey[i] = (byte) i;
        }
        Files.createDirectories(project.resolve(".teeflow"));
        Files.write(project.resolve(".teeflow/project.key"), projectKey);
        Map<String, String> env = Map.of("TEEFLOW_HOME", work.resolve("home").toString(), "HOME", work.toString(),
                "MY_EMAIL", "alice@example.org", "APP_SECRET", "a fixed app secret");

        Map<String, StepSpec> steps = new HashMap<>();
        Registry registry = WorldUnchanged.withFixedOutputs(steps);
        Pipeline pipeline = new PipelineLoader().load(project.resolve("teeflow.yml"), Map.of(), env, registry);
        steps.putAll(pipeline.steps());
        Report report = Engine.open(pipeline, registry, EngineOptions.defaults(project.resolve(".teeflow")).withEnv(dev.teeflow.engine.testing.BuildHome.with(env)))
                .apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report.toString()).isTrue();

        StateStore store = new StateStore(project.resolve(".teeflow"));
        Map<String, Golden> now = new TreeMap<>();
        for (String address : store.addresses()) {
            StepRecord r = store.read(address).record();
            now.put(address, new Golden(r.type(), r.typeVersion(), r.keyScheme(), r.key()));
        }
        assertThat(new TreeSet<>(now.values().stream().map(Golden::type).toList()))
                .as("a step of every registered step type in golden-keys/project/teeflow.yml")
                .containsAll(Registry.load().stepTypes().keySet());

        if (Boolean.getBoolean("teeflow.golden.update")) {
            JSON.writeValue(Path.of("src/test/resources/golden-keys/keys.json").toFile(), now);
            return;
        }
        Map<String, Golden> pinned = new TreeMap<>();
        JSON.readTree(fixture.resolve("keys.json").toFile()).fields()
                .forEachRemaining(e -> pinned.put(e.getKey(), JSON.convertValue(e.getValue(), Golden.class)));
        List<String> problems = new ArrayList<>();
        now.forEach((address, g) -> {
            Golden p = pinned.get(address);
            if (p == null) {
                problems.add(address + " (" + g.type() + "): no pinned key; write it with -Dteeflow.golden.update=true");
            } else if (p.version() != g.version() || p.keyScheme() != g.keyScheme()) {
                problems.add(address + " (" + g.type() + "): pinned for version " + p.version() + " under key scheme "
                        + p.keyScheme() + ", now version " + g.version() + " under key scheme " + g.keyScheme()
                        + "; if the upgrade is deliberate and tested, write the new key with -Dteeflow.golden.update=true");
            } else if (!p.key().equals(g.key())) {
                problems.add(address + " (" + g.type() + " version " + g.version() + "): its cache key changed while "
                        + "neither the type's version nor the key scheme (" + CacheKey.SCHEME + ") did; every user's "
                        + "step would run again. Bump the type's version (and say in upgradeFrom what older records "
                        + "mean) or CacheKey.SCHEME; see docs/upgrading.md");
            }
        });
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
        assertThat(now.keySet()).isEqualTo(pinned.keySet());
    }
}
