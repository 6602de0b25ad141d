package dev.spillway.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spillway healthcheck}: asks a health URL and exits 0 on 200, 1 otherwise. The container
 * image's health check runs it, since the image has no shell and no curl.
 */
@Command(name = "healthcheck", mixinStandardHelpOptions = true,
        description = "Exit 0 if URL answers 200 (default: the health port's /healthz), else 1.")
final class HealthcheckCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8081/healthz", paramLabel = "URL",
            description = "the health URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Override
    public Integer call() {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) return 0;
            System.err.println(url + " answered " + r.statusCode());
        } catch (Exception e) {
            System.err.println(url + ": " + e);
        }
        return 1;
    }
}
