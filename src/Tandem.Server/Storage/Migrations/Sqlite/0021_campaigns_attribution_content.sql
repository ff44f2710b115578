-- Campaigns become first-class: a status, full UTM tags, a budget, actual costs per month and members with a status.
-- Content: an asset registry; use is read from activities (page views and downloads matching an asset, and the
-- "content_shared" activity a rep logs), so it needs no table of its own.

ALTER TABLE campaigns ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE campaigns ADD COLUMN utm_source TEXT;
ALTER TABLE campaigns ADD COLUMN utm_medium TEXT;
ALTER TABLE campaigns ADD COLUMN budget_cents INTEGER;
ALTER TABLE campaigns ADD COLUMN updated_at INTEGER;

-- One row per campaign and calendar month (UTC), "2026-10": entering or importing a month again replaces it.
CREATE TABLE campaign_costs (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    month        TEXT    NOT NULL,
    amount_cents INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, month)
);

CREATE TABLE campaign_members (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    status      TEXT    NOT NULL,
    added_at    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, person_id)
);
CREATE INDEX ix_campaign_members_person ON campaign_members (person_id);

CREATE TABLE content_assets (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    url_pattern TEXT,
    asset_key   TEXT    UNIQUE,
    owner_team  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    archived_at INTEGER
);

-- Attribution reads only a person's touchpoints (activities carrying a channel or campaign), in time order.
CREATE INDEX ix_activities_touchpoints ON activities (person_id, occurred_at) WHERE channel IS NOT NULL OR campaign_id IS NOT NULL;
-- The outcomes of a period: stage changes by stage and instant.
CREATE INDEX ix_stage_changes_to_stage ON stage_changes (to_stage, changed_at);
