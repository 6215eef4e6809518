package dev.teeflow.engine.model;

/**
 * What running a step does to the world. Pure steps only make local files and values and can be
 * re-run at will; external steps change something others see (a registry, a chain, the SMS, a git
 * remote) and run only after every pure step they can wait for has succeeded.
 */
public enum Effect {
    PURE,
    EXTERNAL
}
