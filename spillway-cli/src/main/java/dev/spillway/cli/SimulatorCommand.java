package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.DeploymentKind;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spillway simulator}: runs the simulated Azure OpenAI backend standalone until Ctrl-C. With no
 * {@code --config} it serves the demo deployments on port 8081. Exit 2 on a config problem, 1 when
 * the server cannot start. One per invocation.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Run the simulated Azure OpenAI backend until Ctrl-C.",
            "Without --config: the demo deployments (gpt-4o-ptu, gpt-4o-paygo, text-embedding-3-small) on port 8081."})
public final class SimulatorCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Logging.Options logging;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with a top-level 'simulator:' section.")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (0 = any free port); overrides the file.")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "Address to bind; overrides the file.")
    String host;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SimulatorConfig settings;
        try {
            settings = settings();
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        Simulator simulator;
        try {
            simulator = Simulator.start(vertx, settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("spillway simulator: cannot start on " + settings.host() + ":" + settings.port() + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage());
            err.flush();
            vertx.close();
            return 1;
        }
        describe(out, simulator);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close().compose(v -> vertx.close()).onComplete(v -> stopped.countDown());
            awaitQuietly(stopped);
        }, "simulator-shutdown"));
        stopped.await();
        return 0;
    }

    private SimulatorConfig settings() {
        SimulatorConfig base;
        if (config == null) {
            base = SimulatorConfig.demo().withPort(SimulatorConfig.DEFAULT_PORT);
        } else {
            ConfigNode root = ConfigLoader.read(config, System.getenv());
            base = SimulatorConfig.from(root.child("simulator"));
            root.throwIfInvalid();
        }
        if (port != null) base = base.withPort(port);
        if (host != null) base = base.withHost(host);
        return base;
    }

    private static void describe(PrintWriter out, Simulator simulator) {
        out.println("Spillway simulator listening on " + simulator.baseUrl() + " (Ctrl-C to stop)");
        for (DeploymentConfig d : simulator.config().deployments()) {
            String limit = d.kind() == DeploymentKind.PTU
                    ? "ptu, " + d.capacityTokensPerSecond() + " tokens/s"
                    : "pay-as-you-go, " + d.tokensPerMinute() + " tokens/min, " + d.requestsPerMinute() + " requests/min";
            out.println("  " + d.name() + "  model " + d.model() + "  (" + limit + ")");
        }
        out.println("Try: curl -s " + simulator.baseUrl() + "/openai/deployments/"
                + simulator.config().deployments().getFirst().name()
                + "/chat/completions?api-version=2024-10-21 -H 'content-type: application/json' "
                + "-d '{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}'");
        out.flush();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
