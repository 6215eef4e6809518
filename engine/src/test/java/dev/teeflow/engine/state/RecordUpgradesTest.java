package dev.teeflow.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records of every layout teeflow wrote (src/test/resources/record-upgrades) read as today's. */
class RecordUpgradesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path data() throws URISyntaxException {
        return Path.of(RecordUpgradesTest.class.getResource("/record-upgrades/README.md").toURI()).getParent();
    }

    private static List<Path> upgradablePairs() throws Exception {
        try (Stream<Path> files = Files.list(data())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".in.json"))
                    .filter(f -> Files.exists(out(f))).sorted().toList();
        }
    }

    private static Path out(Path in) {
        return in.resolveSibling(in.getFileName().toString().replace(".in.json", ".out.json"));
    }

    /** A state directory holding {@code recordFile} as the record of its address. */
    private StateStore storeWith(Path recordFile, String address) throws Exception {
        StateStore store = new StateStore(dir);
        Files.createDirectories(store.recordFile(address).getParent());
        Files.copy(recordFile, store.recordFile(address));
        return store;
    }

    @Test
    void everyOldRecordReadsAsItsUpgradedForm() throws Exception {
        assertThat(upgradablePairs()).isNotEmpty();
        for (Path in : upgradablePairs()) {
            JsonNode expected = JSON.readTree(out(in).toFile());
            StepRecord read = RecordUpgrades.read(JSON, Files.readAllBytes(in), in.toString());
            assertThat(JSON.readTree(JSON.writeValueAsBytes(read))).as(in.getFileName().toString()).isEqualTo(expected);
            assertThat(read.schema()).isEqualTo(StepRecord.SCHEMA);
        }
    }

    @Test
    void anUpgradedRecordWrittenBackReadsTheSameAndIsNotUpgradedTwice() throws Exception {
        for (Path in : upgradablePairs()) {
            String address = JSON.readTree(in.toFile()).path("address").asText();
            StateStore store = storeWith(in, address);
            StepRecord upgraded = store.read(address).record();
            store.write(upgraded);

            assertThat(JSON.readTree(store.recordFile(address).toFile())).as(in.getFileName().toString())
                    .isEqualTo(JSON.readTree(out(in).toFile()));
            assertThat(store.read(address).record()).isEqualTo(upgraded);
            Files.delete(store.recordFile(address));
        }
    }

    @Test
    void aRecordThatCannotBeUpgradedSaysWhyAndIsTreatedAsDamaged() throws Exception {
        StateStore store = storeWith(data().resolve("schema-1-no-key.in.json"), "app.checker.build");

        StateStore.Read read = store.read("app.checker.build");

        assertThat(read.record()).isNull();
        assertThat(read.problem()).contains("cannot upgrade it from record schema 1: field 'key' is missing or not text");
    }

    @Test
    void aRecordWithoutALayoutNumberIsNotGuessedAt() throws Exception {
        Path file = dir.resolve("no-schema.json");
        Files.writeString(file, "{\"address\":\"a\",\"type\":\"t\",\"typeVersion\":1,\"key\":\"k\"}");
        StateStore store = storeWith(file, "a");

        assertThat(store.read("a").problem()).contains("it has no layout number (field 'schema')");
    }

    @Test
    void aRecordOfANewerTeeflowIsAnErrorNeverARerun() throws Exception {
        Path file = dir.resolve("newer.json");
        Files.writeString(file, "{\"schema\":" + (StepRecord.SCHEMA + 1)
                + ",\"keyScheme\":1,\"address\":\"run.check.deal\",\"type\":\"run.deal\",\"typeVersion\":1,\"key\":\"k\"}");
        StateStore store = storeWith(file, "run.check.deal");

        assertThatThrownBy(() -> store.read("run.check.deal"))
                .isInstanceOf(NewerStateException.class)
                .hasMessageStartingWith("the record of run.check.deal (")
                .hasMessageEndingWith(" was written by a newer teeflow (record schema " + (StepRecord.SCHEMA + 1)
                        + ", this teeflow knows " + StepRecord.SCHEMA + "): upgrade teeflow");
    }
}
