-- The audit log: who changed what, when and from where — sign-ins and their failures, users, roles and keys, settings,
-- exports. A row is written in the same transaction as the change it records, so the log never tells of a change that
-- was rolled back nor misses one that committed. Rows are only ever added.

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_kind TEXT    NOT NULL,   -- user, key, cli, anonymous or system
    actor_id   TEXT,               -- the user's or key's id
    actor_name TEXT    NOT NULL,   -- the user's email, the key's name, the operating-system user of a command
    action     TEXT    NOT NULL,   -- e.g. signin.failed, user.role_changed, key.created, settings.routing.rule_saved
    target     TEXT,               -- what it acted on, in words: an email, "key 3", "rule 12"
    detail     TEXT,               -- JSON: what changed
    ip         TEXT                -- the client's address, for requests
);
CREATE INDEX ix_audit_log_at ON audit_log (at, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, at);
