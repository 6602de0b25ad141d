package dev.spillway.chat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.chat.DocumentPages;
import dev.spillway.chat.auth.ChatUser;
import dev.spillway.chat.auth.SessionStore;
import dev.spillway.chat.flow.SearchSettings;
import dev.spillway.chat.history.HistoryStore;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The signed-in JSON API besides the answer stream: who am I, conversation history (list, reopen,
 * delete) and the cited document page. Everything is scoped to the session's user. Thread-safe.
 */
public final class ChatRoutes {
    private static final int CONVERSATION_LIST_LIMIT = 100;

    private final HistoryStore history;
    private final DocumentPages pages;
    private final SearchSettings defaults;

    public ChatRoutes(HistoryStore history, DocumentPages pages, SearchSettings defaults) {
        this.history = history;
        this.pages = pages;
        this.defaults = defaults;
    }

    public void mount(Router router) {
        router.get("/api/me").handler(this::me);
        router.get("/api/conversations").handler(this::list);
        router.get("/api/conversations/:id").handler(this::open);
        router.delete("/api/conversations/:id").handler(this::delete);
        router.get("/api/document").handler(this::document);
    }

    private void me(RoutingContext ctx) {
        SessionStore.Session s = SessionGuard.session(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.user().name());
        body.put("groups", new TreeSet<>(s.user().groups()));
        body.put("csrf", s.csrfToken());
        body.put("defaults", Map.of("mode", defaults.mode().name().toLowerCase(Locale.ROOT), "topK", defaults.topK(),
                "temperature", defaults.temperature()));
        Responses.json(ctx, 200, body);
    }

    private void list(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).user();
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
        ChatUser user = SessionGuard.session(ctx).user();
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
        return Map.of("role", m.role(), "content", m.content(), "details", details);
    }

    private void delete(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).user();
        String id = ctx.pathParam("id");
        Responses.blocking(ctx, () -> history.delete(user.id(), id)).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else if (!r.result()) ctx.fail(notFound());
            else ctx.response().setStatusCode(204).end();
        });
    }

    private void document(RoutingContext ctx) {
        ChatUser user = SessionGuard.session(ctx).user();
        String ref = ctx.request().getParam("ref");
        if (ref == null || ref.isBlank() || ref.length() > 1000) {
            ctx.fail(new SpillwayException.InvalidRequest("invalid_request_error",
                    "Give the citation to open as ?ref=file.pdf#page=3.", "ref"));
            return;
        }
        Responses.blocking(ctx, () -> pages.open(ref, user.groups())).onComplete(r -> {
            if (r.failed()) ctx.fail(r.cause());
            else if (r.result().isEmpty()) ctx.fail(new SpillwayException.NotFound("document_not_found",
                    "No document page '" + ref + "' is available to you."));
            else Responses.json(ctx, 200, Map.of("citation", r.result().get().citation(),
                    "title", r.result().get().title(), "text", r.result().get().text()));
        });
    }

    private static SpillwayException notFound() {
        return new SpillwayException.NotFound("conversation_not_found", "No such conversation.");
    }
}
