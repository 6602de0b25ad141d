package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.chat.auth.PasswordHasher;
import dev.spillway.chat.history.HistoryConfig;
import dev.spillway.chat.history.HistoryStore;
import dev.spillway.chat.history.JdbcHistoryStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;
    private InputStream oldIn;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    @Test
    void hashPasswordPrintsAHashThatVerifies() {
        System.setIn(new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)));
        int code = SpillwayCommand.commandLine().execute("chat", "hash-password", "--stdin", "--iterations", "100000");
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).isZero();
        assertThat(hash).startsWith("pbkdf2-sha256$100000$");
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), hash)).isTrue();
    }

    @Test
    void hashPasswordRefusesAWeakWorkFactor() {
        int code = SpillwayCommand.commandLine().execute("chat", "hash-password", "--stdin", "--iterations", "1000");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--iterations must be at least 100000");
    }

    @Test
    void invalidConfigIsReportedWithPathsAndExitCode2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spillway.yaml");
        Files.writeString(file, "chat:\n  port: 8090\n  colour: blue\n");
        int code = SpillwayCommand.commandLine().execute("chat", "--config", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("chat.gateway-key: is required", "chat.colour: unknown key");
    }

    @Test
    void configWithNobodyToSignInIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spillway.yaml");
        Files.writeString(file, "chat:\n  gateway-key: k\n");
        assertThat(SpillwayCommand.commandLine().execute("chat", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nobody can sign in");
    }

    @Test
    void ratingsExportsEveryonesRatedAnswersAsJsonLines(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("chat.db");
        try (HistoryStore h = JdbcHistoryStore.open(HistoryConfig.sqlite(db.toString()), Clock.systemUTC())) {
            for (String user : new String[] {"local:ann", "local:ben"}) {
                String id = h.create(user, "Vacation").id();
                h.append(user, id, new HistoryStore.StoredMessage("user", "How many days?", "{}", Instant.now()));
                h.append(user, id, new HistoryStore.StoredMessage("assistant", "25 days [handbook.pdf#page=3]",
                        "{\"query\":\"vacation days\",\"citations\":[\"handbook.pdf#page=3\"]}", Instant.now()));
                h.rate(user, id, 2, user.equals("local:ann") ? "up" : "down");
            }
        }
        Path file = dir.resolve("spillway.yaml");
        Files.writeString(file, "chat:\n  gateway-key: k\n  history: { url: \"jdbc:sqlite:" + db + "\" }\n");
        assertThat(SpillwayCommand.commandLine().execute("chat", "ratings", "--config", file.toString())).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        String ann = lines.stream().filter(l -> l.contains("\"user\":\"local:ann\"")).findFirst().orElseThrow();
        String ben = lines.stream().filter(l -> l.contains("\"user\":\"local:ben\"")).findFirst().orElseThrow();
        assertThat(ann).contains("\"rating\":\"up\"", "\"question\":\"How many days?\"",
                "\"query\":\"vacation days\"", "\"citations\":[\"handbook.pdf#page=3\"]");
        assertThat(ben).contains("\"rating\":\"down\"");
    }
}
