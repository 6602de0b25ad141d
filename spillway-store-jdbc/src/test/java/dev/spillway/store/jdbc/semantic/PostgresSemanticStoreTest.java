package dev.spillway.store.jdbc.semantic;

import dev.spillway.gateway.cache.semantic.SemanticStore;
import dev.spillway.gateway.cache.semantic.SemanticStoreContract;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * The semantic store contract on the real PostgreSQL at 127.0.0.1:5432: each test's replicas share
 * a schema of their own, each replica its own pool, as two gateways would (skips loudly without
 * the server, fails under CI=true).
 */
class PostgresSemanticStoreTest extends SemanticStoreContract {
    private PostgresSchema schema;

    @Override
    protected SemanticStore openStore(Clock clock, int maxEntries) {
        if (schema == null) schema = PostgresSchema.create();
        return new PostgresSemanticStore(Database.open(schema.url(), Optional.empty(), Optional.empty(), 2),
                maxEntries, clock);
    }

    @Override
    protected void afterReplicasClosed() throws SQLException {
        if (schema != null) schema.close();
    }
}
