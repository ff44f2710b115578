-- Routing, notification delivery and sales feedback.
-- Rep attributes beside users; ordered routing rules; the persistent round-robin state; every routing decision
-- with its explanation; the queue of leads nobody could take; webhook subscriptions and the delivery log;
-- the dispositions sales records (accepted, rejected, qualified, won, lost) for the closed-loop report.

CREATE TABLE rep_profiles (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id),
    time_zone     TEXT    NOT NULL DEFAULT 'UTC',
    working_hours TEXT,
    capacity      INTEGER,
    daily_quota   INTEGER,
    weight        INTEGER NOT NULL DEFAULT 1,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE rep_time_off (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    note       TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_rep_time_off_user ON rep_time_off (user_id, ends_at);

CREATE TABLE routing_rules (
    id                    INTEGER PRIMARY KEY,
    position              INTEGER NOT NULL,
    name                  TEXT    NOT NULL,
    conditions            TEXT    NOT NULL DEFAULT '[]',
    team_id               INTEGER NOT NULL REFERENCES teams (id),
    method                TEXT    NOT NULL,
    respect_working_hours INTEGER NOT NULL DEFAULT 0,
    active                INTEGER NOT NULL DEFAULT 1,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX ix_routing_rules_position ON routing_rules (position, id);

-- One row per team: the last rep who got a lead. Locked for the length of a routing transaction.
CREATE TABLE routing_pointers (
    team_id      INTEGER PRIMARY KEY REFERENCES teams (id),
    last_user_id INTEGER REFERENCES users (id),
    turns        INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);

-- Smooth weighted round robin: each rep's running credit within a team.
CREATE TABLE routing_credits (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    credit  INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE routing_decisions (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    decided_at       INTEGER NOT NULL,
    trigger_kind     TEXT    NOT NULL,
    outcome          TEXT    NOT NULL,
    rule_id          INTEGER,
    rule_name        TEXT,
    team_id          INTEGER REFERENCES teams (id),
    method           TEXT,
    user_id          INTEGER REFERENCES users (id),
    previous_user_id INTEGER REFERENCES users (id),
    explanation      TEXT    NOT NULL,
    details          TEXT    NOT NULL DEFAULT '{}',
    actor_type       TEXT    NOT NULL,
    actor_id         TEXT    NOT NULL,
    actor_name       TEXT    NOT NULL
);
CREATE INDEX ix_routing_decisions_person ON routing_decisions (person_id, id);
CREATE INDEX ix_routing_decisions_user ON routing_decisions (user_id, decided_at);

CREATE TABLE routing_queue (
    person_id   INTEGER PRIMARY KEY REFERENCES people (id),
    team_id     INTEGER REFERENCES teams (id),
    decision_id INTEGER NOT NULL REFERENCES routing_decisions (id),
    reason      TEXT    NOT NULL,
    queued_at   INTEGER NOT NULL
);

ALTER TABLE accounts ADD COLUMN owner_id INTEGER REFERENCES users (id);

CREATE TABLE webhook_subscriptions (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    events     TEXT    NOT NULL DEFAULT '["*"]',
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);

-- One row per notification and destination (a webhook subscription, or an email address).
CREATE TABLE notification_deliveries (
    id               INTEGER PRIMARY KEY,
    notification_id  INTEGER NOT NULL REFERENCES notifications (id),
    channel          TEXT    NOT NULL,
    subscription_id  INTEGER REFERENCES webhook_subscriptions (id),
    recipient        TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_by       TEXT,
    claimed_until    INTEGER,
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE INDEX ix_notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_notification_deliveries_subscription ON notification_deliveries (subscription_id, id);

CREATE TABLE delivery_attempts (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES notification_deliveries (id),
    attempt      INTEGER NOT NULL,
    attempted_at INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    claimed_by   TEXT    NOT NULL
);
CREATE INDEX ix_delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);

CREATE TABLE dispositions (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people (id),
    kind           TEXT    NOT NULL,
    reason_code    TEXT,
    note           TEXT,
    amount_cents   INTEGER,
    owner_id       INTEGER REFERENCES users (id),
    source_channel TEXT,
    campaign       TEXT,
    personas       TEXT    NOT NULL DEFAULT '[]',
    decided_at     INTEGER NOT NULL,
    actor_type     TEXT    NOT NULL,
    actor_id       TEXT    NOT NULL,
    actor_name     TEXT    NOT NULL
);
CREATE INDEX ix_dispositions_decided ON dispositions (decided_at);
CREATE INDEX ix_dispositions_person ON dispositions (person_id, id);
