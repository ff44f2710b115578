-- Columns and tables several capabilities share, created up front so each can rely on them:
-- users (web sign-in, reps and managers), a person's owner, and a person's current scores.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT    NOT NULL,
    normalized_email     TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL,
    password_hash        TEXT,
    security_stamp       TEXT    NOT NULL,
    access_failed_count  INTEGER NOT NULL DEFAULT 0,
    lockout_end          INTEGER,
    active               INTEGER NOT NULL DEFAULT 1,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

ALTER TABLE people ADD COLUMN owner_id INTEGER REFERENCES users (id);
ALTER TABLE people ADD COLUMN owner_assigned_at INTEGER;
CREATE INDEX ix_people_owner ON people (owner_id, stage);

-- The current scores, kept on the person row so lists, filters, routing and MQL checks read them cheaply.
-- fit_grade A-D, engagement_score 0-100 as of scored_at, score_cell A1..D4, personas a JSON array of names.
ALTER TABLE people ADD COLUMN fit_score INTEGER;
ALTER TABLE people ADD COLUMN fit_grade TEXT;
ALTER TABLE people ADD COLUMN engagement_score INTEGER;
ALTER TABLE people ADD COLUMN score_cell TEXT;
ALTER TABLE people ADD COLUMN personas TEXT NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN meets_mql INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN score_model_version INTEGER;
ALTER TABLE people ADD COLUMN scored_at INTEGER;
CREATE INDEX ix_people_grade ON people (fit_grade, engagement_score);

-- Sales teams (routing queues): a manager who receives escalations, a fallback owner when no rep is eligible.
CREATE TABLE teams (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    manager_user_id  INTEGER REFERENCES users (id),
    fallback_user_id INTEGER REFERENCES users (id),
    created_at       INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX ix_team_members_user ON team_members (user_id);

ALTER TABLE people ADD COLUMN owner_team_id INTEGER REFERENCES teams (id);

-- The outbox of things people must be told (assigned a lead, SLA reminder, breach, escalation).
-- Any capability writes a row in its own transaction; delivery (webhooks, email) claims and sends them later,
-- so a notification is never lost and never sent for work that rolled back.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    event        TEXT    NOT NULL,
    person_id    INTEGER REFERENCES people (id),
    user_id      INTEGER REFERENCES users (id),
    payload      TEXT    NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    processed_at INTEGER
);
CREATE INDEX ix_notifications_pending ON notifications (id) WHERE processed_at IS NULL;
