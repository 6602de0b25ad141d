package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Durations;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyJson;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.core.config.Secret;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.keys.JdbcKeyStore;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code spillway keys create|list|rotate|revoke}: app keys in the configured database; a secret is printed once. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list, rotate and revoke app keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Rotate.class,
            KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "Config file (its gateway.database is used; default: the embedded SQLite file).")
    Path config;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    <T> int withKeys(Function<KeyService, T> work, java.util.function.Consumer<T> print) {
        try {
            DatabaseConfig db = databaseConfig();
            try (Database database = Database.open(db.url(), db.user(), db.password().map(Secret::value), 2)) {
                print.accept(work.apply(new KeyService(new JdbcKeyStore(database.dataSource()), Clock.systemUTC(),
                        new SecureRandom())));
                return 0;
            }
        } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
            spec.commandLine().getErr().println("spillway keys: " + e.getMessage());
            return 1;
        }
    }

    private DatabaseConfig databaseConfig() {
        if (config == null) return DatabaseConfig.DEFAULT;
        ConfigNode root = ConfigLoader.read(config, System.getenv());
        DatabaseConfig db = DatabaseConfig.from(root.child("gateway").child("database"));
        root.throwIfInvalid();
        return db;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret once.")
    static final class Create implements Callable<Integer> {
        @ParentCommand KeysCommand keys;
        @Option(names = "--app", required = true, description = "The app the key belongs to.") String app;
        @Option(names = "--name", description = "A label (default: the app).") String name = "";
        @Option(names = "--team") String team;
        @Option(names = "--owner") String owner;
        @Option(names = "--deployment", description = "An allowed deployment (repeat; default: all).") List<String> deployments = List.of();
        @Option(names = "--expires-in", description = "e.g. 90d, 12h (default: never).") String expiresIn;
        @Option(names = "--rpm", description = "Requests per minute.") Long rpm;
        @Option(names = "--tpm", description = "Tokens per minute.") Long tpm;
        @Option(names = "--tokens-per-day") Long perDay;
        @Option(names = "--tokens-per-month") Long perMonth;
        @Option(names = "--budget-per-month-usd") BigDecimal budget;

        @Override
        public Integer call() {
            KeyLimits limits = new KeyLimits(opt(rpm), opt(tpm), opt(perDay), opt(perMonth), Optional.ofNullable(budget));
            KeyService.NewKey spec = new KeyService.NewKey(name, app, Optional.ofNullable(team),
                    Optional.ofNullable(owner), Set.copyOf(deployments), limits,
                    Optional.ofNullable(expiresIn).map(Durations::parse));
            return keys.withKeys(s -> s.create(spec), issued -> {
                keys.out().println(KeyJson.describe(issued.key()).toPrettyString());
                keys.out().println("secret (shown once, store it now): " + issued.secret());
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand KeysCommand keys;

        @Override
        public Integer call() {
            return keys.withKeys(KeyService::list, all -> {
                keys.out().printf("%-22s %-13s %-16s %-12s %s%n", "ID", "PREFIX", "APP", "TEAM", "STATE");
                for (AppKey k : all) {
                    String state = k.revokedAt().map(t -> "revoked " + t)
                            .orElse(k.expiresAt().map(t -> "expires " + t).orElse("active"));
                    keys.out().printf("%-22s %-13s %-16s %-12s %s%n", k.id(), k.displayPrefix(), k.app(),
                            k.team().orElse("-"), state);
                }
            });
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Issue a successor key; the old one stays valid for the overlap.")
    static final class Rotate implements Callable<Integer> {
        @ParentCommand KeysCommand keys;
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--overlap", description = "How long the old key keeps working (default: 24h).") String overlap = "24h";

        @Override
        public Integer call() {
            return keys.withKeys(s -> s.rotate(id, Durations.parse(overlap)), issued -> {
                if (issued.isEmpty()) throw new IllegalArgumentException("no active key with id '" + id + "'");
                keys.out().println(KeyJson.describe(issued.get().key()).toPrettyString());
                keys.out().println("secret (shown once, store it now): " + issued.get().secret());
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key; every gateway refuses it within a second.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand KeysCommand keys;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            return keys.withKeys(s -> s.revoke(id), revoked -> {
                if (revoked.isEmpty()) throw new IllegalArgumentException("no key with id '" + id + "'");
                keys.out().println("revoked " + revoked.get().id() + " (" + revoked.get().displayPrefix() + ")");
            });
        }
    }

    private static OptionalLong opt(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
