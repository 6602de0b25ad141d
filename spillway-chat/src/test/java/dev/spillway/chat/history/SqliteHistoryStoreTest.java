package dev.spillway.chat.history;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteHistoryStoreTest extends HistoryStoreContract {
    @TempDir
    Path dir;

    @Override
    HistoryStore store() {
        return JdbcHistoryStore.open(HistoryConfig.sqlite(dir.resolve("nested/chat.db").toString()), clock);
    }
}
