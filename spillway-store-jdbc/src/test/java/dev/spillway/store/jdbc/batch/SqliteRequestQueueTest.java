package dev.spillway.store.jdbc.batch;

import dev.spillway.store.jdbc.Database;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class SqliteRequestQueueTest extends JdbcRequestQueueContract {
    @TempDir
    Path dir;

    @Override
    protected Database open() {
        return Database.open("jdbc:sqlite:" + dir.resolve("spillway.db"), Optional.empty(), Optional.empty(), 4);
    }
}
