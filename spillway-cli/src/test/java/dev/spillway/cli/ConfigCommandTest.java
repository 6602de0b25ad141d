package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void validFileIsOkAndExitsZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, """
                gateway:
                  keys: [ { name: a, key: k-0123456789abcdef0123456789abcdef } ]
                  backends: [ { name: b, url: "http://127.0.0.1:8081", deployment: d } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("ok (gateway: 1 backends, 1 deployments, 1 keys)");
    }

    @Test
    void keyVaultReferencesAreLeftToTheGatewaysStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kv.yaml");
        Files.writeString(file, """
                gateway:
                  identity: { kind: imds }
                  backends:
                    - { name: b, url: "https://contoso.openai.azure.com", deployment: d, auth: api-key,
                        secret: "${keyvault:https://contoso-kv.vault.azure.net/secrets/b-key}" }
                    - { name: m, url: "https://contoso.openai.azure.com", deployment: d, auth: managed-identity }
                  deployments: [ { name: gpt-4o, backends: [b, m] } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    @Test
    void aManagedIdentityBackendNeedsTheIdentity(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mi.yaml");
        Files.writeString(file, """
                gateway:
                  backends: [ { name: m, url: "https://contoso.openai.azure.com", deployment: d, auth: managed-identity } ]
                  deployments: [ { name: gpt-4o, backends: [m] } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out() + r.err()).contains("gateway.identity: is required when a backend has auth: managed-identity");
    }

    @Test
    void healthcheckExitsZeroOnlyOn200() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/healthz", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/readyz", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(run("healthcheck", "--url", base + "/healthz").exit()).isZero();
            assertThat(run("healthcheck", "--url", base + "/readyz").exit()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theBenchmarkGatewayAndSimulatorConfigsAreValid() throws Exception {
        java.util.List<Path> configs;
        try (var files = Files.list(Path.of("../benchmarks/overhead"))) {
            configs = files.filter(p -> p.getFileName().toString().matches("(gateway.*|simulator)\\.yaml")).sorted()
                    .toList();
        }
        assertThat(configs).hasSizeGreaterThanOrEqualTo(7).anyMatch(p -> p.endsWith("simulator.yaml"));
        for (Path config : configs) {
            Run r = run("config", "check", config.toString());
            assertThat(r.exit()).as("%s: %s", config, r.out() + r.err()).isZero();
        }
    }

    @Test
    void aTypoInTheSimulatorSectionIsAProblemWithItsPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.yaml");
        Files.writeString(file, """
                simulator:
                  prot: 8081
                  deployments: [ { name: d, model: gpt-4o, kind: pay-as-you-go, tokens-per-minute: 1000 } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("simulator.prot: unknown key (did you mean 'port'?)");
    }

    @Test
    void settingsWithoutASectionAreToldToGoUnderOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flat.yaml");
        Files.writeString(file, """
                listener: { port: 8080 }
                backends: [ { name: ptu, url: "http://127.0.0.1:8081", deployment: d } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("listener: unknown key", "backends: unknown key",
                "(root): a config file holds its settings under the sections 'gateway', 'simulator' or 'chat',"
                        + " and this one has none (indent the settings under 'gateway:'");
    }

    @Test
    void everyProblemIsPrintedWithItsPathAndTheExitCodeIsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                gateway:
                  prot: 8080
                  backends:
                    - { name: ptu, url: "localhost:8081", deployment: d }
                  deployments: [ { name: gpt-4o, backends: [ptu, payg] } ]
                gatway: {}
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(
                "gateway.prot: unknown key (did you mean 'port'?)",
                "gateway.backends[0].url: must be an absolute http(s) URL, was 'localhost:8081'",
                "gateway.deployments[0].backends[1]: no backend named 'payg' (known: ptu)",
                "gatway: unknown key (did you mean 'gateway'?)",
                "4 problems");
    }

    @Test
    void aSecretWhoseVariableIsNotSetIsAProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret.yaml");
        Files.writeString(file, """
                gateway:
                  keys: [ { name: a, key: "${env:SPILLWAY_TEST_SURELY_UNSET}" } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("gateway.keys[0].key: environment variable SPILLWAY_TEST_SURELY_UNSET is not set");
    }

    @Test
    void anAuditKeyThatIsShortOrMissingIsAProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit-keys.yaml");
        Files.writeString(file, """
                gateway:
                  audit:
                    chain-keys: [ { id: c1, secret: "too-short" } ]
                    body-keys: [ { id: b1, secret: "${env:SPILLWAY_TEST_SURELY_UNSET}" } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("gateway.audit.chain-keys[0].secret: audit key c1 (<literal secret>) is 9"
                + " characters; it must be at least 32")
                .contains("gateway.audit.body-keys[0].secret: environment variable SPILLWAY_TEST_SURELY_UNSET is not set");
    }

    @Test
    void missingFileIsReportedNotThrown(@TempDir Path dir) {
        Run r = run("config", "check", dir.resolve("nope.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml: no such file");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"up", "gateway", "simulator", "chat", "ingest", "eval", "bench", "config"}) {
            Run r = run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: spillway " + command);
        }
    }

    @Test
    void aChatSectionThatSpillwayChatWouldRefuseIsNotOk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chat.yaml");
        Files.writeString(file, "chat:\n  gateway-key: k\n  colour: blue\n");
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("chat.colour: unknown key").contains("chat.users: nobody can sign in");
    }

    @Test
    void aStaticKeyShorterThan32CharactersIsAProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("short.yaml");
        Files.writeString(file, """
                gateway:
                  keys: [ { name: a, key: abc } ]
                  backends: [ { name: b, url: "http://127.0.0.1:8081", deployment: d } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                """);
        Run r = run("config", "check", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("gateway.keys: key 'a' has 3 characters");
    }

    @Test
    void upKeepsItsDemoKeyAndPasswordReadableByTheOwnerOnly(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("demo.key");
        String secret = UpCommand.keptSecret(key, "sk-spw-demo-", 16);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(UpCommand.keptSecret(key, "sk-spw-demo-", 16)).isEqualTo(secret);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
    }
}
