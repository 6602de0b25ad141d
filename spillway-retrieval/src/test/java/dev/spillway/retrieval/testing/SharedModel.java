package dev.spillway.retrieval.testing;

import dev.spillway.retrieval.embed.LocalEmbedder;
import java.nio.file.Path;

/** One MiniLM model per test JVM: it takes 0.3-3 s to load, so tests share it. */
public final class SharedModel {
    private SharedModel() {
    }

    private static final class Holder {
        static final LocalEmbedder MODEL = LocalEmbedder.load(Path.of("target/djl-cache"), Runnable::run);
    }

    public static LocalEmbedder miniLm() {
        return Holder.MODEL;
    }
}
