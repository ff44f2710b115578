-- Personal data: erasing a person leaves a tombstone, the person's row emptied of everything that names them (see
-- Privacy/ErasePerson.cs) and marked erased_at, so the funnel, scorecards and reports still count what happened. The
-- identifiers the person was known by are kept only as keyed hashes, so a later capture of the same email or external
-- id is recognised and refused instead of silently bringing them back. A hash does not say which tombstone it came
-- from, so nobody holding an address can look up what is left of the person. Retention settings live in workspace_settings.

ALTER TABLE people ADD COLUMN erased_at BIGINT;

CREATE TABLE erased_identifiers (
    hash      TEXT    PRIMARY KEY,                          -- HMAC-SHA256 (hex) of "email:<normalised address>" or "external:<source>:<id>"
    kind      TEXT    NOT NULL,                             -- email | external_id
    erased_at BIGINT  NOT NULL
);
