package dev.spillway.cli;

import dev.spillway.chat.ChatConfig;
import dev.spillway.chat.ChatServer;
import dev.spillway.chat.DocumentPages;
import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.Retriever;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spillway chat --config FILE} runs the chat app from the file's {@code chat:} section;
 * {@code spillway chat hash-password} prints a password hash for {@code chat.users[].password-hash}.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Run the RAG chat web app (model calls go through the gateway).",
        subcommands = ChatCommand.HashPassword.class)
public final class ChatCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config with a chat: section (required to run).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            System.err.println("spillway chat: give the config file: spillway chat --config FILE");
            return 2;
        }
        ChatConfig chat;
        try {
            ConfigNode root = ConfigLoader.read(config, System.getenv());
            chat = ChatConfig.from(root.child("chat"));
            root.throwIfInvalid();
        } catch (ConfigException e) {
            System.err.println("spillway chat: " + config + " is not valid:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        if (chat.users().isEmpty() && chat.oidc().isEmpty()) {
            System.err.println("spillway chat: nobody can sign in: add chat.users (see 'spillway chat hash-password') or chat.oidc.");
            return 2;
        }
        return serve(chat);
    }

    private static int serve(ChatConfig chat) throws InterruptedException {
        // Until spillway-retrieval's index is wired in by `spillway up` (issue 6), the standalone command
        // runs with no documents: answers will say the sources do not cover the question.
        Retriever noDocuments = request -> List.of();
        DocumentPages noPages = (citation, groups) -> Optional.empty();
        System.err.println("spillway chat: no document index is attached; run `spillway up` for the demo documents.");
        Vertx vertx = Vertx.vertx();
        ChatServer server;
        try {
            server = ChatServer.start(vertx, chat, noDocuments, noPages).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("spillway chat: cannot start: " + e.getMessage());
            vertx.close();
            return 1;
        }
        System.out.println("Spillway chat on http://" + chat.host() + ":" + server.port() + "/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().compose(v -> vertx.close()).onComplete(r -> stopped.countDown());
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        stopped.await();
        return 0;
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
