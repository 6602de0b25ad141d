package dev.spillway.core.wire;

/**
 * The model operations of the Azure OpenAI / OpenAI API, shared by the gateway and the simulator:
 * each with its path suffix, the name Azure uses in throttling messages ({@code ChatCompletions_Create})
 * and the one it uses in {@code OperationNotSupported} messages ({@code chatCompletion}).
 */
public enum Operation {
    CHAT_COMPLETIONS("chat/completions", "ChatCompletions_Create", "chatCompletion"),
    COMPLETIONS("completions", "Completions_Create", "completion"),
    EMBEDDINGS("embeddings", "Embeddings_Create", "embeddings"),
    /** The Responses API: {@code /openai/v1/responses} and {@code /v1/responses}, never a deployment route. */
    RESPONSES("responses", "Responses_Create", "responses"),
    MODELS("models", "Models_List", "models");

    private final String path;
    private final String azureName;
    private final String shortName;

    Operation(String path, String azureName, String shortName) {
        this.path = path;
        this.azureName = azureName;
        this.shortName = shortName;
    }

    public String path() {
        return path;
    }

    public String azureName() {
        return azureName;
    }

    public String shortName() {
        return shortName;
    }

    /** The operation for a path suffix such as {@code chat/completions}, or null when there is none. */
    public static Operation ofPath(String suffix) {
        for (Operation op : values()) if (op.path.equals(suffix)) return op;
        return null;
    }
}
