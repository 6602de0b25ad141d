package dev.spillway.chat;

import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.FlowListener;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.chat.telemetry.TurnTracer;
import dev.spillway.retrieval.Retriever;
import java.util.Optional;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real {@link ChatServer} on 127.0.0.1 with fakes behind it; users alice (hr) and bob (board).
 * A null model means the production path: the gateway client against {@code gateway-url} in the YAML.
 */
public final class TestChatApp implements AutoCloseable {
    public static final String PASSWORD = "s3cret-pass";
    private static final String HASH = new PasswordHasher(new SecureRandom(), 1_000).hash(PASSWORD.toCharArray());

    public final Vertx vertx = Vertx.vertx();
    public final ChatServer server;
    public final MutableClock clock = new MutableClock(Instant.parse("2026-02-01T09:00:00Z"));

    public TestChatApp(Path dir, ChatModel model, String extraYaml) throws Exception {
        this(dir, model, 0, extraYaml);
    }

    public TestChatApp(Path dir, ChatModel model, int port, String extraYaml) throws Exception {
        this(dir, model, port, extraYaml, FakeRetriever.handbook(), FakeDocumentPages.handbook());
    }

    public TestChatApp(Path dir, ChatModel model, int port, String extraYaml, Retriever retriever, DocumentPages pages)
            throws Exception {
        this(dir, model, port, extraYaml, retriever, pages, Optional.empty());
    }

    /** With a tracer, the production model path (a null model) traces each turn with it. */
    public TestChatApp(Path dir, ChatModel model, int port, String extraYaml, Retriever retriever, DocumentPages pages,
                       Optional<TurnTracer> tracer) throws Exception {
        String yaml = """
                host: 127.0.0.1
                port: %d
                gateway-key: test-app-key
                history: {url: "jdbc:sqlite:%s"}
                users:
                  - {name: alice, password-hash: "%s", groups: [hr]}
                  - {name: bob, password-hash: "%s", groups: [board]}
                %s
                """.formatted(port, dir.resolve("chat.db"), HASH, HASH, extraYaml);
        ConfigNode node = ConfigLoader.parse(yaml, Map.of());
        ChatConfig config = ChatConfig.from(node);
        node.throwIfInvalid();
        server = (model == null
                ? tracer.map(t -> ChatServer.start(vertx, config, retriever, pages, t))
                        .orElseGet(() -> ChatServer.start(vertx, config, retriever, pages))
                : ChatServer.start(vertx, config, retriever, pages, model, clock,
                        FlowListener.NONE)).await(30, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
