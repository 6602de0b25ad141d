package dev.spillway.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void storesNamingOneUrlShareOnePool() {
        try (Database keys = shared("spillway.db"); Database ledger = shared("spillway.db");
                Database other = shared("other.db")) {
            assertThat(ledger.dataSource()).isSameAs(keys.dataSource());
            assertThat(other.dataSource()).isNotSameAs(keys.dataSource());
        }
    }

    @Test
    void sharedPoolStaysOpenUntilItsLastHandleCloses() throws SQLException {
        Database keys = shared("spillway.db");
        Database ledger = shared("spillway.db");
        keys.close();
        keys.close(); // a second close gives back nothing more
        assertThat(appliedMigrations(ledger)).isPositive();
        ledger.close();
        assertThatThrownBy(() -> ledger.dataSource().getConnection()).isInstanceOf(SQLException.class);
        try (Database again = shared("spillway.db")) {
            assertThat(again.dataSource()).isNotSameAs(ledger.dataSource());
            assertThat(appliedMigrations(again)).isPositive();
        }
    }

    private Database shared(String file) {
        return Database.shared("jdbc:sqlite:" + dir.resolve(file), Optional.empty(), Optional.empty(), 2);
    }

    private static int appliedMigrations(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success = 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
