package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StepRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Makes the record of a step that produced {@code outputs} under {@code key}: shared by apply and import. */
final class StepRecords {
    private StepRecords() {
    }

    static StepRecord of(Session session, String address, StepType type, Decision.CacheKeyHolder key, Outputs produced) {
        Map<String, StepRecord.FileState> files = new LinkedHashMap<>();
        produced.values().forEach((name, v) -> {
            if (v instanceof Outputs.FileOutput f) {
                Path p = f.path().toAbsolutePath().normalize();
                if (!Files.isRegularFile(p)) {
                    throw new TeeflowException(address + ": output '" + name + "' (" + p + ") was not written");
                }
                String rel = p.startsWith(session.projectDir) ? session.projectDir.relativize(p).toString() : p.toString();
                try {
                    files.put(name, new StepRecord.FileState(rel, session.hasher.hashFile(p), Files.size(p)));
                } catch (IOException e) {
                    throw new TeeflowException(address + ": cannot read output " + p + ": " + e.getMessage(), e);
                }
            }
        });
        return new StepRecord(StepRecord.SCHEMA, session.keyScheme, address, type.id(), type.version(), key.value(),
                key.digests(), OutputCodec.encode(produced, session.projectDir), files, Instant.now().toString());
    }
}
