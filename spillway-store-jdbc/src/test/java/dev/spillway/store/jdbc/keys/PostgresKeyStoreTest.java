package dev.spillway.store.jdbc.keys;

import dev.spillway.gateway.access.keys.KeyStore;
import dev.spillway.gateway.access.keys.KeyStoreContract;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.PostgresSchema;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The key store contract on the real PostgreSQL at 127.0.0.1:5432, each test in a schema of its
 * own, so no test sees another's keys or another checkout's migrations (skips loudly without the
 * server, fails under CI=true).
 */
class PostgresKeyStoreTest extends KeyStoreContract {
    private PostgresSchema schema;

    @Override
    protected KeyStore open() {
        schema = PostgresSchema.create();
        Database db = Database.open(schema.url(), Optional.empty(), Optional.empty(), 2);
        return new ClosingKeyStore(new JdbcKeyStore(db.dataSource()), db);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) schema.close();
    }
}
