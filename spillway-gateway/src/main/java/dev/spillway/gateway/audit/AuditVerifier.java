package dev.spillway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the audit hash chain from its retention anchor and reports every break: an edited record
 * (its hash no longer matches: SHA-256, or HMAC under the key it names), a deleted one (the next
 * {@code prev} or {@code seq} does not follow), an edited or missing body file (its SHA-256
 * differs from the record's), an unkeyed record after keyed ones (rewritten without the key), and
 * a disagreement with a head anchored outside the audit directory: the chain ends before it (the
 * tail was cut) or holds another hash at its seq (the chain was recomputed). Without anchors, a
 * tail cut leaves no trace. Stateless; blocking reads.
 */
public final class AuditVerifier {
    /**
     * The outcome: records checked, the newest seq and hash, how many records are unkeyed (while
     * keys are configured), how many anchored heads were compared, and the problems (empty = intact).
     */
    public record Report(long records, long headSeq, String headHash, long unkeyed, int anchorsChecked,
            List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private AuditVerifier() {
    }

    /** Checks the chain alone: unkeyed records fully, keyed ones only if {@code keys} has their key. */
    public static Report verify(Path auditDir) throws IOException {
        return verify(auditDir, Keyring.NONE, List.of());
    }

    public static Report verify(Path auditDir, Keyring keys, List<HeadAnchors> places) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<Long, List<Anchored>> anchored = read(places, problems);
        ChainFiles.Anchor start = ChainFiles.anchor(auditDir);
        Walk walk = new Walk(auditDir, keys, anchored.keySet(), start, problems);
        for (Path segment : ChainFiles.segments(auditDir)) walk.segment(segment);
        int checked = 0;
        for (Map.Entry<Long, List<Anchored>> e : anchored.entrySet()) {
            for (Anchored a : e.getValue()) if (walk.compare(a)) checked++;
        }
        return new Report(walk.records, walk.expectedSeq - 1, walk.prev, walk.unkeyed, checked, List.copyOf(problems));
    }

    /** An anchored head and where it was found. */
    private record Anchored(AnchoredHead head, String place) {}

    private static Map<Long, List<Anchored>> read(List<HeadAnchors> places, List<String> problems) {
        Map<Long, List<Anchored>> bySeq = new HashMap<>();
        for (HeadAnchors place : places) {
            try {
                for (AnchoredHead h : place.heads()) {
                    bySeq.computeIfAbsent(h.seq(), s -> new ArrayList<>()).add(new Anchored(h, place.describe()));
                }
            } catch (Exception e) {
                problems.add("cannot read the anchored heads in " + place.describe() + ": " + e.getMessage());
            }
        }
        return bySeq;
    }

    /** One pass over the segments, oldest first. */
    private static final class Walk {
        private final Path auditDir;
        private final Keyring keys;
        private final Set<Long> wanted;
        private final ChainFiles.Anchor start;
        private final List<String> problems;
        private final Map<Long, String> hashAt = new HashMap<>();
        long expectedSeq;
        String prev;
        long records;
        long unkeyed;
        private boolean keyedSeen;

        Walk(Path auditDir, Keyring keys, Set<Long> wanted, ChainFiles.Anchor start, List<String> problems) {
            this.auditDir = auditDir;
            this.keys = keys;
            this.wanted = wanted;
            this.start = start;
            this.problems = problems;
            this.expectedSeq = start.seq() + 1;
            this.prev = start.hash();
            if (wanted.contains(start.seq())) hashAt.put(start.seq(), start.hash());
        }

        void segment(Path segment) throws IOException {
            ChainFiles.Lines lines = ChainFiles.read(segment);
            for (int i = 0; i < lines.lines().size(); i++) {
                String where = segment.getFileName() + " line " + (i + 1);
                try {
                    record(ChainEncoder.parse(lines.lines().get(i)), where);
                } catch (IOException e) {
                    problems.add(where + ": unreadable record (edited): " + e.getMessage());
                }
            }
            if (lines.tornTail()) problems.add(segment.getFileName() + ": ends in a partial line (crash while writing?)");
        }

        private void record(ChainEncoder.Parsed p, String where) throws IOException {
            records++;
            JsonNode c = p.content();
            String at = where + " (request " + c.path("id").asText() + ")";
            long seq = c.path("seq").asLong();
            switch (ChainEncoder.check(p, keys)) {
                case EDITED -> problems.add(at + ": hash mismatch, the record was edited");
                case UNKNOWN_KEY -> problems.add(at + ": signed with key '" + p.keyId().orElseThrow()
                        + "', which is not configured (audit.chain-keys), so it cannot be checked");
                case INTACT -> { }
            }
            if (p.keyId().isPresent()) {
                keyedSeen = true;
            } else if (!keys.isEmpty()) {
                unkeyed++;
                if (keyedSeen) problems.add(at + ": unkeyed record after keyed ones, the chain was rewritten without the key");
            }
            if (!c.path("prev").asText().equals(prev) || seq != expectedSeq) {
                problems.add(at + ": chain broken before it: expected seq " + expectedSeq + ", found " + seq
                        + "; a record was deleted or reordered");
            }
            checkBody(c, "request_body", at).ifPresent(problems::add);
            checkBody(c, "response_body", at).ifPresent(problems::add);
            if (wanted.contains(seq)) hashAt.put(seq, p.claimed());
            prev = p.claimed();
            expectedSeq = seq + 1;
        }

        /** Compares one anchored head with the chain; false when retention removed its record. */
        boolean compare(Anchored a) {
            long seq = a.head().seq();
            String from = "the head anchored in " + a.place() + " at " + a.head().at() + " (seq " + seq + ")";
            if (seq < start.seq()) return false;
            if (seq > expectedSeq - 1) {
                problems.add(from + " is past the end of the chain (seq " + (expectedSeq - 1)
                        + "): records were cut from the tail");
            } else if (hashAt.containsKey(seq) && !hashAt.get(seq).equals(a.head().hash())) {
                problems.add(from + " does not match record seq " + seq
                        + ": the chain was rewritten from that record or before");
            } else if (!hashAt.containsKey(seq)) {
                problems.add(from + ": record seq " + seq + " is missing from the chain");
            }
            return true;
        }

        private Optional<String> checkBody(JsonNode record, String field, String at) throws IOException {
            JsonNode body = record.path(field);
            if (!body.isObject()) return Optional.empty();
            if (body.path("file").isNull() && body.path("bytes_stored").asLong() == 0 && body.path("incomplete").asBoolean()) {
                return Optional.empty(); // skipped under load: nothing was stored, and the record says so
            }
            if (!Files.exists(auditDir.resolve(body.path("file").asText()))) {
                return Optional.of(at + ": " + field + " file is missing");
            }
            String actual = ChainEncoder.sha256(AuditReader.body(auditDir, record, field).orElseThrow());
            return actual.equals(body.path("sha256").asText())
                    ? Optional.empty()
                    : Optional.of(at + ": " + field + " file was edited (SHA-256 differs)");
        }
    }
}
