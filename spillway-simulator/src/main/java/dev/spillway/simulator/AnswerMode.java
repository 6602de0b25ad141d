package dev.spillway.simulator;

/** How a chat deployment writes its answer; see docs/simulator.md "Extractive answers". */
public enum AnswerMode {
    /** Deterministic readable filler text sized to the requested length. */
    GENERATE,
    /** Sentences of the sources in the prompt most relevant to the question, each cited. */
    EXTRACTIVE,
    /** Extractive when the prompt carries sources, generated otherwise. */
    AUTO
}
