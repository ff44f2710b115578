-- Foundation: people, accounts, campaigns, activities, lifecycle history, identity and API keys.
-- Instants are Unix milliseconds (UTC); flags are 0/1; JSON is stored as text.

CREATE TABLE workspace_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL UNIQUE,
    key_hash     TEXT    NOT NULL,
    scopes       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    domain          TEXT    UNIQUE,
    normalized_name TEXT,
    industry        TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ix_accounts_normalized_name ON accounts (normalized_name);

CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    utm_campaign TEXT    UNIQUE,
    cost_cents   INTEGER,
    starts_at    INTEGER,
    ends_at      INTEGER,
    created_at   INTEGER NOT NULL
);

CREATE TABLE people (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    UNIQUE,
    first_name          TEXT,
    last_name           TEXT,
    company             TEXT,
    title               TEXT,
    phone               TEXT,
    website             TEXT,
    country             TEXT,
    region              TEXT,
    city                TEXT,
    industry            TEXT,
    company_size        TEXT,
    stage               TEXT    NOT NULL,
    stage_changed_at    INTEGER NOT NULL,
    account_id          INTEGER REFERENCES accounts (id),
    do_not_email        INTEGER NOT NULL DEFAULT 0,
    do_not_call         INTEGER NOT NULL DEFAULT 0,
    unsubscribed        INTEGER NOT NULL DEFAULT 0,
    custom_fields       TEXT    NOT NULL DEFAULT '{}',
    field_times         TEXT    NOT NULL DEFAULT '{}',
    locked_fields       TEXT    NOT NULL DEFAULT '[]',
    first_touch_channel TEXT,
    first_touch         TEXT,
    first_touch_at      INTEGER,
    last_touch_channel  TEXT,
    last_touch          TEXT,
    last_touch_at       INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    merged_into_id      INTEGER REFERENCES people (id)
);
CREATE INDEX ix_people_stage ON people (stage, id);
CREATE INDEX ix_people_created ON people (created_at, id);
CREATE INDEX ix_people_updated ON people (updated_at, id);
CREATE INDEX ix_people_last_name ON people (last_name, id);
CREATE INDEX ix_people_account ON people (account_id);

CREATE TABLE person_external_ids (
    source      TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (source, external_id)
);
CREATE INDEX ix_person_external_ids_person ON person_external_ids (person_id);

CREATE TABLE anonymous_ids (
    anonymous_id TEXT    PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    linked_at    INTEGER NOT NULL
);
CREATE INDEX ix_anonymous_ids_person ON anonymous_ids (person_id);

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER REFERENCES people (id),
    anonymous_id TEXT,
    type         TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    message_id   TEXT    UNIQUE,
    source       TEXT    NOT NULL,
    channel      TEXT,
    campaign_id  INTEGER REFERENCES campaigns (id),
    properties   TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX ix_activities_person ON activities (person_id, occurred_at);
CREATE INDEX ix_activities_anonymous ON activities (anonymous_id) WHERE person_id IS NULL;

CREATE TABLE stage_changes (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    from_stage  TEXT,
    to_stage    TEXT    NOT NULL,
    changed_at  INTEGER NOT NULL,
    actor_type  TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    reason_code TEXT,
    reason_text TEXT,
    scores      TEXT
);
CREATE INDEX ix_stage_changes_person ON stage_changes (person_id, id);

CREATE TABLE merges (
    id              INTEGER PRIMARY KEY,
    survivor_id     INTEGER NOT NULL REFERENCES people (id),
    merged_id       INTEGER NOT NULL REFERENCES people (id),
    merged_at       INTEGER NOT NULL,
    actor_type      TEXT    NOT NULL,
    actor_id        TEXT    NOT NULL,
    actor_name      TEXT    NOT NULL,
    survivor_before TEXT    NOT NULL,
    merged_before   TEXT    NOT NULL,
    result          TEXT    NOT NULL
);

CREATE TABLE forms (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    form_key       TEXT    NOT NULL UNIQUE,
    field_mapping  TEXT    NOT NULL DEFAULT '{}',
    redirect_url   TEXT,
    honeypot_field TEXT    NOT NULL,
    campaign_id    INTEGER REFERENCES campaigns (id),
    created_at     INTEGER NOT NULL
);
