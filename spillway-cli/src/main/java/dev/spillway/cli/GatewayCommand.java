package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.reload.ConfigFile;
import dev.spillway.gateway.reload.ConfigSource;
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
        ConfigFile file = configFile(config);
        ConfigSource.Loaded first;
        try {
            first = file.load();
        } catch (ConfigException e) {
            e.problems().forEach(spec.commandLine().getErr()::println);
            return 2;
        }
        GatewayConfig gateway = first.config();
        Vertx vertx = Lifecycle.vertx();
        GatewayServer server = Lifecycle.await(GatewayServer.start(vertx, gateway), "the gateway", gateway.port());
        server.watch(file, first);
        reloadOnHangup(server);
        spec.commandLine().getOut().println("Spillway gateway listening on " + server.baseUrl()
                + " (" + gateway.deployments().size() + " deployments, " + gateway.backends().size() + " backends)");
        Lifecycle.runUntilStopped(vertx);
        return 0;
    }

    /** The gateway section of {@code config}, read as this command reads it (the AOT training run too). */
    static ConfigFile configFile(Path config) {
        return new ConfigFile(config, System.getenv(), root -> SpillwayConfig.from(root).gateway()
                .orElseThrow(() -> new ConfigException(java.util.List.of("gateway: section is missing in " + config))));
    }

    /** {@code kill -HUP} reloads the config file now (where the JVM lets a program handle SIGHUP). */
    private static void reloadOnHangup(GatewayServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> server.reloadConfig());
        } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
            // Windows has no SIGHUP; the file watch and POST /admin/config/reload remain.
        }
    }
}
