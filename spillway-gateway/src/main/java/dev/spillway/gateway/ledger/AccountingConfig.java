package dev.spillway.gateway.ledger;

import dev.spillway.gateway.budget.BudgetAlertsConfig;
import dev.spillway.gateway.price.PriceTable;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.export.ExportConfig;
import dev.spillway.gateway.telemetry.TelemetryConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of {@code gateway:} that account for traffic: {@code data-dir} (default {@code data}),
 * {@code ledger}, {@code prices}, {@code audit}, {@code telemetry}, {@code export} and
 * {@code budget-alerts}. The database is {@code gateway.database}, read by the access layer and
 * shared. Immutable.
 */
public record AccountingConfig(Path dataDir, LedgerConfig ledger, PriceTable prices,
        AuditConfig audit, TelemetryConfig telemetry, ExportConfig export, BudgetAlertsConfig budgetAlerts) {
    /** The keys this record reads from the {@code gateway:} section. */
    public static final List<String> KEYS = List.of("data-dir", "ledger", "prices", "audit", "telemetry", "export",
            "budget-alerts");

    public static AccountingConfig defaults() {
        Path data = Path.of("data");
        return new AccountingConfig(data, LedgerConfig.defaults(data), PriceTable.empty(),
                AuditConfig.defaults(data), TelemetryConfig.defaults(), ExportConfig.none(), BudgetAlertsConfig.NONE);
    }

    private static BudgetAlertsConfig budgetAlerts(ConfigNode gateway) {
        BudgetAlertsConfig c = gateway.object("budget-alerts", BudgetAlertsConfig::from);
        return c == null ? BudgetAlertsConfig.NONE : c;
    }

    /** Reads the accounting keys of the {@code gateway:} node (other keys are the gateway's). */
    public static AccountingConfig from(ConfigNode gateway) {
        Path data = Path.of(gateway.string("data-dir", "data"));
        TelemetryConfig telemetry = TelemetryConfig.from(gateway.child("telemetry"));
        return new AccountingConfig(data,
                LedgerConfig.from(gateway.child("ledger"), data),
                PriceTable.from(gateway),
                AuditConfig.from(gateway.child("audit"), data),
                telemetry,
                ExportConfig.from(gateway.child("export"), telemetry.serviceName()),
                budgetAlerts(gateway));
    }
}
