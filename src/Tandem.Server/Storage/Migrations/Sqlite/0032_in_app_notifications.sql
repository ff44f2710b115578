-- In-app notifications: the bell's list. A row is written with its outbox notification, in the transaction of the
-- change that caused it, for the user the notification is for when their preferences ask for it in the app. The
-- words are made from the notification's payload when shown, so there is one copy of what it says.
CREATE TABLE user_notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,   -- assigned, sla_reminder, sla_breach, mentioned, import_finished, rescore_finished, lead_activity, plan, other
    created_at      INTEGER NOT NULL,
    read_at         INTEGER
);
CREATE INDEX ix_user_notifications_user ON user_notifications (user_id, id);
CREATE INDEX ix_user_notifications_unread ON user_notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX ix_user_notifications_notification ON user_notifications (notification_id);

-- Where each user wants each kind of notification: in the app, by email, both or neither. No row means both.
CREATE TABLE notification_preferences (
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind    TEXT    NOT NULL,
    in_app  INTEGER NOT NULL,
    email   INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Who published the model a re-score runs for, told when it finishes.
ALTER TABLE rescore_jobs ADD COLUMN started_by_user_id INTEGER REFERENCES users (id);
