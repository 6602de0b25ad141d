package dev.spillway.store.jdbc.batch;

import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

class PostgresRequestQueueTest extends JdbcRequestQueueContract {
    private PostgresSchema schema;

    @Override
    protected Database open() {
        schema = PostgresSchema.create();
        return Database.open(schema.url(), Optional.empty(), Optional.empty(), 4);
    }

    @AfterEach
    void dropSchema() throws Exception {
        closeDatabase();
        if (schema != null) schema.close();
    }
}
