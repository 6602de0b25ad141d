package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cache key of a chat request: a SHA-256 over the deployment alias and the body in canonical
 * form (object keys sorted, numbers by value, so {@code 0} and {@code 0.0} agree), leaving out only
 * the fields that never change the answer's content ({@link #IGNORED}). Everything else counts,
 * unknown fields included: two requests that differ in a field Spillway does not know never share
 * an answer. Each value is tagged with its type and length, so no two bodies feed the same bytes.
 * Stateless.
 */
public final class RequestHash {
    /** How the answer is delivered or labelled, not what it says. */
    static final Set<String> IGNORED = Set.of("stream", "stream_options", "user", "metadata", "store", "model");

    private RequestHash() {
    }

    /** The key of the whole request. */
    public static String of(String deployment, ObjectNode body) {
        MessageDigest sha = Partition.sha256();
        text(sha, deployment);
        object(sha, body, IGNORED, -1);
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The semantic {@link SemanticQuery#context()}: the same as {@link #of} but without the text of
     * the last message, which must be the user's ({@link #lastUserText}).
     */
    public static String context(String deployment, ObjectNode body) {
        MessageDigest sha = Partition.sha256();
        text(sha, "semantic");
        text(sha, deployment);
        object(sha, body, IGNORED, body.path("messages").size() - 1);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The text of the last message when it is the user's (string or text parts), else empty. */
    public static String lastUserText(ObjectNode body) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        if (!"user".equals(last.path("role").asText())) return "";
        JsonNode content = last.path("content");
        if (content.isTextual()) return content.asText();
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) if ("text".equals(part.path("type").asText())) text.append(part.path("text").asText());
        return text.toString();
    }

    /** {@code skipContentOf}: the index of the message whose {@code content} is left out, or -1. */
    private static void object(MessageDigest sha, JsonNode node, Set<String> ignored, int skipContentOf) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        node.properties().forEach(e -> {
            if (!ignored.contains(e.getKey())) fields.add(e);
        });
        fields.sort(Map.Entry.comparingByKey());
        sha.update((byte) '{');
        for (Map.Entry<String, JsonNode> e : fields) {
            text(sha, e.getKey());
            if (skipContentOf >= 0 && e.getKey().equals("messages")) messages(sha, e.getValue(), skipContentOf);
            else value(sha, e.getValue());
        }
        sha.update((byte) '}');
    }

    private static void messages(MessageDigest sha, JsonNode messages, int skipContentOf) {
        sha.update((byte) '[');
        for (int i = 0; i < messages.size(); i++) {
            if (i == skipContentOf) object(sha, messages.get(i), Set.of("content"), -1);
            else value(sha, messages.get(i));
        }
        sha.update((byte) ']');
    }

    private static void value(MessageDigest sha, JsonNode v) {
        switch (v.getNodeType()) {
            case OBJECT -> object(sha, v, Set.of(), -1);
            case ARRAY -> {
                sha.update((byte) '[');
                for (JsonNode item : v) value(sha, item);
                sha.update((byte) ']');
            }
            case STRING -> {
                sha.update((byte) 's');
                text(sha, v.asText());
            }
            case NUMBER -> {
                sha.update((byte) 'n');
                // An int or long's plain text is what the BigDecimal route gives it (5, 100, 0):
                // the common case (max_tokens, seed, n) skips the BigDecimal.
                text(sha, v.isInt() || v.isLong() ? Long.toString(v.longValue())
                        : v.decimalValue().stripTrailingZeros().toPlainString());
            }
            case BOOLEAN -> sha.update((byte) (v.asBoolean() ? 'T' : 'F'));
            default -> sha.update((byte) 'z');
        }
    }

    /**
     * Length-prefixed UTF-8, so ("ab","c") and ("a","bc") never digest alike. ASCII text (most of
     * a request) goes through a small per-thread buffer instead of a new byte array per string;
     * the bytes digested are the same either way.
     */
    static void text(MessageDigest sha, String s) {
        if (!ascii(s)) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            length(sha, bytes.length);
            sha.update(bytes);
            return;
        }
        length(sha, s.length());
        byte[] scratch = SCRATCH.get();
        for (int from = 0; from < s.length(); from += scratch.length) {
            int n = Math.min(scratch.length, s.length() - from);
            for (int i = 0; i < n; i++) scratch[i] = (byte) s.charAt(from + i);
            sha.update(scratch, 0, n);
        }
    }

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512]);

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    private static void length(MessageDigest sha, int length) {
        sha.update((byte) (length >>> 24));
        sha.update((byte) (length >>> 16));
        sha.update((byte) (length >>> 8));
        sha.update((byte) length);
    }
}
