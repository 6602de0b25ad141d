package dev.spillway.chat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.DocumentPages;
import dev.spillway.chat.IndexingStatus;
import dev.spillway.chat.auth.ChatUser;
import dev.spillway.chat.flow.SearchSettings;
import dev.spillway.chat.history.HistoryStore;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.signin.SessionStore;
import dev.spillway.core.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in JSON API besides the answer stream: who am I (with the example questions),
 * indexing progress, conversation history (list, reopen, delete, rate an answer, export ratings)
 * and the cited document page, as text or as the rendered PDF page. Everything is scoped to the
 * session's user. Thread-safe.
 */
public final class ChatRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRoutes.class);
    private static final int CONVERSATION_LIST_LIMIT = 100;
    private static final int RATINGS_EXPORT_LIMIT = 10_000;
    private static final int MAX_PASSAGE_CHARS = 2000;

    private final HistoryStore history;
    private final DocumentPages pages;
    private final SearchSettings defaults;
    private final List<String> examples;

    public ChatRoutes(HistoryStore history, DocumentPages pages, SearchSettings defaults, List<String> examples) {
        this.history = history;
        this.pages = pages;
        this.defaults = defaults;
        this.examples = List.copyOf(examples);
    }

    public void mount(Router router) {
        router.get("/api/me").handler(this::me);
        router.get("/api/indexing").handler(this::indexing);
        router.get("/api/conversations").handler(this::list);
        router.get("/api/conversations/:id").handler(this::open);
        router.delete("/api/conversations/:id").handler(this::delete);
        router.put("/api/conversations/:id/messages/:seq/rating").handler(this::rate);
        router.get("/api/ratings").handler(this::ratings);
        router.get("/api/document").handler(this::document);
        router.get("/api/document/image").handler(this::image);
    }

    private void me(RoutingContext ctx) {
        SessionStore.Session<ChatUser> s = SessionGuard.session(ctx);
        if (examples.isEmpty()) {
            Responses.blocking(ctx, () -> pages.topics(ExampleQuestions.COUNT, s.who().groups())).onComplete(r -> {
                // Suggestions are a nicety: an index that cannot be read must not stop the app from loading.
                if (r.failed()) LOG.warn("no example questions from the index: {}", r.cause().toString());
                me(ctx, s, r.succeeded() ? ExampleQuestions.of(examples, r.result()) : List.of());
            });
        } else {
            me(ctx, s, examples);
        }
    }

    private void me(RoutingContext ctx, SessionStore.Session<ChatUser> s, List<String> shown) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.who().name());
        body.put("groups", new TreeSet<>(s.who().groups()));
        body.put("csrf", s.csrfToken());
        body.put("defaults", Map.of("mode", defaults.mode().name().toLowerCase(Locale.ROOT), "topK", defaults.topK(),
                "temperature", defaults.temperature()));
        body.put("examples", shown);
        Responses.json(ctx, 200, body);
    }

    private void indexing(RoutingContext ctx) {
        IndexingStatus s = pages.indexing();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", s.ready());
        body.put("percent", s.percent());
        body.put("pagesDone", s.pagesDone());
        body.put("pagesTotal", s.pagesTotal());
        body.put("pagesPerSecond", Math.round(s.pagesPerSecond() * 10) / 10.0);
        s.eta().ifPresent(eta -> body.put("etaSeconds", eta.toSeconds()));
        Responses.json(ctx, 200, body);
    }

    private void list(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        Responses.blocking(ctx, () -> history.list(user.id(), CONVERSATION_LIST_LIMIT)).onComplete(r -> {
            if (r.failed()) {
                ctx.fail(r.cause());
                return;
            }
            Responses.json(ctx, 200, Map.of("conversations", r.result().stream().map(c -> Map.of("id", c.id(),
                    "title", c.title(), "updatedAt", c.updatedAt().toString())).toList()));
        });
    }

    private void open(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        String id = ctx.pathParam("id");
        Responses.blocking(ctx, () -> history.find(user.id(), id).map(c -> conversation(c, history.messages(user.id(), id))))
                .onComplete(r -> {
                    if (r.failed()) ctx.fail(r.cause());
                    else if (r.result().isEmpty()) ctx.fail(notFound());
                    else Responses.json(ctx, 200, r.result().get());
                });
    }

    private static Map<String, Object> conversation(HistoryStore.Conversation c, List<HistoryStore.StoredMessage> messages) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("title", c.title());
        body.put("messages", messages.stream().map(ChatRoutes::message).toList());
        return body;
    }

    private static Map<String, Object> message(HistoryStore.StoredMessage m) {
        JsonNode details;
        try {
            details = Json.MAPPER.readTree(m.details());
        } catch (java.io.IOException e) {
            details = Json.MAPPER.createObjectNode();
        }
        return Map.of("role", m.role(), "content", m.content(), "details", details, "seq", m.seq(), "rating", m.rating());
    }

    private void delete(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        String id = ctx.pathParam("id");
        Responses.blocking(ctx, () -> history.delete(user.id(), id)).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else if (!r.result()) ctx.fail(notFound());
            else ctx.response().setStatusCode(204).end();
        });
    }

    /** {@code PUT .../messages/:seq/rating} with {@code {"rating":"up"|"down"|""}}. */
    private void rate(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        String id = ctx.pathParam("id");
        String rating = AuthRoutes.parse(ctx).path("rating").asText("");
        if (!rating.isEmpty() && !rating.equals("up") && !rating.equals("down")) {
            ctx.fail(new SpillwayException.InvalidRequest("invalid_request_error",
                    "rating must be \"up\", \"down\" or \"\" (to clear it), was \"" + rating + "\".", "rating"));
            return;
        }
        int seq;
        try {
            seq = Integer.parseInt(ctx.pathParam("seq"));
        } catch (NumberFormatException e) {
            ctx.fail(new SpillwayException.NotFound("message_not_found", "No such answer."));
            return;
        }
        Responses.blocking(ctx, () -> history.rate(user.id(), id, seq, rating)).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else if (!r.result()) ctx.fail(new SpillwayException.NotFound("message_not_found", "No such answer."));
            else ctx.response().setStatusCode(204).end();
        });
    }

    /** The user's rated answers as JSON lines, for evaluation ({@code spillway chat ratings} exports everyone's). */
    private void ratings(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        Responses.blocking(ctx, () -> history.ratedAnswers(Optional.of(user.id()), RATINGS_EXPORT_LIMIT)).onComplete(r -> {
            if (r.failed()) {
                ctx.fail(r.cause());
                return;
            }
            StringBuilder lines = new StringBuilder();
            for (HistoryStore.RatedAnswer a : r.result()) lines.append(RatedAnswers.line(a)).append('\n');
            ctx.response().putHeader("content-type", "application/x-ndjson; charset=utf-8")
                    .putHeader("content-disposition", "attachment; filename=\"ratings.jsonl\"")
                    .putHeader("cache-control", "no-store").end(lines.toString());
        });
    }

    private void document(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        Optional<String> ref = ref(ctx);
        if (ref.isEmpty()) return;
        Responses.blocking(ctx, () -> pages.open(ref.get(), user.groups())).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else if (r.result().isEmpty()) ctx.fail(documentNotFound(ref.get()));
            else Responses.json(ctx, 200, Map.of("citation", r.result().get().citation(),
                    "title", r.result().get().title(), "text", r.result().get().text(), "image", r.result().get().image()));
        });
    }

    /**
     * {@code GET /api/document/image?ref=file.pdf#page=3&quote=...&passage=...}: the page as a PNG,
     * with the answer's sentence ({@code quote}) marked if it is on the page, else the passage.
     */
    private void image(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).who();
        Optional<String> ref = ref(ctx);
        if (ref.isEmpty()) return;
        List<String> marked = java.util.stream.Stream.of("quote", "passage")
                .map(name -> Optional.ofNullable(ctx.request().getParam(name)).orElse(""))
                .filter(p -> !p.isBlank()).map(p -> p.length() > MAX_PASSAGE_CHARS ? p.substring(0, MAX_PASSAGE_CHARS) : p)
                .toList();
        Responses.blocking(ctx, () -> pages.pageImage(ref.get(), user.groups(), marked)).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else if (r.result().isEmpty()) ctx.fail(documentNotFound(ref.get()));
            else ctx.response().putHeader("content-type", "image/png").putHeader("cache-control", "private, max-age=300")
                    .end(Buffer.buffer(r.result().get()));
        });
    }

    private static Optional<String> ref(RoutingContext ctx) {
        String ref = ctx.request().getParam("ref");
        if (ref == null || ref.isBlank() || ref.length() > 1000) {
            ctx.fail(new SpillwayException.InvalidRequest("invalid_request_error",
                    "Give the citation to open as ?ref=file.pdf#page=3.", "ref"));
            return Optional.empty();
        }
        return Optional.of(ref);
    }

    private static SpillwayException documentNotFound(String ref) {
        return new SpillwayException.NotFound("document_not_found", "No document page '" + ref + "' is available to you.");
    }

    private static SpillwayException notFound() {
        return new SpillwayException.NotFound("conversation_not_found", "No such conversation.");
    }
}
