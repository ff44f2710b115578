-- Consent for marketing email: the current basis per person with its proof, every change kept in a log (an audited
-- re-subscribe is one of them), and the preference topics a person can leave one by one.

-- One row per person who has a recorded basis. No row means no recorded consent: marketing email may go only where the
-- workspace does not require opt-in.
CREATE TABLE email_consents (
    person_id    INTEGER PRIMARY KEY REFERENCES people (id),
    status       TEXT    NOT NULL,  -- opted_in | pending (double opt-in asked, not confirmed) | opted_out
    basis        TEXT    NOT NULL,  -- consent | legitimate_interest | contract
    source       TEXT    NOT NULL,  -- in words: "form demo-request", "import x-education.csv", "API", "unsubscribe link"
    form         TEXT,              -- the form's name when a form gave it
    page_url     TEXT,
    ip           TEXT,
    user_agent   TEXT,
    requested_at INTEGER,           -- when the double opt-in email was asked for
    confirmed_at INTEGER,           -- when the person confirmed it
    updated_at   INTEGER NOT NULL
);

-- Every change of consent, with who or what made it: the proof a regulator or the person may ask for.
CREATE TABLE email_consent_log (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    action     TEXT    NOT NULL,  -- opted_in | confirm_requested | confirmed | opted_out | topic_opted_out | topic_opted_in | resubscribed
    topic      TEXT,
    basis      TEXT,
    source     TEXT    NOT NULL,
    ip         TEXT,
    user_agent TEXT,
    detail     TEXT,
    at         INTEGER NOT NULL
);
CREATE INDEX ix_email_consent_log_person ON email_consent_log (person_id, at);

-- The topics marketing email is sent under; a preference page lists them.
CREATE TABLE email_topics (
    key         TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT,
    position    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO email_topics (key, name, description, position) VALUES
    ('newsletter', 'Newsletter', 'A monthly round-up of what is new.', 1),
    ('product', 'Product news', 'Releases, guides and tips for getting more out of the product.', 2),
    ('events', 'Events and webinars', 'Invitations to webinars, meet-ups and conferences.', 3);

-- Topics a person left while staying subscribed to the rest.
CREATE TABLE email_topic_optouts (
    person_id INTEGER NOT NULL REFERENCES people (id),
    topic     TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (person_id, topic)
);
