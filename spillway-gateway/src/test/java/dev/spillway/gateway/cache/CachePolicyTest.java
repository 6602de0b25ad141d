package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.TelemetryConfig;
import dev.spillway.gateway.testkit.Exchanges;
import dev.spillway.gateway.testkit.FakeStream;
import dev.spillway.gateway.testkit.PolicyHarness;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache policy alone, on the in-memory store: what is served, to whom, and what is never kept. */
class CachePolicyTest {
    static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is PTU?\"}],\"temperature\":0}";
    static final String ANSWER = """
            {"id":"chatcmpl-orig","object":"chat.completion","created":1,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Provisioned throughput."},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}""";

    final AtomicLong nanos = new AtomicLong();
    final CaffeineResponseCache store = new CaffeineResponseCache(DataSize.ofMebibytes(8), nanos::get);
    final Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    CachePolicy policy(CacheConfig config) {
        return new CachePolicy(config, store, SemanticIndex.DISABLED,
                new GatewayMetrics(TelemetryConfig.defaults(), Set.of(), Set.of()), clock);
    }

    static CacheConfig on() {
        return new CacheConfig(true, Duration.ofMinutes(10), DataSize.ofMebibytes(8), DataSize.ofKibibytes(256),
                CacheConfig.Scope.APP, true, false, CacheConfig.Semantic.DEFAULT, Map.of());
    }

    static Exchange ask(String app, String body, String... headers) {
        Exchange e = Exchanges.chat(body, headers);
        e.caller(new Caller("key-" + app, app, "team", "user-1", "sk-spw-x"));
        return e;
    }

    static Reply json(int status, String body) {
        return Reply.json(status, Buffer.buffer(body));
    }

    /** One request through the policy in front of {@code answer}; completes it as the server would. */
    Reply run(CachePolicy p, Exchange e, PolicyHarness h, Outcome outcome) {
        Reply reply = PolicyHarness.read(h.run(e).result());
        e.complete(outcome);
        return reply;
    }

    Reply miss(CachePolicy p, Exchange e, String answer) {
        PolicyHarness h = new PolicyHarness(p).answers(json(200, answer)).uses(new Usage(11, 3, 0, 0, true));
        Reply r = run(p, e, h, new Outcome(200, 100, true, false));
        assertThat(h.proceeded()).isTrue();
        return r;
    }

    /** The cached reply, or empty when the request went on (to a backend that fails, so nothing is kept). */
    Optional<Reply> hit(CachePolicy p, Exchange e) {
        PolicyHarness h = new PolicyHarness(p).answers(json(503, "{\"error\":{\"code\":\"busy\"}}"));
        Reply r = run(p, e, h, new Outcome(503, 100, true, false));
        return h.proceeded() ? Optional.empty() : Optional.of(r);
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheWithAFreshIdAndNoBackendTokens() {
        CachePolicy p = policy(on());
        Reply first = miss(p, ask("acme", ASK), ANSWER);
        assertThat(first.headers().get("x-spillway-cache")).isEqualTo("miss");

        Exchange again = ask("acme", ASK);
        Reply second = hit(p, again).orElseThrow();
        JsonNode body = body(second);
        assertThat(second.headers().get("x-spillway-cache")).isEqualTo("hit");
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Provisioned throughput.");
        assertThat(body.path("id").asText()).isEqualTo("chatcmpl-" + again.requestId()).isNotEqualTo("chatcmpl-orig");
        assertThat(body.path("created").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(again.usage().totalTokens()).isZero();
        assertThat(again.usage().reported()).isTrue();
        assertThat(again.cacheHit().orElseThrow().promptTokens()).isEqualTo(11);
        assertThat(again.cacheHit().orElseThrow().backend()).isEqualTo("b1");
    }

    @Test
    void anotherAppNeverGetsTheAnswer() {
        CachePolicy p = policy(on());
        miss(p, ask("acme", ASK), ANSWER);
        assertThat(hit(p, ask("globex", ASK))).isEmpty();
    }

    @Test
    void aCallerOutsideTheAccessGroupsTheAnswerWasMadeForMisses() {
        CachePolicy p = policy(on());
        miss(p, ask("chat", ASK, "x-spillway-access-groups", "hr, finance"), ANSWER);
        assertThat(hit(p, ask("chat", ASK, "x-spillway-access-groups", "finance"))).isEmpty();
        assertThat(hit(p, ask("chat", ASK))).isEmpty();
        assertThat(hit(p, ask("chat", ASK, "x-spillway-access-groups", "finance,hr"))).isPresent();
    }

    @Test
    void aUserPartitionKeepsUsersApart() {
        CacheConfig byUser = new CacheConfig(true, Duration.ofMinutes(10), DataSize.ofMebibytes(8),
                DataSize.ofKibibytes(256), CacheConfig.Scope.USER, true, false, CacheConfig.Semantic.DEFAULT, Map.of());
        CachePolicy p = policy(byUser);
        miss(p, ask("acme", ASK), ANSWER);
        Exchange other = ask("acme", ASK);
        other.caller(new Caller("key-acme", "acme", "team", "user-2", "sk-spw-x"));
        assertThat(hit(p, other)).isEmpty();
    }

    @Test
    void errorsRateLimitsAndFilteredAnswersAreNeverKept() {
        CachePolicy p = policy(on());
        for (int status : new int[] {429, 500, 400}) {
            PolicyHarness h = new PolicyHarness(p).answers(json(status, "{\"error\":{\"code\":\"x\"}}"));
            run(p, ask("acme", ASK), h, new Outcome(status, 10, true, false));
            assertThat(hit(p, ask("acme", ASK))).as("after a %d", status).isEmpty();
        }
        miss(p, ask("acme", ASK), ANSWER.replace("\"stop\"", "\"content_filter\""));
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
        miss(p, ask("acme", ASK), ANSWER.replace("\"finish_reason\":\"stop\"",
                "\"finish_reason\":\"stop\",\"content_filter_results\":{\"hate\":{\"filtered\":true,\"severity\":\"high\"}}"));
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
    }

    @Test
    void anAnswerTheSafetyGuardTouchedIsNotKept() {
        CachePolicy p = policy(on());
        Exchange e = ask("acme", ASK);
        PolicyHarness h = new PolicyHarness(p).answers(json(200, ANSWER));
        PolicyHarness.read(h.run(e).result());
        e.safetyFinding("output:pii:email:redact");
        e.complete(new Outcome(200, 100, true, false));
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
    }

    @Test
    void aStreamCutShortOrLeftByTheClientIsNotKept() {
        CachePolicy p = policy(on());
        FakeStream cut = new FakeStream();
        Exchange e = ask("acme", streamed(ASK));
        PolicyHarness.read(new PolicyHarness(p).streams(cut).run(e).result());
        textStream(cut, "Provisioned");
        e.complete(new Outcome(200, 0, false, false));
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
        // the client left after the whole stream: still not kept
        FakeStream whole = new FakeStream();
        Exchange gone = ask("acme", streamed(ASK));
        PolicyHarness.read(new PolicyHarness(p).streams(whole).run(gone).result());
        textStream(whole, "Provisioned", " throughput.");
        gone.complete(new Outcome(200, 100, false, true));
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
        // a stream that ends without [DONE] is not whole either
        FakeStream noDone = new FakeStream();
        Exchange short1 = ask("acme", streamed(ASK));
        PolicyHarness.read(new PolicyHarness(p).streams(noDone).run(short1).result());
        noDone.push(frame("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Provi\"},\"finish_reason\":null}]}"));
        noDone.end();
        short1.complete(new Outcome(200, 100, true, false));
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
    }

    @Test
    void aStreamedMissIsKeptAssembledAndReplayedAsJsonOrAsAStream() throws Exception {
        CachePolicy p = policy(on());
        FakeStream source = new FakeStream();
        Exchange e = ask("acme", streamed(ASK));
        PolicyHarness.read(new PolicyHarness(p).streams(source).uses(new Usage(11, 3, 0, 0, true)).run(e).result());
        textStream(source, "Provisioned", " throughput.");
        e.complete(new Outcome(200, 100, true, false));

        JsonNode whole = body(hit(p, ask("acme", ASK)).orElseThrow());
        assertThat(whole.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Provisioned throughput.");
        assertThat(whole.path("object").asText()).isEqualTo("chat.completion");

        Reply replay = hit(p, ask("acme", streamed(ASK).replace("\"stream\":true",
                "\"stream\":true,\"stream_options\":{\"include_usage\":true}"))).orElseThrow();
        List<String> frames = frames(replay);
        assertThat(replay.headers().get("content-type")).isEqualTo("text/event-stream");
        assertThat(frames.getFirst()).contains("\"role\":\"assistant\"");
        assertThat(frames.getLast()).isEqualTo("[DONE]");
        assertThat(frames.get(frames.size() - 2)).contains("\"usage\":{\"prompt_tokens\":11");
        StringBuilder text = new StringBuilder();
        for (String f : frames.subList(0, frames.size() - 1)) {
            text.append(Json.MAPPER.readTree(f).path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(text.toString()).isEqualTo("Provisioned throughput.");
    }

    @Test
    void aToolCallAnswerIsReplayedIntact() throws Exception {
        CachePolicy p = policy(on());
        FakeStream source = new FakeStream();
        Exchange e = ask("acme", streamed(ASK));
        PolicyHarness.read(new PolicyHarness(p).streams(source).run(e).result());
        String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,";
        source.push(frame(head + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},"
                + "\"finish_reason\":null}]}"));
        source.push(frame(head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},"
                + "\"finish_reason\":null}]}"));
        source.push(frame(head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]},"
                + "\"finish_reason\":null}]}"));
        source.push(frame(head + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}") + "data: [DONE]\n\n");
        source.end();
        e.complete(new Outcome(200, 100, true, false));

        JsonNode call = body(hit(p, ask("acme", ASK)).orElseThrow()).path("choices").get(0).path("message")
                .path("tool_calls").get(0);
        assertThat(call.path("id").asText()).isEqualTo("call_1");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");

        List<String> frames = frames(hit(p, ask("acme", streamed(ASK))).orElseThrow());
        StringBuilder args = new StringBuilder();
        String name = "";
        String finish = "";
        for (String f : frames.subList(0, frames.size() - 1)) {
            JsonNode choice = Json.MAPPER.readTree(f).path("choices").path(0);
            JsonNode tc = choice.path("delta").path("tool_calls").path(0);
            if (tc.has("id")) name = tc.path("function").path("name").asText();
            args.append(tc.path("function").path("arguments").asText(""));
            if (choice.hasNonNull("finish_reason")) finish = choice.path("finish_reason").asText();
        }
        assertThat(name).isEqualTo("get_weather");
        assertThat(args.toString()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void onlyDeterministicRequestsAreKeptUnlessTheyAskForIt() {
        CachePolicy p = policy(on());
        String warm = ASK.replace("\"temperature\":0", "\"temperature\":0.7");
        miss(p, ask("acme", warm), ANSWER);
        assertThat(hit(p, ask("acme", warm))).isEmpty();
        miss(p, ask("acme", warm, "x-spillway-cache", "store"), ANSWER);
        assertThat(hit(p, ask("acme", warm))).isPresent();
    }

    @Test
    void noCacheSkipsTheLookupAndNoStoreSkipsTheWrite() {
        CachePolicy p = policy(on());
        miss(p, ask("acme", ASK, "x-spillway-cache", "no-store"), ANSWER);
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
        miss(p, ask("acme", ASK), ANSWER);
        assertThat(hit(p, ask("acme", ASK, "cache-control", "no-cache"))).isEmpty();
        assertThat(hit(p, ask("acme", ASK))).isPresent();
    }

    @Test
    void requestsThatDifferInAnyFieldThatShapesTheAnswerDoNotShareIt() {
        CachePolicy p = policy(on());
        miss(p, ask("acme", ASK), ANSWER);
        assertThat(hit(p, ask("acme", ASK.replace("}],", "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],")))).isEmpty();
        assertThat(hit(p, ask("acme", ASK.replace("}],", "}],\"seed\":7,")))).isEmpty();
        assertThat(hit(p, ask("acme", ASK.replace("}],", "}],\"response_format\":{\"type\":\"json_object\"},")))).isEmpty();
        assertThat(hit(p, ask("acme", ASK.replace("What is PTU?", "What is PTU")))).isEmpty();
        // what only changes the delivery or the label still hits, whatever the field order
        assertThat(hit(p, ask("acme", "{\"temperature\":0.0,\"user\":\"u9\",\"messages\":[{\"content\":\"What is PTU?\","
                + "\"role\":\"user\"}]}"))).isPresent();
    }

    @Test
    void nAboveOneAndAppsWithoutTheCacheBypassIt() {
        CachePolicy p = policy(new CacheConfig(false, Duration.ofMinutes(10), DataSize.ofMebibytes(8),
                DataSize.ofKibibytes(256), CacheConfig.Scope.APP, true, false, CacheConfig.Semantic.DEFAULT,
                Map.of("acme", new CacheConfig.AppCache("acme", Optional.of(true), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()))));
        Reply off = miss(p, ask("globex", ASK), ANSWER);
        assertThat(off.headers().get("x-spillway-cache")).isNull();
        String two = ASK.replace("\"temperature\":0", "\"temperature\":0,\"n\":2");
        miss(p, ask("acme", two), ANSWER);
        assertThat(hit(p, ask("acme", two))).isEmpty();
    }

    @Test
    void anAnswerExpiresAfterTheAppsTtl() {
        CachePolicy p = policy(on());
        miss(p, ask("acme", ASK), ANSWER);
        nanos.addAndGet(Duration.ofMinutes(10).plusSeconds(1).toNanos());
        assertThat(hit(p, ask("acme", ASK))).isEmpty();
    }

    @Test
    void hitsCanCountTheirTokensForQuotasWhenConfigured() {
        CachePolicy p = policy(new CacheConfig(true, Duration.ofMinutes(10), DataSize.ofMebibytes(8),
                DataSize.ofKibibytes(256), CacheConfig.Scope.APP, true, true, CacheConfig.Semantic.DEFAULT, Map.of()));
        miss(p, ask("acme", ASK), ANSWER);
        Exchange again = ask("acme", ASK);
        hit(p, again).orElseThrow();
        assertThat(again.usage().totalTokens()).isEqualTo(14);
    }

    /** A semantic index that remembers what it was given and answers lookups with the first key added. */
    static final class RecordingIndex implements SemanticIndex {
        final List<SemanticQuery> added = new ArrayList<>();
        final List<CacheKey> keys = new ArrayList<>();
        final List<SemanticQuery> asked = new ArrayList<>();
        double similarity = 0.97;

        @Override public boolean enabled() { return true; }

        @Override
        public java.util.concurrent.CompletionStage<Optional<SemanticMatch>> lookup(SemanticQuery query, double threshold) {
            asked.add(query);
            Optional<SemanticMatch> m = keys.isEmpty() || similarity < threshold ? Optional.empty()
                    : Optional.of(new SemanticMatch(keys.getFirst(), similarity));
            return java.util.concurrent.CompletableFuture.completedFuture(m);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> add(SemanticQuery query, CacheKey entry) {
            added.add(query);
            keys.add(entry);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> purge(CachePurge scope) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override public void close() { }
    }

    static CacheConfig semanticOn(double threshold) {
        return new CacheConfig(true, Duration.ofMinutes(10), DataSize.ofMebibytes(8), DataSize.ofKibibytes(256),
                CacheConfig.Scope.APP, true, false, new CacheConfig.Semantic(true, threshold), Map.of());
    }

    @Test
    void aSemanticIndexIsAskedAfterAnExactMissAndItsMatchIsServedWithTheSimilarity() {
        RecordingIndex index = new RecordingIndex();
        CachePolicy p = new CachePolicy(semanticOn(0.9), store, index,
                new GatewayMetrics(TelemetryConfig.defaults(), Set.of(), Set.of()), clock);
        String withSystem = ASK.replace("[{\"role\":\"user\"", "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\"");
        miss(p, ask("acme", withSystem), ANSWER);
        assertThat(index.added).singleElement().satisfies(q -> {
            assertThat(q.text()).isEqualTo("What is PTU?");
            assertThat(q.deployment()).isEqualTo("gpt-4o");
            assertThat(q.partition().app()).isEqualTo("acme");
        });

        Reply r = hit(p, ask("acme", withSystem.replace("What is PTU?", "what's a PTU"))).orElseThrow();
        assertThat(r.headers().get("x-spillway-cache")).isEqualTo("semantic-hit");
        assertThat(r.headers().get("x-spillway-cache-similarity")).isEqualTo("0.9700");
        assertThat(body(r).path("choices").get(0).path("message").path("content").asText()).isEqualTo("Provisioned throughput.");
        SemanticQuery asked = index.asked.getLast();
        assertThat(asked.text()).isEqualTo("what's a PTU");
        assertThat(asked.context()).isEqualTo(index.added.getFirst().context());

        index.similarity = 0.85;
        assertThat(hit(p, ask("acme", withSystem.replace("What is PTU?", "what's a PTU")))).isEmpty();
    }

    static String streamed(String body) {
        return body.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
    }

    static String frame(String json) {
        return "data: " + json + "\n\n";
    }

    static void textStream(FakeStream s, String... pieces) {
        String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,";
        s.push(frame(head + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"));
        for (String piece : pieces) s.push(frame(head + "\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}"));
        s.push(frame(head + "\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        s.push("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14}}\n\ndata: [DONE]\n\n");
        s.end();
    }

    static JsonNode body(Reply r) {
        try {
            return Json.MAPPER.readTree(((Reply.Body.Full) r.body()).bytes().getBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The data of each frame of a replayed stream, read as the reply writer reads it. */
    static List<String> frames(Reply r) {
        Buffer all = Buffer.buffer();
        boolean[] ended = {false};
        Reply.Body.Streamed s = (Reply.Body.Streamed) r.body();
        s.chunks().handler(all::appendBuffer);
        s.chunks().endHandler(v -> ended[0] = true);
        s.chunks().resume();
        assertThat(ended[0]).isTrue();
        List<String> out = new ArrayList<>();
        for (String f : all.toString().split("\n\n")) out.add(f.substring("data: ".length()));
        return out;
    }
}
