package dev.spillway.cli;

import dev.spillway.core.tls.TrustBundle;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spillway cache purge}: asks a running gateway to drop cached answers
 * ({@code DELETE /admin/cache}), so it works for the in-memory store of that gateway as for the
 * Redis store every replica shares.
 */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "The gateway's response cache.",
        subcommands = {CacheCommand.Purge.class})
public final class CacheCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Drop every cached answer of an app, or of one of its partitions.")
    static final class Purge implements Callable<Integer> {
        @Option(names = "--gateway", required = true, description = "the gateway's URL, e.g. https://127.0.0.1:8080")
        URI gateway;
        @Option(names = "--app", required = true, description = "the app whose answers go")
        String app;
        @Option(names = "--partition", description = "only this partition id (from the gateway's logs or admin API)")
        Optional<String> partition;
        @Option(names = "--admin-key-file", description = "a file holding gateway.admin.key (default: $SPILLWAY_ADMIN_KEY)")
        Optional<Path> keyFile;
        @Option(names = "--cacert", description = "a PEM bundle to trust for an https gateway (spillway up: data/tls/ca.pem)")
        Optional<Path> caFile;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                HttpResponse<String> response = send();
                boolean ok = response.statusCode() == 200;
                (ok ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(response.body());
                return ok ? 0 : 1;
            } catch (IllegalArgumentException | IOException e) {
                spec.commandLine().getErr().println("spillway cache purge: " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }

        private HttpResponse<String> send() throws IOException, InterruptedException {
            HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            caFile.ifPresent(ca -> http.sslContext(TrustBundle.sslContext(ca)));
            String query = "?app=" + encode(app) + partition.map(p -> "&partition=" + encode(p)).orElse("");
            HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/admin/cache" + query))
                    .timeout(Duration.ofSeconds(30)).header("api-key", adminKey()).DELETE().build();
            try (HttpClient client = http.build()) {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            }
        }

        private String adminKey() throws IOException {
            if (keyFile.isPresent()) return Files.readString(keyFile.get()).strip();
            String env = System.getenv("SPILLWAY_ADMIN_KEY");
            if (env == null || env.isBlank()) {
                throw new IllegalArgumentException("no admin key: pass --admin-key-file or set SPILLWAY_ADMIN_KEY");
            }
            return env.strip();
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
