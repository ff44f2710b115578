-- Saved views of the people list: a name and the list's filters as a query string, kept per user
-- and optionally shared with everyone (who still see only the leads their role allows).

CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    shared     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_saved_views_user_name ON saved_views (user_id, name);
