-- Nurture: programs as versioned definitions, the people enrolled in them with the step each stands on and when it is
-- next due, a record of every step run (one per enrollment and step, so a step happens once), and the tasks steps
-- create for owners. The scheduler reads only enrollments that are due (ix_nurture_enrollments_due), never the
-- waiting ones, so its cost per tick does not grow with the number of people waiting.

CREATE TABLE nurture_programs (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL,                    -- a person is in at most one active program of a kind
    status          TEXT    NOT NULL DEFAULT 'draft',    -- draft | active | paused | archived
    draft           TEXT    NOT NULL,                    -- the definition being edited (JSON)
    current_version INTEGER,                             -- the published version people enter, null until published
    entry_events    TEXT    NOT NULL DEFAULT '[]',       -- the current version's entry event types, read on every event
    has_filter      INTEGER NOT NULL DEFAULT 0,          -- the current version enters people by filter (swept)
    swept_at        INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE nurture_program_versions (
    id           INTEGER PRIMARY KEY,
    program_id   INTEGER NOT NULL REFERENCES nurture_programs (id),
    version      INTEGER NOT NULL,
    definition   TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    published_by TEXT    NOT NULL,
    UNIQUE (program_id, version)
);

CREATE TABLE nurture_enrollments (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    program_id    INTEGER NOT NULL REFERENCES nurture_programs (id),
    version       INTEGER NOT NULL,
    kind          TEXT    NOT NULL,                     -- the program's kind, copied so one-per-kind is a unique index
    status        TEXT    NOT NULL,                     -- active | completed | exited | held_out
    current_step  TEXT,
    due_at        INTEGER,                              -- null when nothing is due (finished, held out)
    paused_due_at INTEGER,                              -- due_at kept aside while the program is paused
    claimed_by    TEXT,
    claimed_until INTEGER,
    entered_at    INTEGER NOT NULL,
    entered_by    TEXT    NOT NULL,                     -- what enrolled them: filter, an event, a user by hand
    exited_at     INTEGER,
    exit_reason   TEXT
);
CREATE UNIQUE INDEX ux_nurture_enrollments_active_kind ON nurture_enrollments (person_id, kind) WHERE status = 'active';
CREATE UNIQUE INDEX ux_nurture_enrollments_once ON nurture_enrollments (program_id, person_id);
CREATE INDEX ix_nurture_enrollments_due ON nurture_enrollments (due_at) WHERE status = 'active' AND due_at IS NOT NULL;
CREATE INDEX ix_nurture_enrollments_person ON nurture_enrollments (person_id, status);

CREATE TABLE nurture_step_runs (
    id            INTEGER PRIMARY KEY,
    enrollment_id INTEGER NOT NULL REFERENCES nurture_enrollments (id),
    program_id    INTEGER NOT NULL,
    step_key      TEXT    NOT NULL,
    attempt       INTEGER NOT NULL DEFAULT 1,
    outcome       TEXT    NOT NULL,                     -- sent | held | waited | then | else | done | failed …
    detail        TEXT,
    send_id       INTEGER REFERENCES email_sends (id),
    at            INTEGER NOT NULL,
    UNIQUE (enrollment_id, step_key, attempt)
);
CREATE INDEX ix_nurture_step_runs_program ON nurture_step_runs (program_id, step_key);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    owner_id      INTEGER REFERENCES users (id),
    title         TEXT    NOT NULL,
    due_at        INTEGER,
    created_from  TEXT    NOT NULL,                     -- e.g. nurture:3:call (program, step)
    created_at    INTEGER NOT NULL,
    completed_at  INTEGER,
    completed_by  TEXT
);
CREATE INDEX ix_tasks_owner_open ON tasks (owner_id, due_at) WHERE completed_at IS NULL;
CREATE INDEX ix_tasks_person ON tasks (person_id);
