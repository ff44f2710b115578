-- The reason codes both teams share, edited on the Definitions page: why a lead is recycled or disqualified,
-- why sales rejects an MQL (each rejection reason sends the lead to Recycled or Disqualified), and why a deal is lost.
-- Empty until the first start after this migration, which copies in the configured (or built-in) lists;
-- from then on this table is the truth, and configuration only seeds new workspaces.
CREATE TABLE reason_codes (
    list       TEXT    NOT NULL,
    code       TEXT    NOT NULL,
    stage      TEXT,
    position   INTEGER NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (list, code)
);
