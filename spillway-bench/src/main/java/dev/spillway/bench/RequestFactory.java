package dev.spillway.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * Builds each request of a run: the route, the auth header, the caller's extra headers, and the
 * body (the fixed one, or a generated prompt). Generated prompts are words drawn from a list of
 * common one-token English words, so a prompt of N words is about N tokens (an estimate; no
 * tokenizer runs here), led by a sequence number so no two prompts are identical. One per shard;
 * not thread-safe (it owns the shard's random generator).
 */
final class RequestFactory {
    private static final String[] WORDS = ("time year people way day man thing woman life child world "
            + "school state family student group country problem hand part place case week company "
            + "system program question work government number night point home water room mother area "
            + "money story fact month lot right study book eye job word business issue side kind head "
            + "house service friend father power hour game line end member law car city name team")
            .split(" ");
    /** Tokens the instruction message and chat framing take, subtracted from the context budget. */
    private static final int FRAMING_TOKENS = 24;

    private final LoadSpec spec;
    private final RandomGenerator random;
    private final String uri;
    private final MultiMap headers;
    private final byte[] fixedBody;
    private long sequence;

    RequestFactory(LoadSpec spec, RandomGenerator random) {
        this.spec = spec;
        this.random = random;
        this.uri = uri(spec);
        this.headers = headers(spec);
        this.fixedBody = spec.body().map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    }

    RequestOptions options() {
        URI base = spec.baseUrl();
        return new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(base.getHost()).setPort(port(base)).setSsl("https".equals(base.getScheme()))
                .setURI(uri).setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers))
                .setIdleTimeout(spec.timeout().toMillis());
    }

    Buffer body() {
        return Buffer.buffer(spec.body().isPresent() ? fixedBody : generated().getBytes(StandardCharsets.UTF_8));
    }

    /** Prompt tokens to count when the response reports no usage. */
    long estimatedPromptTokens() {
        return spec.body().isPresent() ? Math.max(1, fixedBody.length / 4) : spec.shape().contextTokens();
    }

    private String generated() {
        int words = Math.max(1, spec.shape().contextTokens() - FRAMING_TOKENS);
        StringBuilder prompt = new StringBuilder(words * 6 + 16).append(++sequence);
        for (int i = 0; i < words; i++) {
            prompt.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        StringBuilder b = new StringBuilder(prompt.length() + 256).append('{');
        if (spec.api() == Api.OPENAI) {
            b.append("\"model\":\"").append(escape(spec.target())).append("\",");
        }
        b.append("\"messages\":[{\"role\":\"user\",\"content\":\"").append(prompt).append("\"},")
                .append("{\"role\":\"user\",\"content\":\"write a long essay about life in at least ")
                .append(spec.shape().maxTokens()).append(" tokens\"}],")
                .append("\"max_tokens\":").append(spec.shape().maxTokens());
        if (spec.stream()) {
            b.append(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        }
        return b.append('}').toString();
    }

    private static String uri(LoadSpec spec) {
        String prefix = spec.baseUrl().getRawPath() == null ? "" : spec.baseUrl().getRawPath().replaceAll("/+$", "");
        if (spec.api() == Api.OPENAI) {
            return prefix + "/v1/chat/completions";
        }
        return prefix + "/openai/deployments/" + URLEncoder.encode(spec.target(), StandardCharsets.UTF_8)
                + "/chat/completions?api-version=" + URLEncoder.encode(spec.apiVersion(), StandardCharsets.UTF_8);
    }

    private static MultiMap headers(LoadSpec spec) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .set("content-type", "application/json")
                .set("x-ms-useragent", "spillway-bench");
        spec.apiKey().ifPresent(key -> {
            if (spec.api() == Api.AZURE) {
                h.set("api-key", key);
            } else {
                h.set("authorization", "Bearer " + key);
            }
        });
        spec.headers().forEach(h::set);
        return h;
    }

    private static int port(URI base) {
        if (base.getPort() > 0) {
            return base.getPort();
        }
        return "https".equals(base.getScheme()) ? 443 : 80;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
