package dev.spillway.store.jdbc.ledger;

import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

class PostgresUsageStoreTest extends UsageStoreContract {
    private PostgresSchema schema;

    @Override
    Database open() {
        schema = PostgresSchema.create();
        return Database.open(schema.url(), Optional.empty(), Optional.empty(), 4);
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) schema.close();
    }
}
