package dev.spillway.retrieval.embed;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps an {@link Embedder} with a file of vectors keyed by SHA-256 of (model, kind, text), so an
 * evaluation re-run embeds nothing it has embedded before. The file is append-only: records of
 * (key, dimension, floats). Thread-safe; close it to release the file.
 */
public final class CachingEmbedder implements Embedder, AutoCloseable {
    private final Embedder delegate;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final DataOutputStream out;

    private CachingEmbedder(Embedder delegate, Path file) throws IOException {
        this.delegate = delegate;
        if (Files.exists(file)) {
            long complete = load(file);
            if (complete < Files.size(file)) {
                // A run killed mid-write left a partial record; drop it so appends stay aligned.
                try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(complete);
                }
            }
        }
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)));
    }

    public static CachingEmbedder open(Embedder delegate, Path file) {
        try {
            return new CachingEmbedder(delegate, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open embeddings cache " + file, e);
        }
    }

    /** How many vectors the cache holds. */
    public int size() {
        return vectors.size();
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        List<String> keys = texts.stream().map(t -> key("p", t)).toList();
        List<String> missing = new ArrayList<>();
        List<String> missingKeys = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!vectors.containsKey(keys.get(i)) && !missingKeys.contains(keys.get(i))) {
                missing.add(texts.get(i));
                missingKeys.add(keys.get(i));
            }
        }
        if (!missing.isEmpty()) store(missingKeys, delegate.embedPassages(missing));
        return keys.stream().map(vectors::get).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        String key = key("q", query);
        float[] v = vectors.get(key);
        if (v != null) return v;
        v = delegate.embedQuery(query);
        store(List.of(key), List.of(v));
        return v;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void store(List<String> keys, List<float[]> values) {
        try {
            for (int i = 0; i < keys.size(); i++) {
                vectors.put(keys.get(i), values.get(i));
                out.writeUTF(keys.get(i));
                out.writeInt(values.get(i).length);
                for (float f : values.get(i)) out.writeFloat(f);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embeddings cache", e);
        }
    }

    /** Reads every complete record; returns the length in bytes of the complete ones. */
    private long load(Path file) throws IOException {
        long complete = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                String key = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
                vectors.put(key, v);
                complete += 2 + key.length() + 4 + 4L * v.length;
            }
        } catch (EOFException end) {
            return complete;
        }
    }

    private String key(String kind, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((delegate.modelId() + "\n" + kind + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
