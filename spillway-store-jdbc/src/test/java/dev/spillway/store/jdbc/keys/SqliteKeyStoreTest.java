package dev.spillway.store.jdbc.keys;

import dev.spillway.gateway.access.keys.KeyStore;
import dev.spillway.gateway.access.keys.KeyStoreContract;
import dev.spillway.store.jdbc.Database;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class SqliteKeyStoreTest extends KeyStoreContract {
    @TempDir
    Path dir;

    @Override
    protected KeyStore open() {
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("sub/spillway.db"), Optional.empty(),
                Optional.empty(), 2);
        return new ClosingKeyStore(new JdbcKeyStore(db.dataSource()), db);
    }
}
