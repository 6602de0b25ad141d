package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks the audit hash chain from its anchor and reports every break: an edited record (its
 * hash no longer matches), a deleted one (the next {@code prev} or {@code seq} does not follow),
 * an edited or missing body file (its SHA-256 differs from the record's). Records deleted from
 * the very end leave no trace in the chain itself: compare the printed head with a copy kept
 * elsewhere. Stateless; blocking file reads.
 */
public final class AuditVerifier {
    /** The outcome: records checked, the newest seq and hash, and the problems found (empty = intact). */
    public record Report(long records, long headSeq, String headHash, List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private AuditVerifier() {
    }

    public static Report verify(Path auditDir) throws IOException {
        ChainFiles.Anchor anchor = ChainFiles.anchor(auditDir);
        long expectedSeq = anchor.seq() + 1;
        String prev = anchor.hash();
        long records = 0;
        List<String> problems = new ArrayList<>();
        for (Path segment : ChainFiles.segments(auditDir)) {
            ChainFiles.Lines lines = ChainFiles.read(segment);
            for (int i = 0; i < lines.lines().size(); i++) {
                String where = segment.getFileName() + " line " + (i + 1);
                ChainEncoder.Parsed p;
                try {
                    p = ChainEncoder.parse(lines.lines().get(i));
                } catch (IOException e) {
                    problems.add(where + ": unreadable record (edited): " + e.getMessage());
                    continue;
                }
                records++;
                JsonNode c = p.content();
                String id = c.path("id").asText();
                long seq = c.path("seq").asLong();
                if (!p.intact()) problems.add(where + " (request " + id + "): hash mismatch, the record was edited");
                if (!c.path("prev").asText().equals(prev) || seq != expectedSeq) {
                    problems.add(where + " (request " + id + "): chain broken before it: expected seq " + expectedSeq
                            + ", found " + seq + "; a record was deleted or reordered");
                }
                checkBody(auditDir, c, "request_body", where, id).ifPresent(problems::add);
                checkBody(auditDir, c, "response_body", where, id).ifPresent(problems::add);
                prev = p.claimed();
                expectedSeq = seq + 1;
            }
            if (lines.tornTail()) problems.add(segment.getFileName() + ": ends in a partial line (crash while writing?)");
        }
        return new Report(records, expectedSeq - 1, prev, List.copyOf(problems));
    }

    private static Optional<String> checkBody(Path auditDir, JsonNode record, String field, String where, String id)
            throws IOException {
        JsonNode body = record.path(field);
        if (!body.isObject()) return Optional.empty();
        if (body.path("file").isNull() && body.path("bytes_stored").asLong() == 0 && body.path("incomplete").asBoolean()) {
            return Optional.empty(); // skipped under load: nothing was stored, and the record says so
        }
        if (!Files.exists(auditDir.resolve(body.path("file").asText()))) {
            return Optional.of(where + " (request " + id + "): " + field + " file is missing");
        }
        String actual = ChainEncoder.sha256(AuditReader.body(auditDir, record, field).orElseThrow());
        return actual.equals(body.path("sha256").asText())
                ? Optional.empty()
                : Optional.of(where + " (request " + id + "): " + field + " file was edited (SHA-256 differs)");
    }
}
