package dev.spillway.gateway.budget;

import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

class PostgresBudgetAlertLogTest extends BudgetAlertLogContract {
    private PostgresSchema schema;

    @Override
    Database open() {
        schema = PostgresSchema.create();
        return Database.open(schema.url(), Optional.empty(), Optional.empty(), 2);
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) schema.close();
    }
}
