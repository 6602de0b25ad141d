package dev.spillway.store.jdbc.batch;

import dev.spillway.gateway.batch.BatchStorage;
import dev.spillway.gateway.batch.BatchStorageContract;
import dev.spillway.store.jdbc.Database;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class SqliteBatchStorageTest extends BatchStorageContract {
    @TempDir
    Path dir;

    @Override
    protected BatchStorage open() {
        return JdbcBatchStorageProvider.of(Database.open("jdbc:sqlite:" + dir.resolve("spillway.db"),
                Optional.empty(), Optional.empty(), 4));
    }
}
