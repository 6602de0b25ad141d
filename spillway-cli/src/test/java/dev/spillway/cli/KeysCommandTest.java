package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void keysAreCreatedListedRotatedAndRevokedInTheConfiguredDatabase() throws Exception {
        Path config = dir.resolve("spillway.yaml");
        Files.writeString(config, "gateway:\n  database: {url: \"jdbc:sqlite:" + dir.resolve("keys.db") + "\"}\n");

        Run created = run("keys", "--config", config.toString(), "create", "--app", "chat", "--team", "search",
                "--tpm", "1000", "--deployment", "gpt-4o");
        assertThat(created.exit()).isZero();
        Matcher secret = Pattern.compile("secret \\(shown once, store it now\\): (sk-spw-\\S+)").matcher(created.out());
        assertThat(secret.find()).isTrue();
        String id = Pattern.compile("\"id\" : \"(key_[0-9a-f]+)\"").matcher(created.out()).results()
                .findFirst().orElseThrow().group(1);

        Run list = run("keys", "--config", config.toString(), "list");
        assertThat(list.out()).contains(id).contains("chat").contains("active").doesNotContain(secret.group(1));

        Run rotated = run("keys", "--config", config.toString(), "rotate", id, "--overlap", "1h");
        assertThat(rotated.exit()).isZero();
        assertThat(rotated.out()).contains("secret (shown once");

        Run revoked = run("keys", "--config", config.toString(), "revoke", id);
        assertThat(revoked.out()).contains("revoked " + id);
        assertThat(run("keys", "--config", config.toString(), "list").out()).contains("revoked");
    }

    @Test
    void aMissingAppOrUnknownKeyIsAClearError() throws Exception {
        Path config = dir.resolve("spillway.yaml");
        Files.writeString(config, "gateway:\n  database: {url: \"jdbc:sqlite:" + dir.resolve("keys.db") + "\"}\n");
        Run noApp = run("keys", "--config", config.toString(), "create");
        assertThat(noApp.exit()).isNotZero();
        assertThat(noApp.err()).contains("--app");
        Run unknown = run("keys", "--config", config.toString(), "revoke", "key_nope");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no key with id 'key_nope'");
    }
}
