package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.tls.LocalCa;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spillway eval answers --answerer chat}: the chat flow through a real gateway and simulator. */
class EvalChatAnswersTest {
    static final String KEY = "sk-spw-test-0123456789abcdef0123456789abcdef";
    @TempDir
    Path tmp;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int code = SpillwayCommand.commandLine().execute(args);
            return code + "\n" + bytes.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Simulator (no latency) and gateway on port 0, as {@code spillway up} wires them; returns the gateway URL. */
    private String startGateway() throws Exception {
        return startGateway("");
    }

    /** The same with {@code extraYaml} (a top-level line such as the listener's {@code tls}) added. */
    private String startGateway(String extraYaml) throws Exception {
        Simulator sim = await(Simulator.start(vertx, SimulatorConfig.demo().withPort(0).withLatency(Latency.ZERO)));
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s" }
                keys: [ { name: test, key: "%s", app: test-app } ]
                backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                deployments: [ { name: gpt-4o, backends: [ptu] } ]
                %s
                """.formatted(tmp.resolve("gw"), tmp.resolve("gw.db"), KEY, sim.baseUrl(), extraYaml);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return await(GatewayServer.start(vertx, config, 1, Clock.systemUTC())).baseUrl();
    }

    private Path config(String gatewayUrl) throws IOException {
        return config(gatewayUrl, "");
    }

    /** The same with {@code extraYaml} (a line of the {@code chat:} section) added. */
    private Path config(String gatewayUrl, String extraYaml) throws IOException {
        return Files.writeString(tmp.resolve("spillway.yaml"), """
                chat:
                  gateway-url: "%s"
                  gateway-key: "%s"
                  deployment: gpt-4o
                  retrieval: { index-dir: "%s", model-cache-dir: "%s" }
                  %s
                """.formatted(gatewayUrl, KEY, tmp.resolve("index"), tmp.resolve("models"), extraYaml));
    }

    private Path ingestAndWriteTruth(Path config) throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("gym.md"), "# Gym\n\nPerksPlus refunds gym memberships up to 1000 dollars a year.");
        Files.writeString(docs.resolve("dental.md"), "# Dental\n\nTwo dental cleanings a year are free of charge.");
        assertThat(run("ingest", "--config", config.toString(), docs.toString())).startsWith("0\n");
        return Files.writeString(tmp.resolve("truth.jsonl"), """
                {"question": "How much does PerksPlus refund for gym memberships?", "truth": "1000 dollars [gym.md#gym]"}
                {"question": "How many dental cleanings are free?", "truth": "Two [dental.md#dental]"}
                """);
    }

    @Test
    void chatAnswererRunsTheFlowThroughTheGatewayAndScoresItsCitations() throws Exception {
        Path config = config(startGateway());
        Path truth = ingestAndWriteTruth(config);
        String out = run("eval", "answers", truth.toString(), "--answerer", "chat", "--config", config.toString(),
                "--verbose");
        assertThat(out).startsWith("0\n").contains("questions          2", "citation accuracy  1.000",
                "PerksPlus refunds gym memberships up to 1000 dollars a year. [gym.md#gym]");
    }

    @Test
    void chatAnswererTrustsTheGatewayCaFileOfAnHttpsGateway() throws Exception {
        LocalCa ca = LocalCa.ensure(tmp.resolve("tls"), Clock.systemUTC());
        String url = startGateway("tls: { cert-file: \"%s\", key-file: \"%s\" }".formatted(ca.certFile(), ca.keyFile()));
        assertThat(url).startsWith("https://");
        Path config = config(url, "gateway-ca-file: \"" + ca.caFile() + "\"");
        Path truth = ingestAndWriteTruth(config);
        assertThat(run("eval", "answers", truth.toString(), "--answerer", "chat", "--config", config.toString()))
                .startsWith("0\n").contains("citation accuracy  1.000");
    }

    @Test
    void unreachableGatewayIsReportedWithoutAStackTrace() throws Exception {
        Path config = config("http://127.0.0.1:9");
        Path truth = ingestAndWriteTruth(config);
        String out = run("eval", "answers", truth.toString(), "--answerer", "chat", "--config", config.toString());
        assertThat(out).startsWith("1\n").contains("spillway eval answers: the model call through the gateway at "
                + "http://127.0.0.1:9 (deployment gpt-4o) failed").doesNotContain("\tat ");
    }

    @Test
    void chatAnswererWithoutAGatewayKeyNamesTheMissingKey() throws Exception {
        Path config = Files.writeString(tmp.resolve("empty.yaml"), "chat:\n  deployment: gpt-4o\n");
        Path truth = Files.writeString(tmp.resolve("truth.jsonl"), "{\"question\": \"q?\", \"truth\": \"a [x.md]\"}\n");
        String out = run("eval", "answers", truth.toString(), "--answerer", "chat", "--config", config.toString(),
                "--index-dir", tmp.resolve("index").toString());
        assertThat(out).startsWith("2\n").contains("chat.gateway-key: is required");
    }

    @Test
    void unknownAnswererListsTheAvailableOnes() throws Exception {
        Path truth = Files.writeString(tmp.resolve("truth.jsonl"), "{\"question\": \"q?\", \"truth\": \"a [x.md]\"}\n");
        String out = run("eval", "answers", truth.toString(), "--answerer", "oracle",
                "--index-dir", tmp.resolve("index").toString());
        assertThat(out).startsWith("1\n").contains("no answer source named 'oracle' in this build (available: extractive, chat)");
    }
}
