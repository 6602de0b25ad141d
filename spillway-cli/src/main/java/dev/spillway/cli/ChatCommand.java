package dev.spillway.cli;

import dev.spillway.chat.ChatConfig;
import dev.spillway.chat.ChatServer;
import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.chat.history.HistoryStore;
import dev.spillway.chat.history.JdbcHistoryStore;
import dev.spillway.chat.web.RatedAnswers;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.RetrievalConfig;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spillway chat --config FILE} runs the chat app from the file's {@code chat:} section;
 * {@code spillway chat hash-password} prints a password hash for {@code chat.users[].password-hash};
 * {@code spillway chat ratings} exports the rated answers for evaluation.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Run the RAG chat web app (model calls go through the gateway).",
        subcommands = {ChatCommand.HashPassword.class, ChatCommand.Ratings.class})
public final class ChatCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Logging.Options logging;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config with a chat: section (required to run).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            System.err.println("spillway chat: give the config file: spillway chat --config FILE");
            return 2;
        }
        Section section;
        try {
            ConfigNode root = ConfigLoader.read(config, System.getenv());
            section = Section.read(root);
            root.throwIfInvalid();
        } catch (ConfigException e) {
            System.err.println("spillway chat: " + config + " is not valid:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        ChatConfig chat = section.chat();
        RetrievalConfig retrieval = section.retrieval();
        return serve(chat, retrieval);
    }

    /**
     * The {@code chat:} section as {@code spillway chat} reads it, shared with {@code config check}
     * so both judge a file alike: the chat and retrieval settings, and somebody able to sign in.
     * Problems are recorded on {@code root}; the caller throws them.
     */
    record Section(ChatConfig chat, RetrievalConfig retrieval) {
        static Section read(ConfigNode root) {
            ConfigNode node = root.child("chat");
            ChatConfig chat = ChatConfig.from(node);
            RetrievalConfig retrieval = RetrievalConfig.from(node.child("retrieval"));
            if (chat != null && chat.users().isEmpty() && chat.oidc().isEmpty()) {
                node.problem("users", "nobody can sign in: add chat.users (see 'spillway chat hash-password') or chat.oidc");
            }
            return new Section(chat, retrieval);
        }
    }

    /** Serves the chat app over the index that {@code spillway ingest} built (chat.retrieval.index-dir). */
    private static int serve(ChatConfig chat, RetrievalConfig retrieval) throws Exception {
        Vertx vertx = Lifecycle.vertx();
        try (Documents documents = new Documents(retrieval)) {
            ChatServer server = Lifecycle.await(ChatServer.start(vertx, chat, documents.retriever(), documents.pages()),
                    "the chat app", chat.port());
            String scheme = chat.tls().isPresent() ? "https" : "http";
            System.out.println("Spillway chat on " + scheme + "://" + chat.host() + ":" + server.port()
                    + "/ (documents from " + retrieval.indexDir() + "; add some with 'spillway ingest PATH')");
            Lifecycle.runUntilStopped(vertx);
        }
        return 0;
    }

    /** Prints everyone's rated answers from the chat history as JSON lines, for evaluation. */
    @Command(name = "ratings", mixinStandardHelpOptions = true,
            description = "Export rated answers (thumbs up/down) with their questions as JSON lines.")
    static final class Ratings implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
                description = "YAML config with a chat: section (its history database is read).")
        Path config;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100000",
                description = "at most this many answers, oldest rating first (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            ChatConfig chat;
            try {
                ConfigNode root = ConfigLoader.read(config, System.getenv());
                chat = ChatConfig.from(root.child("chat"));
                root.throwIfInvalid();
            } catch (ConfigException e) {
                System.err.println("spillway chat ratings: " + config + " is not valid:");
                e.problems().forEach(p -> System.err.println("  " + p));
                return 2;
            }
            try (HistoryStore history = JdbcHistoryStore.open(chat.history(), Clock.systemUTC())) {
                history.ratedAnswers(Optional.empty(), limit).forEach(a -> System.out.println(RatedAnswers.line(a)));
            }
            return 0;
        }
    }

    /** Prints a PBKDF2 hash of a password read from the terminal (twice) or, with --stdin, one line of stdin. */
    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Print a password hash for chat.users[].password-hash.")
    static final class HashPassword implements Callable<Integer> {
        @Option(names = "--stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + PasswordHasher.DEFAULT_ITERATIONS,
                description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}, OWASP's recommendation).")
        int iterations;

        @Override
        public Integer call() throws IOException {
            if (iterations < 100_000) {
                System.err.println("spillway chat hash-password: --iterations must be at least 100000, was " + iterations);
                return 2;
            }
            Optional<char[]> password = stdin ? fromStdin() : fromConsole();
            if (password.isEmpty()) return 2;
            try {
                System.out.println(new PasswordHasher(new SecureRandom(), iterations).hash(password.get()));
                return 0;
            } finally {
                Arrays.fill(password.get(), '\0');
            }
        }

        private static Optional<char[]> fromStdin() throws IOException {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                System.err.println("spillway chat hash-password: no password on standard input");
                return Optional.empty();
            }
            return Optional.of(line.toCharArray());
        }

        private static Optional<char[]> fromConsole() {
            Console console = System.console();
            if (console == null) {
                System.err.println("spillway chat hash-password: no terminal; pipe the password in with --stdin");
                return Optional.empty();
            }
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Again: ");
            if (first == null || first.length == 0 || !Arrays.equals(first, second)) {
                System.err.println("spillway chat hash-password: the passwords were empty or did not match");
                return Optional.empty();
            }
            Arrays.fill(second, '\0');
            return Optional.of(first);
        }
    }
}
