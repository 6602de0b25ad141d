package dev.spillway.retrieval.testing;

import dev.spillway.retrieval.embed.MiniLmEmbedder;
import java.nio.file.Path;

/** One MiniLM model per test JVM: it takes 0.3-3 s to load, so tests share it. */
public final class SharedModel {
    private SharedModel() {
    }

    private static final class Holder {
        static final MiniLmEmbedder MODEL = MiniLmEmbedder.load(Path.of("target/djl-cache"), Runnable::run);
    }

    public static MiniLmEmbedder miniLm() {
        return Holder.MODEL;
    }
}
