package dev.spillway.simulator.http;

/** The inference operations the simulator serves, with Azure's operation names used in 429 messages. */
public enum Operation {
    CHAT("ChatCompletions_Create", "chatCompletion"),
    COMPLETIONS("Completions_Create", "completion"),
    EMBEDDINGS("Embeddings_Create", "embeddings");

    private final String azureName;
    private final String shortName;

    Operation(String azureName, String shortName) {
        this.azureName = azureName;
        this.shortName = shortName;
    }

    /** The name Azure uses in throttling messages ({@code ChatCompletions_Create}). */
    public String azureName() {
        return azureName;
    }

    /** The name Azure uses in {@code OperationNotSupported} messages ({@code chatCompletion}). */
    public String shortName() {
        return shortName;
    }
}
