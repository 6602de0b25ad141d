package dev.spillway.gateway.pipeline;

/** The model operation a request asks for, with its path suffix and Azure's operation name. */
public enum Operation {
    CHAT_COMPLETIONS("chat/completions", "ChatCompletions_Create"),
    COMPLETIONS("completions", "Completions_Create"),
    EMBEDDINGS("embeddings", "Embeddings_Create"),
    MODELS("models", "Models_List");

    private final String path;
    private final String azureName;

    Operation(String path, String azureName) {
        this.path = path;
        this.azureName = azureName;
    }

    public String path() {
        return path;
    }

    public String azureName() {
        return azureName;
    }

    /** The operation for a path suffix such as {@code chat/completions}, or null when there is none. */
    public static Operation ofPath(String suffix) {
        for (Operation op : values()) if (op.path.equals(suffix)) return op;
        return null;
    }
}
