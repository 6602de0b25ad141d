package dev.spillway.gateway.safety;

import static dev.spillway.gateway.safety.SafetyFixtures.config;
import static dev.spillway.gateway.safety.SafetyFixtures.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExternalCheckTest {
    /** A hand-written external check: answers what the test says and records what it was asked. */
    static final class FakeCheck implements ExternalCheck {
        Future<List<Finding>> answer = Future.succeededFuture(List.of());
        final List<List<String>> asked = new ArrayList<>();

        @Override
        public Future<List<Finding>> check(ContentSafetyConfig config, Action action, List<String> prompts,
                List<String> documents) {
            asked.add(prompts);
            asked.add(documents);
            return answer;
        }
    }

    static String guards(String onFailure, String action) {
        return """
                    - name: g
                      input: { content-safety: %s, pii: redact }
                      content-safety: { endpoint: "http://127.0.0.1:1", timeout: 200ms, on-failure: %s }
                """.formatted(action, onFailure);
    }

    final FakeCheck check = new FakeCheck();
    boolean called;

    Exchange chat() throws Exception {
        Exchange e = exchange(Operation.CHAT_COMPLETIONS, "app");
        e.body((ObjectNode) Json.MAPPER.readTree("{\"messages\":[{\"role\":\"system\",\"content\":\"Be kind.\"},"
                + "{\"role\":\"user\",\"content\":\"I am ana@corp.example\"},{\"role\":\"tool\",\"content\":\"page text\"}]}"));
        return e;
    }

    Reply run(SafetyPolicy policy, Exchange e) throws Exception {
        return policy.apply(e, ex -> {
            called = true;
            return Future.succeededFuture(Reply.json(200, Buffer.buffer("{\"choices\":[]}")));
        }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theExternalCheckReadsTheRedactedPromptAndToolResultsAsDocuments() throws Exception {
        run(new SafetyPolicy(config(guards("closed", "block")), (a, f) -> { }, check), chat());
        assertThat(check.asked).containsExactly(List.of("I am [REDACTED:email]"), List.of("page text"));
        assertThat(called).isTrue();
    }

    @Test
    void anAttackItReportsBlocksThePromptAsAzureDoes() throws Exception {
        check.answer = Future.succeededFuture(List.of(
                new Finding(Check.CONTENT_SAFETY, "shield-prompt", Action.BLOCK, Finding.Side.INPUT, true)));
        SafetyPolicy policy = new SafetyPolicy(config(guards("closed", "block")), (a, f) -> { }, check);
        assertThatThrownBy(() -> run(policy, chat())).hasCauseInstanceOf(SpillwayException.ContentFiltered.class)
                .cause().satisfies(error -> assertThat(((SpillwayException) error).innerError().orElseThrow()
                        .path("content_filter_result").path("indirect_attack").toString())
                        .isEqualTo("{\"filtered\":true,\"detected\":true}"));
        assertThat(called).isFalse();
    }

    @Test
    void annotatedCategoriesKeepAzuresSeverityShape() throws Exception {
        check.answer = Future.succeededFuture(List.of(
                new Finding(Check.CONTENT_SAFETY, "violence:medium", Action.ANNOTATE, Finding.Side.INPUT)));
        Reply reply = run(new SafetyPolicy(config(guards("closed", "annotate")), (a, f) -> { }, check), chat());
        assertThat(((Reply.Body.Full) reply.body()).bytes().toString()).contains(
                "\"violence\":{\"filtered\":false,\"severity\":\"medium\"}");
    }

    @Test
    void aFailedCheckLetsTheRequestThroughWhenTheGuardFailsOpen() throws Exception {
        check.answer = Future.failedFuture(new java.util.concurrent.TimeoutException("slow"));
        Exchange e = chat();
        run(new SafetyPolicy(config(guards("open", "block")), (a, f) -> { }, check), e);
        assertThat(called).isTrue();
        assertThat(e.safetyFindings()).contains("input:content-safety:unavailable:log");
    }

    @Test
    void aFailedCheckRefusesTheRequestWhenTheGuardFailsClosed() {
        check.answer = Future.failedFuture(new java.util.concurrent.TimeoutException("slow"));
        SafetyPolicy policy = new SafetyPolicy(config(guards("closed", "block")), (a, f) -> { }, check);
        assertThatThrownBy(() -> run(policy, chat())).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(SpillwayException.Unavailable.class, error -> {
                    assertThat(error.status()).isEqualTo(503);
                    assertThat(error.code()).isEqualTo("content_safety_unavailable");
                });
        assertThat(called).isFalse();
    }
}
