-- Predictive scoring: versioned conversion models learned from the workspace's own outcomes, and each person's
-- current probability with its reasons.
-- A model keeps its bytes (ML.NET), its feature schema, its holdout figures beside the rules model's, the window of
-- creation dates it learned from, and why it was or was not activated. One model at most is active.

CREATE TABLE prediction_models (
    version          INTEGER PRIMARY KEY,
    created_at       INTEGER NOT NULL,
    created_by       TEXT    NOT NULL,
    target_stage     TEXT    NOT NULL,
    maturation_days  INTEGER NOT NULL,
    window_from      INTEGER NOT NULL,
    window_to        INTEGER NOT NULL,
    features         TEXT    NOT NULL,
    metrics          TEXT    NOT NULL,
    model            BLOB    NOT NULL,
    active           INTEGER NOT NULL DEFAULT 0,
    activated_at     INTEGER,
    verdict          TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_prediction_models_active ON prediction_models (active) WHERE active = 1;

-- conversion_probability 0-1 under prediction_version, as of predicted_at; prediction_reasons a JSON array of reasons.
ALTER TABLE people ADD COLUMN conversion_probability REAL;
ALTER TABLE people ADD COLUMN prediction_reasons TEXT;
ALTER TABLE people ADD COLUMN prediction_version INTEGER;
ALTER TABLE people ADD COLUMN predicted_at INTEGER;
CREATE INDEX ix_people_conversion_probability ON people (conversion_probability, id);
