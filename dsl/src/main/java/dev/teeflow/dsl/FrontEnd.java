package dev.teeflow.dsl;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import java.nio.file.Path;

/** Reads one kind of pipeline file into a tree; the rest of the loading is shared. */
interface FrontEnd {
    /** Records recoverable problems; throws {@link dev.teeflow.engine.config.InvalidPipelineException} otherwise. */
    ConfigNode parse(Path file, Problems problems);
}
