package dev.spillway.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script shipped as a class-path resource, run by its SHA-1 ({@code EVALSHA}) and sent in
 * full only when the server does not know it yet ({@code NOSCRIPT}, e.g. after a Redis restart).
 * Immutable, thread-safe.
 */
final class LuaScript {
    private final String source;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    static LuaScript resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing script resource " + name);
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompletionStage<List<Object>> run(RedisAsyncCommands<String, String> redis, String[] keys, String[] args) {
        CompletionStage<List<Object>> bySha = redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        return bySha.exceptionallyCompose(e -> {
            if (unwrap(e) instanceof RedisNoScriptException) {
                return redis.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args);
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
