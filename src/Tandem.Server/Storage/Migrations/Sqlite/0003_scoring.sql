-- Scoring: versioned models, activity signatures for fast re-scoring, score state and history, re-score jobs.

CREATE TABLE scoring_models (
    version      INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    definition   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT    NOT NULL,
    published_at INTEGER
);

-- Activities with the same type, channel, campaign and properties share a signature (a 64-bit hash of them),
-- so a new model's engagement rules are evaluated once per distinct signature rather than once per event.
CREATE TABLE activity_signatures (
    signature   INTEGER PRIMARY KEY,
    type        TEXT    NOT NULL,
    channel     TEXT,
    campaign_id INTEGER,
    properties  TEXT    NOT NULL
);
ALTER TABLE activities ADD COLUMN signature INTEGER;
CREATE INDEX ix_activities_signature ON activities (signature, person_id, occurred_at, id);

-- score_state: the raw engagement per half-life at scored_at, so engagement can be decayed to any instant;
-- score_through: the newest activity id the score has seen.
ALTER TABLE people ADD COLUMN score_state TEXT;
ALTER TABLE people ADD COLUMN score_through INTEGER;

CREATE TABLE score_history (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    at               INTEGER NOT NULL,
    fit_score        INTEGER NOT NULL,
    fit_grade        TEXT    NOT NULL,
    engagement_score INTEGER NOT NULL,
    score_cell       TEXT    NOT NULL,
    meets_mql        INTEGER NOT NULL,
    model_version    INTEGER NOT NULL,
    cause            TEXT    NOT NULL
);
CREATE INDEX ix_score_history_person ON score_history (person_id, at);

CREATE TABLE rescore_jobs (
    id            INTEGER PRIMARY KEY,
    model_version INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    total         INTEGER NOT NULL DEFAULT 0,
    done          INTEGER NOT NULL DEFAULT 0,
    moved_to_mql  INTEGER NOT NULL DEFAULT 0,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    error         TEXT
);
