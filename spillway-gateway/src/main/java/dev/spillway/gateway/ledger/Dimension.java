package dev.spillway.gateway.ledger;

/** What a usage report groups by: app, team, user, deployment or model. */
public enum Dimension { APP, TEAM, USER, DEPLOYMENT, MODEL }
