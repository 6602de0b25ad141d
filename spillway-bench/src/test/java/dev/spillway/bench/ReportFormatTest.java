package dev.spillway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFormatTest {
    private static final Percentiles E2E = new Percentiles(10, 1.5, 1.2, 2.0, 2.5, 3.0, 4.0);

    private static LoadReport report(Optional<Percentiles> util) {
        return new LoadReport(LoadReport.Kind.FINAL, 2.0, 2.0, 500, 1000, 990, 4, 6, 0, 0, 0, 495, 29700,
                11000, 7000, 330000, 210000, Optional.of(E2E), Optional.of(E2E), Optional.of(E2E),
                Optional.of(E2E), Optional.empty(), util, Map.of("200", 990L, "429", 6L), 0);
    }

    @Test
    void jsonLineCarriesCountsRatesAndNullForMissingDistributions() throws Exception {
        JsonNode o = Json.MAPPER.readTree(ReportFormat.JSONL.format(report(Optional.empty())));

        assertThat(o.get("type").asText()).isEqualTo("final");
        assertThat(o.get("completed").asLong()).isEqualTo(990);
        assertThat(o.get("throttled").asLong()).isEqualTo(6);
        assertThat(o.at("/tpm/total").asDouble()).isEqualTo(540000.0);
        assertThat(o.at("/e2e_ms/p99").asDouble()).isEqualTo(3.0);
        assertThat(o.get("tbt_ms").isNull()).isTrue();
        assertThat(o.at("/outcomes/429").asLong()).isEqualTo(6);
    }

    @Test
    void humanLineSaysNotApplicableForMissingDistributions() {
        String line = ReportFormat.HUMAN.format(report(Optional.empty()));

        assertThat(line).contains("completed 990").contains("throttled 6").contains("tbt n/a")
                .contains("e2e p50/p90/p99 1.20/2.00/3.00 ms").contains("util n/a").doesNotContain("\n");
    }

    @Test
    void humanLinePrintsUtilizationInPercent() {
        String line = ReportFormat.HUMAN.format(report(Optional.of(new Percentiles(3, 50, 57.6, 60, 61.2, 62, 62))));

        assertThat(line).contains("util p50/p95 57.6%/61.2%");
    }
}
