package dev.spillway.chat.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHistoryStoreTest extends HistoryStoreContract {
    @TempDir
    Path dir;

    private HistoryConfig config() {
        return HistoryConfig.sqlite(dir.resolve("nested/chat.db").toString());
    }

    @Override
    HistoryStore open() {
        return JdbcHistoryStore.open(config(), clock);
    }

    @Test
    void reopeningKeepsTheHistory() {
        String id = store().create("local:frank", "kept").id();
        assertThat(store().find("local:frank", id)).isPresent();
    }

    @Test
    void opensADatabaseTheGatewayAlreadyUses() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("nested"));
        try (Connection c = DriverManager.getConnection(config().url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE usage_ledger (request_id VARCHAR(64) PRIMARY KEY)");
            s.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY)");
        }
        HistoryStore h = store();
        assertThat(h.list("local:gina", 5)).isEmpty();
        assertThat(h.create("local:gina", "works").title()).isEqualTo("works");
    }
}
