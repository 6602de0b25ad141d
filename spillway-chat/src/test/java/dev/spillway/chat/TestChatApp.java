package dev.spillway.chat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.chat.flow.ChatModel;
import dev.spillway.chat.flow.FlowListener;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
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
    public final FakeClock clock = new FakeClock(Instant.parse("2026-02-01T09:00:00Z"));

    public TestChatApp(Path dir, ChatModel model, String extraYaml) throws Exception {
        this(dir, model, 0, extraYaml);
    }

    public TestChatApp(Path dir, ChatModel model, int port, String extraYaml) throws Exception {
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
                ? ChatServer.start(vertx, config, FakeRetriever.handbook(), FakeDocumentPages.handbook())
                : ChatServer.start(vertx, config, FakeRetriever.handbook(), FakeDocumentPages.handbook(), model, clock,
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
