package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The CLI's logback.xml: third-party chatter stays off the console unless asked for. */
class LoggingTest {
    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setErr(stderr);
        new Logging.Options().verbose(false);
    }

    private String consoleWhileLogging(Runnable logging) {
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        logging.run();
        System.setErr(stderr);
        return console.toString(StandardCharsets.UTF_8);
    }

    private static void chatter() {
        LoggerFactory.getLogger("org.flywaydb.core.internal.command.DbMigrate").info("Migrating schema \"main\"");
        LoggerFactory.getLogger("com.zaxxer.hikari.HikariDataSource").info("spillway-db - Starting...");
        LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils").warn("Failed to detect GPU count");
        java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization.VectorizationProvider")
                .warning("Java vector incubator module is not readable");
        LoggerFactory.getLogger("dev.spillway.gateway.ledger.Accounting").warn("no usage store module");
        LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").error("connection is broken");
    }

    @Test
    void theConsoleShowsSpillwaysWarningsAndAnyonesErrorsButNoThirdPartyInfoOrWarnings() {
        Logging.routeJavaUtilLogging();
        String shown = consoleWhileLogging(LoggingTest::chatter);
        assertThat(shown).contains("no usage store module").contains("connection is broken")
                .doesNotContain("Migrating").doesNotContain("Starting").doesNotContain("GPU")
                .doesNotContain("vector incubator");
    }

    @Test
    void verboseShowsEverythingAndTheLogFileAlwaysHasIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spillway.log");
        Logging.toFile(file);
        new Logging.Options().verbose(true);
        String shown = consoleWhileLogging(LoggingTest::chatter);
        assertThat(shown).contains("Migrating").contains("GPU").contains("vector incubator");
        assertThat(Files.readString(file)).contains("Migrating").contains("Starting").contains("GPU")
                .contains("vector incubator").contains("no usage store module");
    }
}
