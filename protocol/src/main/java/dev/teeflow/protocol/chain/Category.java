package dev.teeflow.protocol.chain;

/** A PoCo category: its name, description and reference work time in seconds. */
public record Category(String name, String description, long workClockTimeRef) {
}
