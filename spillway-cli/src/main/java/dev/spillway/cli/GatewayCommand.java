package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spillway gateway --config FILE}: runs the gateway alone, until stopped. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run the gateway from the 'gateway:' section of a config file, until Ctrl-C.")
final class GatewayCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Logging.Options logging;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GatewayConfig gateway;
        try {
            gateway = SpillwayConfig.load(config, System.getenv()).gateway()
                    .orElseThrow(() -> new ConfigException(java.util.List.of("gateway: section is missing in " + config)));
        } catch (ConfigException e) {
            e.problems().forEach(spec.commandLine().getErr()::println);
            return 2;
        }
        Vertx vertx = Lifecycle.vertx();
        GatewayServer server = Lifecycle.await(GatewayServer.start(vertx, gateway), "the gateway", gateway.port());
        spec.commandLine().getOut().println("Spillway gateway listening on " + server.baseUrl()
                + " (" + gateway.deployments().size() + " deployments, " + gateway.backends().size() + " backends)");
        Lifecycle.runUntilStopped(vertx);
        return 0;
    }
}
