package dev.spillway.gateway.ledger;

/** What a usage report groups by: app, team, user, deployment, model or priority class. */
public enum Dimension { APP, TEAM, USER, DEPLOYMENT, MODEL, PRIORITY }
