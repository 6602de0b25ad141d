package dev.spillway.gateway.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON-lines export rotated the logrotate way: whole lines, bounded files, the oldest dropped. */
class JsonLinesExportTest {
    @TempDir
    Path dir;

    private void ship(JsonLinesExport export, int n) {
        for (int i = 0; i < n; i++) {
            export.ship("usage", "req-" + i, Instant.EPOCH, Json.MAPPER.createObjectNode().put("id", "req-" + i)
                    .put("app", "app-1").put("padding", "x".repeat(150)));
        }
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(Json.MAPPER.readTree(line));
        return out;
    }

    @Test
    void linesCarryTheirKindAndTheRecordsFields() throws Exception {
        JsonLinesExport export = new JsonLinesExport(dir, 1 << 20, 3, 100);
        ship(export, 2);
        export.close();
        List<JsonNode> lines = lines(dir.resolve(JsonLinesExport.FILE));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("kind").asText()).isEqualTo("usage");
        assertThat(lines.get(1).get("id").asText()).isEqualTo("req-1");
    }

    @Test
    void aFullFileIsRotatedAndOnlyMaxFilesAreKept() throws Exception {
        JsonLinesExport export = new JsonLinesExport(dir, 1024, 3, 1000);
        ship(export, 50); // ~200 bytes a line: 5 lines a file, 10 files' worth
        export.close();
        Path live = dir.resolve(JsonLinesExport.FILE);
        assertThat(dir.resolve(JsonLinesExport.FILE + ".1")).exists();
        assertThat(dir.resolve(JsonLinesExport.FILE + ".2")).exists();
        assertThat(dir.resolve(JsonLinesExport.FILE + ".3")).doesNotExist();
        for (Path f : List.of(live, dir.resolve(JsonLinesExport.FILE + ".1"), dir.resolve(JsonLinesExport.FILE + ".2"))) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
            assertThat(lines(f)).isNotEmpty(); // every line whole and parseable
        }
        List<JsonNode> newest = lines(live);
        assertThat(newest.getLast().get("id").asText()).isEqualTo("req-49");
        List<JsonNode> older = lines(dir.resolve(JsonLinesExport.FILE + ".1"));
        int firstLive = Integer.parseInt(newest.getFirst().get("id").asText().substring(4));
        assertThat(older.getLast().get("id").asText()).isEqualTo("req-" + (firstLive - 1));
        assertThat(export.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsAndCounts() throws Exception {
        Path blocked = Files.writeString(dir.resolve("not-a-dir"), "a file where the directory should be");
        JsonLinesExport export = new JsonLinesExport(blocked, 1024, 3, 1000);
        ship(export, 3);
        export.close();
        assertThat(export.dropped()).isEqualTo(3); // each write failed: counted, never thrown at the caller
    }
}
