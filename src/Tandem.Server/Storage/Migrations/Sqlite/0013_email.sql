-- Email: templates and the sends made from them. A send is queued as a row inside the transaction of whatever asked
-- for it (a program step, a form's confirmation), then claimed by a sender: 'sending' is committed before the SMTP
-- hand-over, so a send whose outcome is unknown (a crash between the two) stays visible as such and is never repeated.

CREATE TABLE email_templates (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL DEFAULT 'marketing',  -- marketing | transactional
    topic         TEXT,                                   -- the preference topic a marketing email belongs to
    subject       TEXT    NOT NULL,
    preheader     TEXT,
    body_markdown TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE email_sends (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    template_id      INTEGER REFERENCES email_templates (id),
    kind             TEXT    NOT NULL,                   -- marketing | transactional
    topic            TEXT,
    program_id       INTEGER,                            -- the program, enrollment and step that sent it, if any
    enrollment_id    INTEGER,
    step_key         TEXT,
    to_address       TEXT    NOT NULL,
    from_address     TEXT    NOT NULL,
    reply_to         TEXT,
    subject          TEXT    NOT NULL,
    text_body        TEXT    NOT NULL,
    html_body        TEXT    NOT NULL,
    message_id       TEXT    NOT NULL UNIQUE,           -- our own Message-ID, without angle brackets
    reply_token      TEXT    NOT NULL UNIQUE,           -- matches a reply to this send
    status           TEXT    NOT NULL DEFAULT 'queued', -- queued | sending | sent | failed | unknown
    queued_at        INTEGER NOT NULL,
    claimed_by       TEXT,
    claimed_until    INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    sent_at          INTEGER,
    last_error       TEXT,
    bounced_at       INTEGER,
    bounce_kind      TEXT,                               -- hard | soft
    complained_at    INTEGER,
    first_opened_at  INTEGER,                            -- by a person, not a mail-privacy proxy
    opens            INTEGER NOT NULL DEFAULT 0,
    first_clicked_at INTEGER,
    clicks           INTEGER NOT NULL DEFAULT 0,
    replied_at       INTEGER,
    unsubscribed_at  INTEGER
);
CREATE INDEX ix_email_sends_due ON email_sends (status, next_attempt_at);
CREATE INDEX ix_email_sends_person ON email_sends (person_id, queued_at);
CREATE INDEX ix_email_sends_program ON email_sends (program_id, step_key);
-- Never two copies of one program step to one person, whatever races to queue it.
CREATE UNIQUE INDEX ux_email_sends_step ON email_sends (enrollment_id, step_key) WHERE enrollment_id IS NOT NULL;

-- Addresses no marketing email may go to: unsubscribed, hard-bounced or complained. Transactional email stops too for
-- hard bounces and complaints. A suppression ends only by an explicit, audited re-subscribe by the person (lifted_*).
CREATE TABLE email_suppressions (
    id            INTEGER PRIMARY KEY,
    address       TEXT    NOT NULL,                   -- lower-cased
    reason        TEXT    NOT NULL,                   -- unsubscribed | hard_bounce | complaint
    source        TEXT    NOT NULL,                   -- what told us, in words: "SMTP 550 5.1.1 …", "one-click unsubscribe", "Amazon SES"
    person_id     INTEGER REFERENCES people (id),
    send_id       INTEGER REFERENCES email_sends (id),
    created_at    INTEGER NOT NULL,
    lifted_at     INTEGER,
    lifted_reason TEXT
);
CREATE UNIQUE INDEX ux_email_suppressions_active ON email_suppressions (address, reason) WHERE lifted_at IS NULL;
