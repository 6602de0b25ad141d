package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds one request's audit record (newest segment first). Stateless; blocking file reads. */
public final class AuditReader {
    private AuditReader() {
    }

    public static Optional<JsonNode> find(Path auditDir, String requestId) throws IOException {
        List<Path> segments = ChainFiles.segments(auditDir);
        String needle = "\"id\":" + Json.MAPPER.writeValueAsString(requestId) + ",";
        for (int i = segments.size() - 1; i >= 0; i--) {
            List<String> lines = ChainFiles.read(segments.get(i)).lines();
            for (int j = lines.size() - 1; j >= 0; j--) {
                if (lines.get(j).contains(needle)) return Optional.of(ChainEncoder.parse(lines.get(j)).content());
            }
        }
        return Optional.empty();
    }

    /** The file of a body named in a record ({@code request_body} or {@code response_body}), if any. */
    public static Optional<Path> bodyFile(Path auditDir, JsonNode record, String field) {
        JsonNode file = record.path(field).path("file");
        return file.isTextual() ? Optional.of(auditDir.resolve(file.asText())) : Optional.empty();
    }
}
