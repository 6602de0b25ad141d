package dev.spillway.store.jdbc.ledger;

/** What a usage report groups by; each maps to one ledger column (never user input in SQL). */
public enum Dimension {
    APP("app"), TEAM("team"), USER("user_id"), DEPLOYMENT("deployment"), MODEL("model");

    private final String column;

    Dimension(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
