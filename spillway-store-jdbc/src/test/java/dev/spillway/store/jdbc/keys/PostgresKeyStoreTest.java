package dev.spillway.store.jdbc.keys;

import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.gateway.access.keys.KeyStore;
import dev.spillway.gateway.access.keys.KeyStoreContract;
import dev.spillway.store.jdbc.Database;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The key store contract on the real PostgreSQL at 127.0.0.1:5432 (database {@code test}). */
class PostgresKeyStoreTest extends KeyStoreContract {
    @BeforeAll
    static void postgresIsUp() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
        } catch (IOException e) {
            String reason = "PostgreSQL is not reachable on 127.0.0.1:5432 (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) fail(reason + "; CI=true requires it");
            Assumptions.abort("SKIPPED LOUDLY: " + reason);
        }
    }

    @Override
    protected KeyStore open() {
        Database db = Database.open("jdbc:postgresql://127.0.0.1:5432/test", Optional.of("postgres"),
                Optional.empty(), 2);
        return new ClosingKeyStore(new JdbcKeyStore(db.dataSource()), db);
    }
}
