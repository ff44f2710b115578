-- Plans: a revenue target for a month, quarter or year worked back to the MQLs and visits it takes. The inputs
-- (target, marketing's share, deal size, each rate measured or entered by hand, the channel mix, scenarios and the
-- capacity check's settings) are one JSON definition; the period is kept in columns so "the plan for this month" is a
-- range query. plan_pace_alerts remembers which row was reported behind pace on which day, so each is told once a day.

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    period_kind  TEXT    NOT NULL,              -- month, quarter, year
    starts_at    INTEGER NOT NULL,              -- the period's first instant (UTC midnight)
    ends_at      INTEGER NOT NULL,              -- exclusive
    active       INTEGER NOT NULL DEFAULT 1,
    definition   TEXT    NOT NULL,              -- JSON: see Planning/PlanDefinition.cs
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT    NOT NULL
);
CREATE INDEX ix_plans_period ON plans (starts_at, ends_at);

CREATE TABLE plan_pace_alerts (
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    row_key     TEXT    NOT NULL,               -- "channel|step", e.g. "Paid Search|MQL"; the plan's total is "|MQL"
    day         TEXT    NOT NULL,               -- the UTC day it was reported, yyyy-MM-dd
    behind_by   REAL    NOT NULL,
    notified_at INTEGER NOT NULL,
    PRIMARY KEY (plan_id, row_key, day)
);
