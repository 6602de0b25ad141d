package dev.spillway.store.jdbc.ledger;

import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import org.junit.jupiter.api.AfterEach;

class PostgresUsageStoreTest extends UsageStoreContract {
    private PostgresSchema schema;

    @Override
    Database open() {
        schema = PostgresSchema.create();
        return Database.open(schema.url());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) schema.close();
    }
}
