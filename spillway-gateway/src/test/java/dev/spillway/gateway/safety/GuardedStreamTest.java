package dev.spillway.gateway.safety;

import static dev.spillway.gateway.safety.SafetyFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.redact.Redactor;
import dev.spillway.gateway.testkit.FakeStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedStreamTest {
    static final String PROMPT_FRAME = "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
            + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,"
            + "\"severity\":\"safe\"}}}]}\n\n";
    static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":20}}\n\n";
    static final String DONE = "data: [DONE]\n\n";
    static final List<String> SECRETS = List.of("sk-spw-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "jane.doe@example.co.uk",
            "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "+44 20 7946 0958",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "AKIAIOSFODNN7EXAMPLE", "123-45-6789", "2001:db8:85a3::8a2e:370:7334");

    final Guard redacting = guard("{pii: redact, secrets: redact}");
    final Guard blocking = guard("{pii: redact, secrets: block}");

    static Guard guard(String output) {
        return new Guard(config("    - {name: g, output: " + output + "}\n").guards().get(0));
    }

    static String frame(String content, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + Json.MAPPER.valueToTree(content) + "},"
                + "\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    /** An Azure stream of {@code text} in deltas of {@code size} characters. */
    static String stream(String text, int size) {
        StringBuilder sse = new StringBuilder(PROMPT_FRAME);
        for (int i = 0; i < text.length(); i += size) sse.append(frame(text.substring(i, Math.min(text.length(), i + size)), null));
        return sse.append(frame("", "stop")).append(USAGE).append(DONE).toString();
    }

    record Relayed(String sse, String content, List<Finding> findings) {
    }

    static Relayed relay(Guard guard, List<Finding> input, String... chunks) {
        FakeStream source = new FakeStream();
        List<Finding> findings = new ArrayList<>();
        GuardedStream guarded = new GuardedStream(source, guard, input, Operation.CHAT_COMPLETIONS, findings::add);
        StringBuilder out = new StringBuilder();
        guarded.handler(b -> out.append(b.toString()));
        boolean[] ended = new boolean[1];
        guarded.endHandler(v -> ended[0] = true);
        for (String c : chunks) source.push(c);
        source.end();
        assertThat(ended[0]).isTrue();
        return new Relayed(out.toString(), content(out.toString()), findings);
    }

    /** The answer text a client assembles from the deltas. */
    static String content(String sse) {
        StringBuilder text = new StringBuilder();
        for (String f : sse.split("\n\n")) {
            String data = f.substring(f.indexOf("data:") + 5).trim();
            if (data.equals("[DONE]")) continue;
            for (JsonNode c : read(data).path("choices")) text.append(c.path("delta").path("content").asText(""));
        }
        return text.toString();
    }

    static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSecretSplitAtEveryPositionIntoDeltasOfEverySizeNeverReachesTheClient() {
        for (String secret : SECRETS) {
            String answer = "Sure. The value you asked for is " + secret + ", keep it safe.";
            String expected = new Redactor(concatRules()).redact(answer);
            assertThat(expected).doesNotContain(secret);
            for (int size = 1; size <= answer.length(); size++) {
                Relayed r = relay(redacting, List.of(), stream(answer, size));
                assertThat(r.content()).as("%s in deltas of %d", secret, size).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSecretSplitIntoTwoDeltasAtEveryPositionNeverReachesTheClient() {
        for (String secret : SECRETS) {
            String answer = "Sure: " + secret + ". Anything else?";
            String expected = new Redactor(concatRules()).redact(answer);
            for (int at = 1; at < answer.length(); at++) {
                String sse = PROMPT_FRAME + frame(answer.substring(0, at), null) + frame(answer.substring(at), null)
                        + frame("", "stop") + DONE;
                assertThat(relay(redacting, List.of(), sse).content()).as("%s split at %d", secret, at).isEqualTo(expected);
            }
        }
    }

    @Test
    void aStreamCutIntoTwoNetworkChunksAtEveryByteStillRedactsAndKeepsTheFrames() {
        String sse = stream("Here: " + SECRETS.get(0) + " done", 8);
        for (int cut = 1; cut < sse.length(); cut++) {
            Relayed r = relay(redacting, List.of(), sse.substring(0, cut), sse.substring(cut));
            assertThat(r.content()).as("cut at %d", cut).isEqualTo("Here: [REDACTED:api-key] done");
            assertThat(r.sse()).startsWith(PROMPT_FRAME).contains("\"usage\":{").endsWith(DONE);
        }
    }

    @Test
    void theHoldBackIsBoundedSoOrdinaryTextFlowsWhileTheAnswerStreams() {
        String answer = "word ".repeat(400);
        FakeStream source = new FakeStream();
        GuardedStream guarded = new GuardedStream(source, redacting, List.of(), Operation.CHAT_COMPLETIONS, f -> { });
        StringBuilder out = new StringBuilder();
        guarded.handler(b -> out.append(b.toString()));
        guarded.endHandler(v -> { });
        source.push(PROMPT_FRAME);
        for (int i = 0; i < answer.length(); i += 5) {
            source.push(frame(answer.substring(i, i + 5), null));
            int sent = content(out.toString()).length();
            assertThat(i + 5 - sent).isLessThanOrEqualTo(GuardConfig.DEFAULT_HOLD_BACK);
        }
    }

    @Test
    void aBlockedSecretEndsTheStreamAsAzureDoesButKeepsTheUsageChunk() {
        String answer = "The key is sk-spw-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 and more text follows here.";
        for (int size = 1; size <= 12; size++) {
            Relayed r = relay(blocking, List.of(), stream(answer, size));
            assertThat(r.content()).doesNotContain("sk-spw-").startsWith("The key is").doesNotContain("more text");
            assertThat(r.sse()).contains("\"finish_reason\":\"content_filter\"").contains("\"id\":\"secrets:api-key\"")
                    .contains("\"usage\":{").endsWith(DONE).doesNotContain("\"finish_reason\":\"stop\"");
            assertThat(r.findings()).extracting(Finding::action).containsExactly(Action.BLOCK);
        }
    }

    @Test
    void promptFindingsJoinTheBackendsPromptFilterFrameOrComeFirstInTheirOwn() {
        List<Finding> input = List.of(new Finding(Check.INJECTION, "override", Action.ANNOTATE, Finding.Side.INPUT));
        Relayed azure = relay(redacting, input, stream("Hello", 2));
        JsonNode first = read(azure.sse().split("\n\n")[0].substring(6));
        assertThat(first.path("prompt_filter_results").path(0).path("content_filter_results").path("jailbreak").toString())
                .isEqualTo("{\"filtered\":false,\"detected\":true}");
        assertThat(first.path("prompt_filter_results").path(0).path("content_filter_results").has("hate")).isTrue();
        Relayed openAi = relay(redacting, input, stream("Hello", 2).substring(PROMPT_FRAME.length()));
        assertThat(openAi.sse()).startsWith("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
                + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"jailbreak\":");
        assertThat(openAi.content()).isEqualTo("Hello");
    }

    @Test
    void textStillHeldWhenTheBackendStopsWithoutAFinishFrameIsFlushedBeforeDone() {
        Relayed r = relay(redacting, List.of(), PROMPT_FRAME + frame("call me at ", null) + frame("ana@corp.example", null)
                + DONE);
        assertThat(r.content()).isEqualTo("call me at [REDACTED:email]");
        assertThat(r.sse()).endsWith(DONE);
    }

    @Test
    void aSecretSplitAcrossToolCallArgumentFragmentsIsRedactedToo() {
        String args = "{\"to\":\"ana@corp.example\",\"token\":\"" + SECRETS.get(0) + "\"}";
        for (int size = 1; size <= args.length(); size += 3) {
            StringBuilder sse = new StringBuilder();
            sse.append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":"
                    + "[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"send\",\"arguments\":\"\"}}]},"
                    + "\"finish_reason\":null}]}\n\n");
            for (int i = 0; i < args.length(); i += size) {
                sse.append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":" + Json.MAPPER.valueToTree(args.substring(i, Math.min(args.length(), i + size)))
                        + "}}]},\"finish_reason\":null}]}\n\n");
            }
            sse.append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n").append(DONE);
            Relayed r = relay(redacting, List.of(), sse.toString());
            StringBuilder assembled = new StringBuilder();
            for (String f : r.sse().split("\n\n")) {
                if (f.contains("[DONE]")) continue;
                for (JsonNode c : read(f.substring(6)).path("choices")) {
                    for (JsonNode call : c.path("delta").path("tool_calls")) {
                        assembled.append(call.path("function").path("arguments").asText(""));
                    }
                }
            }
            assertThat(assembled.toString()).as("fragments of %d", size)
                    .isEqualTo("{\"to\":\"[REDACTED:email]\",\"token\":\"[REDACTED:api-key]\"}");
        }
    }

    private static List<Redactor.Rule> concatRules() {
        List<Redactor.Rule> rules = new ArrayList<>(dev.spillway.gateway.redact.Detectors.secrets());
        rules.addAll(dev.spillway.gateway.redact.Detectors.pii());
        return rules;
    }
}
