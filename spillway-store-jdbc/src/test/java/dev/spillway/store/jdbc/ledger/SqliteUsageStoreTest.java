package dev.spillway.store.jdbc.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.store.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteUsageStoreTest extends UsageStoreContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return Database.open("jdbc:sqlite:" + dir.resolve("sub/spillway.db"), Optional.empty(), Optional.empty(), 4);
    }

    @Test
    void sqliteRunsInWalModeWithFullSync() throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                assertThat(rs.getInt(1)).as("2 = FULL").isEqualTo(2);
            }
        }
    }
}
