-- Import jobs: each uploaded file, its resolved mapping, progress and outcome, and its rejected rows.
-- rows_done is the checkpoint: the data rows fully handled, written in the same transaction as their
-- people, so a job killed midway resumes after the last committed row and writes nothing twice.

CREATE TABLE import_jobs (
    id              INTEGER PRIMARY KEY,
    status          TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    file_path       TEXT    NOT NULL,
    file_bytes      INTEGER NOT NULL,
    file_sha256     TEXT    NOT NULL,
    preset          TEXT    NOT NULL,
    overrides       TEXT    NOT NULL DEFAULT '{}',
    detected_preset TEXT,
    mapping         TEXT,
    encoding        TEXT,
    delimiter       TEXT,
    rows_done       INTEGER NOT NULL DEFAULT 0,
    bytes_done      INTEGER NOT NULL DEFAULT 0,
    created_count   INTEGER NOT NULL DEFAULT 0,
    updated_count   INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    skipped_count   INTEGER NOT NULL DEFAULT 0,
    error_count     INTEGER NOT NULL DEFAULT 0,
    activity_count  INTEGER NOT NULL DEFAULT 0,
    failure         TEXT,
    actor_type      TEXT    NOT NULL,
    actor_id        TEXT    NOT NULL,
    actor_name      TEXT    NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER,
    created_at      INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ix_import_jobs_status ON import_jobs (status, id);
CREATE INDEX ix_import_jobs_file ON import_jobs (file_sha256, status);

CREATE TABLE import_job_errors (
    job_id      INTEGER NOT NULL REFERENCES import_jobs (id),
    seq         INTEGER NOT NULL,
    row_number  INTEGER NOT NULL,
    column_name TEXT,
    value       TEXT,
    reason      TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);
