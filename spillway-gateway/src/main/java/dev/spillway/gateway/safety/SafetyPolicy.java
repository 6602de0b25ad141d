package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request tier, after validation and before rate limits and quota: applies the guard that covers
 * the request. Request limits and input checks run first, so a blocked prompt calls no backend and
 * reserves no tokens (Azure's 400 {@code content_filter}); redacted prompts go on edited. A guard
 * with an external check then asks Content Safety, failing open or closed as configured. On the
 * way back, output checks run on the whole answer (its texts read off the bytes by
 * {@link AnswerTexts}; a tree is built and re-encoded only when there is something to change) or,
 * for a stream, on its deltas through a {@link GuardedStream}; findings appear in Azure's
 * filter-result fields. Shared; stateless.
 */
public final class SafetyPolicy implements Policy {
    private static final Logger log = LoggerFactory.getLogger(SafetyPolicy.class);
    static final String BLOCKED_PROMPT = "The response was filtered due to the prompt triggering this gateway's content"
            + " management policy (%s). Please modify your prompt and retry.";

    private final SafetyConfig config;
    private final Map<String, Guard> guards = new LinkedHashMap<>();
    private final SafetyEvents events;
    private final ExternalCheck external;

    public SafetyPolicy(SafetyConfig config, SafetyEvents events, ExternalCheck external) {
        this.config = config;
        this.events = events;
        this.external = external;
        for (GuardConfig g : config.guards()) guards.put(g.name(), new Guard(g));
    }

    /** Without an external check: a guard that asks for one fails as its {@code on-failure} says. */
    public SafetyPolicy(SafetyConfig config, SafetyEvents events) {
        this(config, events, ExternalCheck.NONE);
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Optional<ObjectNode> body = exchange.body();
        Optional<GuardConfig> covering = config.guardFor(exchange.caller().app(), exchange.caller().keyName(),
                exchange.deployment());
        checkAddress(exchange, covering);
        if (body.isEmpty() || covering.isEmpty() || exchange.operation() == Operation.MODELS) return chain.proceed(exchange);
        Guard guard = guards.get(covering.get().name());
        List<Finding> input = guard.scanInput(exchange.operation(), body.get());
        input.forEach(f -> record(exchange, f));
        blockIfAsked(input);
        if (input.stream().anyMatch(f -> f.action() == Action.REDACT)) exchange.bodyEdited(true);
        Action external = guard.config().input().get(Check.CONTENT_SAFETY);
        if (external == null) return proceed(exchange, chain, guard, input);
        // The external check reads the prompt as redacted: personal data never leaves for it.
        return askExternal(exchange, guard, external, body.get()).compose(found -> {
            found.forEach(f -> record(exchange, f));
            List<Finding> all = new ArrayList<>(input);
            all.addAll(found);
            blockIfAsked(all);
            return proceed(exchange, chain, guard, all);
        });
    }

    /** 403 unless the client's address passes the gateway's and the covering guard's lists. */
    private void checkAddress(Exchange exchange, Optional<GuardConfig> covering) {
        boolean guarded = covering.isPresent() && covering.get().clientIps().restricts();
        if (!config.clientIps().restricts() && !guarded) return;
        String client = ClientAddress.of(exchange.peerAddress(), exchange.headers().getAll("x-forwarded-for"),
                config.trustedProxies());
        if (!config.clientIps().permits(client) || guarded && !covering.get().clientIps().permits(client)) {
            throw new SpillwayException.Forbidden("ip_not_allowed", "Requests from " + client
                    + " are not allowed" + (guarded ? " for this app." : " on this gateway."));
        }
    }

    private Future<Reply> proceed(Exchange exchange, Chain chain, Guard guard, List<Finding> input) {
        boolean annotate = input.stream().anyMatch(f -> f.action().visible());
        if (!guard.checksOutput() && !annotate) return chain.proceed(exchange);
        return chain.proceed(exchange).map(reply -> answer(exchange, guard, input, reply));
    }

    private static void blockIfAsked(List<Finding> findings) {
        List<Finding> blocking = findings.stream().filter(f -> f.action() == Action.BLOCK).toList();
        if (!blocking.isEmpty()) {
            throw new SpillwayException.ContentFiltered(BLOCKED_PROMPT.formatted(names(blocking)), FilterResults.of(findings));
        }
    }

    /** The external check's findings; when it fails or is slow, nothing (open) or a 503 (closed). */
    private Future<List<Finding>> askExternal(Exchange exchange, Guard guard, Action action, ObjectNode body) {
        ContentSafetyConfig cs = guard.config().contentSafety().orElseThrow();
        Guard.PromptTexts texts = guard.promptTexts(exchange.operation(), body);
        return external.check(cs, action, texts.prompts(), texts.documents()).recover(e -> {
            log.warn("request {}: content safety check failed ({}); failing {}", exchange.requestId(), e.getMessage(),
                    cs.onFailure().name().toLowerCase(java.util.Locale.ROOT));
            record(exchange, new Finding(Check.CONTENT_SAFETY, "unavailable", Action.LOG, Finding.Side.INPUT));
            if (cs.onFailure() == ContentSafetyConfig.OnFailure.OPEN) return Future.succeededFuture(List.of());
            return Future.failedFuture(new SpillwayException.Unavailable("content_safety_unavailable", "The content safety check did not answer"
                    + " (" + e.getMessage() + "); this app's guard fails closed. Retry later."));
        });
    }

    private Reply answer(Exchange exchange, Guard guard, List<Finding> input, Reply reply) {
        if (!reply.isSuccess() || exchange.operation() == Operation.EMBEDDINGS) return reply;
        if (reply.body() instanceof Reply.Body.Full full) return answerWhole(exchange, guard, input, reply, full.bytes());
        Reply.Body.Streamed s = (Reply.Body.Streamed) reply.body();
        return reply.body(new Reply.Body.Streamed(
                new GuardedStream(s.chunks(), guard, input, exchange.operation(), f -> record(exchange, f)), s.cancel()));
    }

    private Reply answerWhole(Exchange exchange, Guard guard, List<Finding> input, Reply reply, Buffer bytes) {
        boolean promptResults = input.stream().anyMatch(f -> f.action().visible());
        boolean chat = exchange.operation() == Operation.CHAT_COMPLETIONS;
        if (!promptResults && !AnswerTexts.any(bytes, chat, guard::outputHits)) {
            return reply; // nothing to add or change: the backend's bytes go on untouched
        }
        return reply.body(new Reply.Body.Full(checkWhole(exchange, guard, input, bytes)));
    }

    private Buffer checkWhole(Exchange exchange, Guard guard, List<Finding> input, Buffer bytes) {
        ObjectNode response;
        try {
            if (!(Json.MAPPER.readTree(bytes.getBytes()) instanceof ObjectNode o)) return bytes;
            response = o;
        } catch (IOException e) {
            return bytes;
        }
        FilterResults.mergePromptResults(response, input);
        for (JsonNode c : response.path("choices")) {
            if (c instanceof ObjectNode choice) checkChoice(exchange, guard, exchange.operation(), choice);
        }
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(response));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void checkChoice(Exchange exchange, Guard guard, Operation op, ObjectNode choice) {
        boolean chat = op == Operation.CHAT_COMPLETIONS;
        ObjectNode holder = chat ? (choice.get("message") instanceof ObjectNode m ? m : null) : choice;
        String field = chat ? "content" : "text";
        if (holder == null) return;
        List<Finding> found = new ArrayList<>();
        for (JsonNode call : holder.path("tool_calls")) {
            if (call.path("function") instanceof ObjectNode f && f.path("arguments").isTextual()) {
                int before = found.size();
                String redacted = guard.scanOutputText(f.get("arguments").asText(), found);
                if (redacted != null && found.subList(before, found.size()).stream().noneMatch(x -> x.action() == Action.BLOCK)) {
                    f.put("arguments", redacted);
                }
            }
        }
        String redacted = holder.path(field).isTextual() ? guard.scanOutputText(holder.get(field).asText(), found) : null;
        if (found.isEmpty()) return;
        found.forEach(f -> record(exchange, f));
        if (found.stream().anyMatch(f -> f.action() == Action.BLOCK)) {
            // Azure's filtered completion: no content, finish_reason content_filter (azure-api.md §1.8).
            if (chat) {
                holder.putNull(field);
                holder.remove("tool_calls");
            } else {
                holder.put(field, "");
            }
            choice.put("finish_reason", "content_filter");
        } else if (redacted != null) {
            holder.put(field, redacted);
        }
        FilterResults.mergeInto(choice.withObjectProperty("content_filter_results"), found);
    }

    private void record(Exchange exchange, Finding f) {
        String name = f.side().name().toLowerCase(java.util.Locale.ROOT) + ":" + f.check().label() + ":" + f.rule()
                + ":" + f.action().name().toLowerCase(java.util.Locale.ROOT);
        exchange.safetyFinding(name);
        events.fired(exchange.caller().app(), f);
        if (f.action() == Action.LOG) log.info("request {} safety finding {}", exchange.requestId(), name);
    }

    private static String names(List<Finding> findings) {
        return String.join(", ", findings.stream().map(f -> f.check().label() + ":" + f.rule()).distinct().toList());
    }
}
