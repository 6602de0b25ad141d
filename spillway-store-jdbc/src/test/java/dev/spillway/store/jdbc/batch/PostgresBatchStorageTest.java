package dev.spillway.store.jdbc.batch;

import dev.spillway.gateway.batch.BatchStorage;
import dev.spillway.gateway.batch.BatchStorageContract;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

class PostgresBatchStorageTest extends BatchStorageContract {
    private PostgresSchema schema;

    @Override
    protected BatchStorage open() {
        schema = PostgresSchema.create();
        return JdbcBatchStorageProvider.of(Database.open(schema.url(), Optional.empty(), Optional.empty(), 4));
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (storage != null) storage.close();
        storage = null;
        if (schema != null) schema.close();
    }
}
