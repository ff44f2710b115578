-- Resurrection: stall rules as versioned sets (like the scoring model: the newest unpublished version is the draft),
-- what the sweep keeps about each watched lead so a sweep only reads what changed since the last one, the sweep's
-- own state (watermarks and a claim, so one server sweeps at a time), and a stall record per stalled lead and rule
-- (open → acted → revived or closed), with its story in words and what each action did.

CREATE TABLE stall_rule_versions (
    version      INTEGER PRIMARY KEY,
    definition   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT    NOT NULL,
    published_at INTEGER,
    published_by TEXT
);

-- One row per lead in a watched stage: the facts the rules need that the people row does not carry, and the next
-- instant a rule comes due for the lead (null: none will without something new happening).
CREATE TABLE stall_watch (
    person_id             INTEGER PRIMARY KEY REFERENCES people (id),
    last_owner_touch_at   INTEGER,
    calls                 INTEGER NOT NULL DEFAULT 0,   -- the owner's touches since the lead was assigned
    emails                INTEGER NOT NULL DEFAULT 0,
    meetings              INTEGER NOT NULL DEFAULT 0,
    last_lead_activity_at INTEGER,
    peak_engagement       INTEGER,
    due_at                INTEGER,
    due_rule              TEXT
);
CREATE INDEX ix_stall_watch_due ON stall_watch (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE stall_sweep (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    rules_version      INTEGER,                         -- the published version the watch was computed with
    activity_watermark INTEGER NOT NULL DEFAULT 0,      -- the newest activity id the watch has seen
    people_watermark   INTEGER NOT NULL DEFAULT 0,      -- people updated at or before this were seen
    swept_at           INTEGER,
    claimed_by         TEXT,
    claimed_until      INTEGER
);
INSERT INTO stall_sweep (id) VALUES (1);

-- The people one sweep works on (those changed since the last sweep, and those due): scratch space for the one server
-- holding the sweep's row lock, emptied at the start of each sweep.
CREATE TABLE stall_sweep_people (
    person_id INTEGER PRIMARY KEY
);

CREATE TABLE stall_records (
    id                    INTEGER PRIMARY KEY,
    person_id             INTEGER NOT NULL REFERENCES people (id),
    rule_key              TEXT    NOT NULL,             -- the rule's key, or 'recycled' for a recycled lead that came back with no rule's record
    rule_name             TEXT    NOT NULL,
    rules_version         INTEGER,
    kind                  TEXT    NOT NULL,
    stage                 TEXT    NOT NULL,             -- the stage it stalled in
    stalled_since         INTEGER NOT NULL,
    detected_at           INTEGER NOT NULL,
    owner_id              INTEGER REFERENCES users (id),
    owner_name            TEXT,
    team_id               INTEGER REFERENCES teams (id),
    source                TEXT,                         -- the lead's first-touch channel, for the revival report
    last_touch_at         INTEGER,
    last_lead_activity_at INTEGER,
    story                 TEXT    NOT NULL,
    state                 TEXT    NOT NULL,             -- open | acted | revived | closed
    awaiting_revival      INTEGER NOT NULL DEFAULT 0,   -- the actions enrolled or recycled it: it waits to come back
    claimed_by            TEXT,
    claimed_until         INTEGER,
    acted_at              INTEGER,
    actions_log           TEXT    NOT NULL DEFAULT '[]',
    new_owner_id          INTEGER REFERENCES users (id),
    program_id            INTEGER REFERENCES nurture_programs (id),
    enrollment_id         INTEGER REFERENCES nurture_enrollments (id),
    revived_at            INTEGER,
    revival_kind          TEXT,                         -- replied | clicked | form | meeting | score
    revival_cause         TEXT,
    revived_owner_id      INTEGER REFERENCES users (id),
    closed_at             INTEGER,
    close_reason          TEXT
);
CREATE UNIQUE INDEX ux_stall_records_live ON stall_records (person_id, rule_key) WHERE state IN ('open', 'acted');
CREATE INDEX ix_stall_records_person ON stall_records (person_id, state);
CREATE INDEX ix_stall_records_open ON stall_records (id) WHERE state = 'open';
CREATE INDEX ix_stall_records_detected ON stall_records (detected_at);
