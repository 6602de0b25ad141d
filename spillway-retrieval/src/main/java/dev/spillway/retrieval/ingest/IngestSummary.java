package dev.spillway.retrieval.ingest;

import java.util.List;

/**
 * What an ingestion run changed: files added, updated (content or groups changed), skipped
 * (unchanged), removed (gone from the roots) and failed (left as they were, with the reason),
 * and chunks written and deleted. Immutable.
 */
public record IngestSummary(int filesAdded, int filesUpdated, int filesSkipped, int filesRemoved,
                            int chunksAdded, int chunksRemoved, List<String> failures) {
    public IngestSummary {
        failures = List.copyOf(failures);
    }

    @Override
    public String toString() {
        return "files: " + filesAdded + " added, " + filesUpdated + " updated, " + filesSkipped + " unchanged, "
                + filesRemoved + " removed" + (failures.isEmpty() ? "" : ", " + failures.size() + " failed")
                + "; chunks: " + chunksAdded + " added, " + chunksRemoved + " removed";
    }
}
