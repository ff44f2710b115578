-- SLA: business-hours calendars, sales policies per stage and segment, marketing's monthly commitment,
-- and the clocks, reminders and breaches the scheduler works through. Clocks are rows with due times,
-- so they survive restarts and any server sharing the database can claim them (exactly once).

CREATE TABLE sla_calendars (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    time_zone    TEXT    NOT NULL,
    weekly_hours TEXT    NOT NULL,           -- JSON {"monday":["09:00-17:00"],…}
    holidays     TEXT    NOT NULL DEFAULT '[]', -- JSON [{"date":"2026-12-25","name":"Christmas Day"}]
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Durations are an amount and a unit (minutes, hours, days) of business time on the policy's calendar.
CREATE TABLE sla_policies (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    stage               TEXT    NOT NULL,
    segment             TEXT    NOT NULL DEFAULT '{}', -- JSON {"grades":["A"],"sources":["Paid Search"],"teamIds":[3]}
    priority            INTEGER NOT NULL,
    calendar_id         INTEGER NOT NULL REFERENCES sla_calendars (id),
    first_touch_amount  INTEGER,
    first_touch_unit    TEXT,
    decision_amount     INTEGER,
    decision_unit       TEXT,
    attempts_minimum    INTEGER,
    attempts_amount     INTEGER,
    attempts_unit       TEXT,
    reminder_percents   TEXT    NOT NULL DEFAULT '[]', -- JSON [50,90]
    notify_manager      INTEGER NOT NULL DEFAULT 1,
    reassign_on_breach  INTEGER NOT NULL DEFAULT 0,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE sla_marketing_commitments (
    id                         INTEGER PRIMARY KEY,
    name                       TEXT    NOT NULL UNIQUE,
    minimum_mqls_per_month     INTEGER NOT NULL,
    minimum_acceptance_percent INTEGER NOT NULL,
    sources                    TEXT    NOT NULL DEFAULT '[]', -- JSON; empty = every first-touch channel
    active                     INTEGER NOT NULL DEFAULT 1,
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL
);

-- One row per promise per assignment. attempts counts the owner's calls, emails and meetings while the
-- lead is theirs (until released_at: reassigned, or given up / moved on).
CREATE TABLE sla_clocks (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES people (id),
    policy_id         INTEGER NOT NULL REFERENCES sla_policies (id),
    kind              TEXT    NOT NULL,
    owner_user_id     INTEGER NOT NULL REFERENCES users (id),
    team_id           INTEGER REFERENCES teams (id),
    started_at        INTEGER NOT NULL,
    due_at            INTEGER NOT NULL,
    attempts_required INTEGER,
    attempts          INTEGER NOT NULL DEFAULT 0,
    stopped_at        INTEGER,
    stop_reason       TEXT,
    business_ms       INTEGER,
    breached_at       INTEGER,
    released_at       INTEGER
);
CREATE INDEX ix_sla_clocks_due ON sla_clocks (due_at) WHERE stopped_at IS NULL AND breached_at IS NULL;
CREATE INDEX ix_sla_clocks_owner_open ON sla_clocks (owner_user_id, due_at) WHERE stopped_at IS NULL;
CREATE INDEX ix_sla_clocks_person ON sla_clocks (person_id);
-- The current assignment's clocks: what every logged activity and stage change looks up.
CREATE INDEX ix_sla_clocks_person_current ON sla_clocks (person_id) WHERE released_at IS NULL;
CREATE INDEX ix_sla_clocks_started ON sla_clocks (started_at);

CREATE TABLE sla_reminders (
    id       INTEGER PRIMARY KEY,
    clock_id INTEGER NOT NULL REFERENCES sla_clocks (id),
    percent  INTEGER NOT NULL,
    due_at   INTEGER NOT NULL,
    sent_at  INTEGER
);
CREATE INDEX ix_sla_reminders_due ON sla_reminders (due_at) WHERE sent_at IS NULL;
CREATE INDEX ix_sla_reminders_clock ON sla_reminders (clock_id);

-- At most one breach per clock: the unique key is the last line of defence for "fires exactly once".
CREATE TABLE sla_breaches (
    id                    INTEGER PRIMARY KEY,
    clock_id              INTEGER NOT NULL UNIQUE REFERENCES sla_clocks (id),
    person_id             INTEGER NOT NULL REFERENCES people (id),
    policy_id             INTEGER NOT NULL REFERENCES sla_policies (id),
    kind                  TEXT    NOT NULL,
    owner_user_id         INTEGER NOT NULL REFERENCES users (id),
    team_id               INTEGER REFERENCES teams (id),
    manager_user_id       INTEGER REFERENCES users (id),
    due_at                INTEGER NOT NULL,
    breached_at           INTEGER NOT NULL,
    action                TEXT    NOT NULL,
    reassigned_to_user_id INTEGER REFERENCES users (id)
);
CREATE INDEX ix_sla_breaches_at ON sla_breaches (breached_at);
