package dev.spillway.gateway.budget;

import dev.spillway.store.jdbc.Database;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class SqliteBudgetAlertLogTest extends BudgetAlertLogContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return Database.open("jdbc:sqlite:" + dir.resolve("spillway.db"), Optional.empty(), Optional.empty(), 2);
    }
}
