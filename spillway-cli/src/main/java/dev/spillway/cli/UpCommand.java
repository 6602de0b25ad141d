package dev.spillway.cli;

import dev.spillway.chat.ChatConfig;
import dev.spillway.chat.ChatServer;
import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.ingest.IngestSummary;
import dev.spillway.retrieval.ingest.TerminalProgress;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spillway up}: everything on one machine with embedded defaults. A simulator with a PTU and
 * a pay-as-you-go chat deployment plus embeddings, a gateway that spills from the first to the
 * second, and the chat app over the project's docs (and any paths given), answering through the
 * gateway. The demo key and password are kept in the data directory so they survive restarts.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run gateway + simulator (+ chat app) on embedded defaults and print how to call them.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "data", paramLabel = "DIR", description = "where state is kept (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--port", defaultValue = "8080", description = "gateway port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--simulator-port", defaultValue = "8081", description = "simulator port (default: ${DEFAULT-VALUE})")
    int simulatorPort;

    @Option(names = "--chat-port", defaultValue = "8090", description = "chat app port (default: ${DEFAULT-VALUE})")
    int chatPort;

    @Option(names = "--no-chat", description = "run only the gateway and the simulator")
    boolean noChat;

    @Option(names = "--fast", description = "no simulated latency (answers arrive at once)")
    boolean fast;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "more documents for the chat app (folders or files: txt, md, html, pdf); docs/ is always ingested")
    List<Path> paths = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Logging.Options logging;

    @Override
    public Integer call() throws Exception {
        String key = demoKey(dataDir);
        Path logFile = dataDir.resolve("spillway.log");
        Logging.toFile(logFile);
        Vertx vertx = Lifecycle.vertx();
        Simulator simulator = Lifecycle.await(Simulator.start(vertx, simulatorConfig()), "the simulator", simulatorPort);
        GatewayConfig gateway = gatewayConfig(simulator.baseUrl(), key);
        GatewayServer server = Lifecycle.await(GatewayServer.start(vertx, gateway), "the gateway", port);
        String chat = noChat ? "" : startChat(vertx, server.baseUrl(), key);
        printWelcome(spec.commandLine().getOut(), server.baseUrl(), simulator.baseUrl(), key, chat, logFile);
        Lifecycle.runUntilStopped(vertx);
        return 0;
    }

    /**
     * Ingests the documents (unchanged files are skipped on later runs), then serves the chat app;
     * returns the banner's line for it.
     */
    private String startChat(Vertx vertx, String gatewayUrl, String key) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ConfigNode retrievalNode = ConfigLoader.parse("index-dir: \"%s\"\nmodel-cache-dir: \"%s\"\n"
                .formatted(dataDir.resolve("index"), dataDir.resolve("models")), Map.of());
        RetrievalConfig retrieval = RetrievalConfig.from(retrievalNode);
        retrievalNode.throwIfInvalid();
        Documents documents = new Documents(retrieval);
        List<Path> roots = new ArrayList<>(List.of(Path.of("docs")));
        roots.addAll(paths);
        roots.removeIf(p -> !Files.exists(p));
        IngestSummary summary = documents.ingest(roots, TerminalProgress.onStdout());
        out.println("Documents: " + summary + " from " + roots);
        String password = demoPassword(dataDir);
        ChatServer chat = Lifecycle.await(ChatServer.start(vertx, chatConfig(gatewayUrl, key, password),
                documents.retriever(), documents.pages()), "the chat app", chatPort);
        return "  chat app   http://127.0.0.1:%d/   (sign in as demo / %s)%n".formatted(chat.port(), password);
    }

    private ChatConfig chatConfig(String gatewayUrl, String key, String password) {
        String hash = new PasswordHasher().hash(password.toCharArray());
        String yaml = """
                port: %d
                gateway-url: "%s"
                gateway-key: "%s"
                deployment: gpt-4o
                users: [ { name: demo, password-hash: "%s" } ]
                history: { url: "jdbc:sqlite:%s" }
                """.formatted(chatPort, gatewayUrl, key, hash, dataDir.resolve("chat.db"));
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        ChatConfig config = ChatConfig.from(root);
        root.throwIfInvalid();
        return config;
    }


    private SimulatorConfig simulatorConfig() {
        Latency latency = fast ? Latency.ZERO : new Latency(Duration.ofMillis(150), Duration.ofMillis(8));
        return SimulatorConfig.demo().withPort(simulatorPort).withLatency(latency);
    }

    /** The embedded gateway: PTU first, spill over to pay-as-you-go, embeddings on their own. */
    private GatewayConfig gatewayConfig(String simulatorUrl, String key) {
        String yaml = """
                port: %d
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s" }
                keys: [ { name: demo, key: "%s", app: demo-app, team: demo-team } ]
                backends:
                  - { name: sim-ptu, url: "%s", deployment: gpt-4o-ptu }
                  - { name: sim-paygo, url: "%s", deployment: gpt-4o-paygo }
                  - { name: sim-embeddings, url: "%s", deployment: text-embedding-3-small }
                deployments:
                  - { name: gpt-4o, backends: [sim-ptu, sim-paygo] }
                  - { name: text-embedding-3-small, backends: [sim-embeddings] }
                """.formatted(port, dataDir, dataDir.resolve("spillway.db"), key, simulatorUrl, simulatorUrl, simulatorUrl);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return config;
    }

    /** The demo key, created once per data directory: {@code sk-spw-demo-} and 128 random bits. */
    static String demoKey(Path dataDir) throws IOException {
        return keptSecret(dataDir.resolve("demo.key"), "sk-spw-demo-", 16);
    }

    /** The demo user's password, created once per data directory. */
    static String demoPassword(Path dataDir) throws IOException {
        return keptSecret(dataDir.resolve("demo.password"), "", 6);
    }

    /**
     * Reads {@code file}, or first fills it with {@code prefix} and {@code bytes} random bytes in hex.
     * The file is readable by its owner only (0600), also when an older run left it wider open.
     */
    static String keptSecret(Path file, String prefix, int bytes) throws IOException {
        if (Files.exists(file)) {
            ownerOnly(file);
            return Files.readString(file).strip();
        }
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        String secret = prefix + HexFormat.of().formatHex(random);
        Files.createDirectories(file.getParent());
        Files.createFile(file);
        ownerOnly(file);
        Files.writeString(file, secret + "\n");
        return secret;
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The banner, printed last so it is what the terminal shows; {@code chat} is its chat line, if any. */
    private static void printWelcome(PrintWriter out, String gateway, String simulator, String key, String chat,
            Path logFile) {
        out.printf("""

                Spillway is up.
                  gateway    %1$s   (deployments: gpt-4o = PTU first, spills to pay-as-you-go; text-embedding-3-small)
                  simulator  %2$s   (simulated Azure OpenAI: gpt-4o-ptu, gpt-4o-paygo, text-embedding-3-small)
                %4$s  demo key   %3$s

                Try it:
                  curl -s %1$s/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21 \\
                    -H 'api-key: %3$s' -H 'content-type: application/json' \\
                    -d '{"messages":[{"role":"user","content":"Hello!"}]}'

                Any OpenAI or Azure OpenAI SDK works unchanged, e.g. Python:
                  from openai import AzureOpenAI
                  client = AzureOpenAI(azure_endpoint="%1$s", api_key="%3$s", api_version="2024-10-21")
                  print(client.chat.completions.create(model="gpt-4o", messages=[{"role":"user","content":"Hi"}]))
                or Node:  new AzureOpenAI({ endpoint: "%1$s", apiKey: "%3$s", apiVersion: "2024-10-21" })
                or plain OpenAI clients with baseURL "%1$s/v1" and model "gpt-4o".

                Ctrl-C stops everything. Log lines go to %5$s (--verbose: here too).
                """, gateway, simulator, key, chat, logFile);
        out.flush();
    }
}
