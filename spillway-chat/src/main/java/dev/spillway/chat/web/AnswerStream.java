package dev.spillway.chat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.auth.ChatUser;
import dev.spillway.chat.flow.ChatMessage;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.ChatTurn;
import dev.spillway.chat.flow.Orchestrator;
import dev.spillway.chat.flow.SearchSettings;
import dev.spillway.chat.flow.TurnResult;
import dev.spillway.chat.history.HistoryStore;
import dev.spillway.chat.telemetry.TurnTracer;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.SessionStore;
import dev.spillway.core.wire.Json;
import dev.spillway.retrieval.SearchMode;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/chat}: answers one question as an NDJSON stream of events, {@code start}
 * (conversation id), {@code delta} (answer text), then {@code answer} (final text, citations,
 * follow-ups, thought process) or {@code error}. A stream never ends without one of the two, so a
 * broken answer never looks finished. The flow runs on a virtual thread; writes hop back to the
 * request's event loop. If the browser goes away, the model call is abandoned. Thread-safe.
 */
public final class AnswerStream {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerStream.class);
    private static final int MAX_QUESTION_CHARS = 4000;

    private final Orchestrator orchestrator;
    private final HistoryStore history;
    private final SearchSettings defaults;
    private final Clock clock;
    private final TurnTracer tracer;

    public AnswerStream(Orchestrator orchestrator, HistoryStore history, SearchSettings defaults, Clock clock,
                        TurnTracer tracer) {
        this.orchestrator = orchestrator;
        this.history = history;
        this.defaults = defaults;
        this.clock = clock;
        this.tracer = tracer;
    }

    public void mount(Router router) {
        router.post("/api/chat").handler(this::handle);
    }

    /** What the request asked, validated. */
    private record Ask(String conversationId, String question, SearchSettings settings) {
    }

    private void handle(RoutingContext ctx) {
        SessionStore.Session<ChatUser> session = SessionGuard.session(ctx);
        ChatUser user = session.who();
        Ask ask = ask(AuthRoutes.parse(ctx));
        Responses.blocking(ctx, () -> prepare(user, ask)).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else stream(ctx, user, r.result(), sessionHash(session));
        });
    }

    /** The conversation (new or the user's own) with the question appended, and the history before it. */
    private Ask prepare(ChatUser user, Ask ask) {
        String id = ask.conversationId();
        if (id.isEmpty()) {
            id = history.create(user.id(), ask.question()).id();
        } else if (history.find(user.id(), id).isEmpty()) {
            throw new SpillwayException.NotFound("conversation_not_found", "No such conversation.");
        }
        return new Ask(id, ask.question(), ask.settings());
    }

    /** Names the sign-in session in traces without revealing its id: the first 64 bits of its SHA-256. */
    private static String sessionHash(SessionStore.Session<ChatUser> session) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(session.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stream(RoutingContext ctx, ChatUser user, Ask ask, String sessionHash) {
        HttpServerResponse response = ctx.response().setChunked(true).setStatusCode(200)
                .putHeader("content-type", "application/x-ndjson; charset=utf-8").putHeader("cache-control", "no-store")
                // identity: a compressor may hold small deltas back, which would defeat streaming
                .putHeader("content-encoding", "identity");
        AtomicBoolean gone = new AtomicBoolean();
        response.closeHandler(v -> gone.set(true));
        Context context = ctx.vertx().getOrCreateContext();
        Events events = new Events(context, response, gone);
        events.send(Map.of("type", "start", "conversationId", ask.conversationId()));
        Thread.ofVirtual().name("chat-answer").start(() -> {
            try (TurnTracer.Turn turn = tracer.startTurn(user.id(), ask.conversationId(), sessionHash)) {
                answer(user, ask, events, turn);
            }
        });
    }

    /**
     * Runs the turn and stores it. A failed or stopped turn is stored too, as an answer whose
     * details carry {@code status} ({@code failed} with the message shown, or {@code stopped}) and
     * the text streamed so far, so history can mark it and offer a retry.
     */
    private void answer(ChatUser user, Ask ask, Events events, TurnTracer.Turn span) {
        StringBuilder partial = new StringBuilder();
        try {
            List<ChatMessage> before;
            try (TurnTracer.Turn session = tracer.startChild("session")) {
                before = answeredTurns(history.messages(user.id(), ask.conversationId()));
                history.append(user.id(), ask.conversationId(), stored("user", ask.question(), "{}"));
            }
            ChatTurn turn = new ChatTurn(ask.question(), before, ask.settings(), user.groups());
            TurnResult result = orchestrator.run(turn, delta -> {
                if (events.gone.get()) throw new ClientGone();
                partial.append(delta);
                events.send(Map.of("type", "delta", "text", delta));
            });
            Map<String, Object> details = TurnDetails.of(result);
            int seq = store(user, ask, result.answer(), details);
            events.end(Map.of("type", "answer", "text", result.answer(), "details", details, "seq", seq));
        } catch (ClientGone e) {
            LOG.debug("browser left during an answer; model call abandoned");
            storeQuietly(user, ask, partial, Map.of("status", "stopped"));
            span.fail("stopped by the browser");
            events.end(Map.of());
        } catch (ChatModel.ModelException e) {
            LOG.warn("chat answer failed: {}", e.getMessage());
            span.fail(e.getMessage());
            fail(user, ask, events, partial, AnswerErrors.forPerson(e));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.error("chat answer failed", e);
            span.fail(e.toString());
            fail(user, ask, events, partial, AnswerErrors.APP_FAILED);
        }
    }

    /** The conversation so far without failed or stopped turns, which the model should not build on. */
    static List<ChatMessage> answeredTurns(List<HistoryStore.StoredMessage> stored) {
        List<ChatMessage> out = new java.util.ArrayList<>();
        for (HistoryStore.StoredMessage m : stored) {
            if (m.role().equals("assistant") && unfinished(m)) {
                if (!out.isEmpty() && out.getLast().role().equals("user")) out.removeLast();
            } else {
                out.add(new ChatMessage(m.role(), m.content()));
            }
        }
        return out;
    }

    private static boolean unfinished(HistoryStore.StoredMessage m) {
        try {
            return Json.MAPPER.readTree(m.details()).has("status");
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private void fail(ChatUser user, Ask ask, Events events, CharSequence partial, String message) {
        int seq = storeQuietly(user, ask, partial, Map.of("status", "failed", "error", message));
        events.end(Map.of("type", "error", "message", message, "seq", seq));
    }

    /** Appends the answer; its number in the conversation (for ratings) is the count after it. */
    private int store(ChatUser user, Ask ask, String text, Map<String, Object> details) throws JsonProcessingException {
        history.append(user.id(), ask.conversationId(), stored("assistant", text, Json.MAPPER.writeValueAsString(details)));
        return history.messages(user.id(), ask.conversationId()).size();
    }

    /** Stores a failed or stopped turn; if even that fails (history down), the log says so and 0 is returned. */
    private int storeQuietly(ChatUser user, Ask ask, CharSequence partial, Map<String, Object> details) {
        try {
            return store(user, ask, partial.toString(), details);
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.error("cannot record the unfinished answer in history", e);
            return 0;
        }
    }

    private HistoryStore.StoredMessage stored(String role, String content, String details) {
        return new HistoryStore.StoredMessage(role, content, details, clock.instant());
    }

    private Ask ask(JsonNode body) {
        String question = body.path("question").asText("").strip();
        if (question.isEmpty()) throw invalid("Ask a question (field 'question').", "question");
        if (question.length() > MAX_QUESTION_CHARS) {
            throw invalid("The question is longer than " + MAX_QUESTION_CHARS + " characters.", "question");
        }
        String id = body.path("conversationId").asText("");
        if (id.length() > 64) throw invalid("Unknown conversationId.", "conversationId");
        return new Ask(id, question, settings(body.path("settings")));
    }

    private SearchSettings settings(JsonNode s) {
        String mode = s.path("mode").asText(defaults.mode().name()).toUpperCase(Locale.ROOT);
        SearchMode m;
        try {
            m = SearchMode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            throw invalid("settings.mode must be text, vector or hybrid.", "settings.mode");
        }
        try {
            return new SearchSettings(m, s.path("topK").asInt(defaults.topK()),
                    s.path("temperature").asDouble(defaults.temperature()));
        } catch (IllegalArgumentException e) {
            throw invalid("settings." + e.getMessage(), "settings");
        }
    }

    private static SpillwayException invalid(String message, String param) {
        return new SpillwayException.InvalidRequest("invalid_request_error", message, param);
    }

    /** Thrown into the model stream to stop it when the browser has gone. */
    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("client gone", null, false, false);
        }
    }

    /** Writes NDJSON lines on the request's context, in order. */
    private record Events(Context context, HttpServerResponse response, AtomicBoolean gone) {
        void send(Map<String, Object> event) {
            String line = line(event);
            context.runOnContext(v -> {
                if (!gone.get()) response.write(line);
            });
        }

        void end(Map<String, Object> event) {
            String line = event.isEmpty() ? "" : line(event);
            context.runOnContext(v -> {
                if (!gone.get()) response.end(line);
            });
        }

        private static String line(Map<String, Object> event) {
            try {
                return Json.MAPPER.writeValueAsString(event) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
