package dev.teeflow.actions.deploy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** For chain step tests that share one {@link ChainLab} between their methods: started first, closed last. */
abstract class OneChainLabPerClass {
    @TempDir
    static Path labDir;
    static ChainLab lab;

    @BeforeAll
    static void startDevnet() {
        lab = new ChainLab(labDir);
    }

    @AfterAll
    static void stopDevnet() {
        if (lab != null) {
            lab.close();
        }
    }
}
