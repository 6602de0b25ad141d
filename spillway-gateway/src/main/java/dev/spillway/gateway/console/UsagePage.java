package dev.spillway.gateway.console;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.ledger.ChargebackReport;
import dev.spillway.gateway.ledger.Dimension;
import dev.spillway.gateway.ledger.ReportFormat;
import dev.spillway.gateway.ledger.UsageReports;
import dev.spillway.gateway.signin.SignedIn;
import java.time.YearMonth;
import java.util.Set;

/**
 * Usage and chargeback: the report {@code spillway usage report} prints, built by the same
 * {@link UsageReports} and written by the same {@link ReportFormat}, as JSON for the page or CSV
 * to download, so the numbers are the CLI's to the nano-dollar. App owners get the by-app report
 * with only their apps' rows. Blocking. Thread-safe.
 */
final class UsagePage {
    private final UsageReports reports;

    UsagePage(UsageReports reports) {
        this.reports = reports;
    }

    Answer answer(SignedIn who, Set<String> ownApps, String by, String period, String format) throws Exception {
        Dimension dimension;
        YearMonth month;
        ReportFormat out;
        try {
            dimension = UsageReports.parseBy(by);
            month = UsageReports.parsePeriod(period);
            out = ReportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new SpillwayException.InvalidRequest("invalid_parameter", e.getMessage(), null);
        }
        if (!who.seesAllApps() && dimension != Dimension.APP) {
            throw new SpillwayException.Forbidden("operators_only", "App owners see usage by app only.");
        }
        ChargebackReport report = reports.report(dimension, month);
        if (!who.seesAllApps()) report = report.only(ownApps);
        String body = out.write(report);
        if (out == ReportFormat.CSV) {
            return Answer.download(out.contentType(), body, "usage-" + month + "-by-" + by + ".csv");
        }
        return new Answer(200, out.contentType(), body, "");
    }
}
