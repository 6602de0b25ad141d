package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Calls Azure AI Content Safety for a prompt: {@code text:shieldPrompt} (attacks in the user's
 * words and in documents, reported as {@code content-safety:shield-prompt}, indirect for documents)
 * and {@code text:analyze} (a category at or over the threshold, reported as
 * {@code content-safety:<category>}), both at once, each bounded by the config's timeout. A failure
 * is a failed future; the policy applies the fail-open/closed choice. Texts over Content Safety's
 * 10,000-character limit are cut there. Shared; thread-safe.
 */
public final class ContentSafetyClient implements ExternalCheck {
    static final int MAX_TEXT = 10_000;
    private final Vertx vertx;
    private final HttpClient http;

    public ContentSafetyClient(Vertx vertx) {
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true));
    }

    @Override
    public Future<List<Finding>> check(ContentSafetyConfig config, Action action, List<String> prompts, List<String> documents) {
        ObjectNode shield = Json.MAPPER.createObjectNode().put("userPrompt", cut(String.join("\n", prompts)));
        documents.forEach(shield.putArray("documents")::add);
        List<String> all = new ArrayList<>(prompts);
        all.addAll(documents);
        ObjectNode analyze = Json.MAPPER.createObjectNode().put("text", cut(String.join("\n", all)));
        Future<List<Finding>> checked = Future.all(call(config, "shieldPrompt", shield), call(config, "analyze", analyze))
                .map(both -> findings(config, action, both.resultAt(0), both.resultAt(1)));
        return within(checked, config.timeout());
    }

    private static List<Finding> findings(ContentSafetyConfig config, Action action, JsonNode shield, JsonNode analyze) {
        List<Finding> found = new ArrayList<>();
        if (shield.path("userPromptAnalysis").path("attackDetected").asBoolean(false)) {
            found.add(new Finding(Check.CONTENT_SAFETY, "shield-prompt", action, Finding.Side.INPUT, false));
        }
        for (JsonNode d : shield.path("documentsAnalysis")) {
            if (d.path("attackDetected").asBoolean(false)) {
                found.add(new Finding(Check.CONTENT_SAFETY, "shield-prompt", action, Finding.Side.INPUT, true));
                break;
            }
        }
        for (JsonNode c : analyze.path("categoriesAnalysis")) {
            if (c.path("severity").asInt(0) >= config.severityThreshold()) {
                String category = c.path("category").asText("unknown").replaceAll("([a-z])([A-Z])", "$1_$2")
                        .toLowerCase(Locale.ROOT);
                found.add(new Finding(Check.CONTENT_SAFETY, category + ":" + severity(c.path("severity").asInt()),
                        action, Finding.Side.INPUT, false));
            }
        }
        return found;
    }

    /** Azure OpenAI's severity words for Content Safety's 0-7 scale. */
    private static String severity(int level) {
        return level >= 6 ? "high" : level >= 4 ? "medium" : level >= 2 ? "low" : "safe";
    }

    private Future<JsonNode> call(ContentSafetyConfig config, String operation, ObjectNode body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.endpoint() + "/contentsafety/text:" + operation + "?api-version=" + config.apiVersion())
                .setConnectTimeout(config.timeout().toMillis()).putHeader("content-type", "application/json");
        config.key().ifPresent(k -> options.putHeader("Ocp-Apim-Subscription-Key", k.value()));
        return http.request(options)
                .compose(req -> req.send(Buffer.buffer(body.toString())))
                .compose(resp -> resp.body().compose(bytes -> resp.statusCode() == 200 ? parse(bytes)
                        : Future.failedFuture("Content Safety answered " + resp.statusCode() + " to text:" + operation)));
    }

    private static Future<JsonNode> parse(Buffer bytes) {
        try {
            return Future.succeededFuture(Json.MAPPER.readTree(bytes.getBytes()));
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
    }

    /** {@code checked}, or a failure once {@code timeout} has passed without its answer. */
    private <T> Future<T> within(Future<T> checked, java.time.Duration timeout) {
        io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> result.tryFail(
                new java.util.concurrent.TimeoutException("Content Safety did not answer within " + timeout.toMillis() + " ms")));
        checked.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) result.tryComplete(ar.result());
            else result.tryFail(ar.cause());
        });
        return result.future();
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    public Future<Void> close() {
        return http.close();
    }
}
