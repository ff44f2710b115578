-- Email inbound: every message and provider event that tells us what became of an email — replies, auto-replies,
-- bounces (RFC 3464 reports, SendGrid, Amazon SES), complaints (ARF) and deliveries — kept as received, matched or not.
-- A provider redelivers a webhook it thinks failed; its event id is unique per source, so the second copy is recorded
-- once and changes nothing.

CREATE TABLE email_inbound_events (
    id                INTEGER PRIMARY KEY,
    source            TEXT    NOT NULL,             -- raw-mime | sendgrid | ses
    kind              TEXT    NOT NULL,             -- reply | auto_reply | hard_bounce | soft_bounce | complaint | delivered | deferred |
                                                    -- unsubscribed | dropped | subscription_confirmation | unmatched
    send_id           INTEGER REFERENCES email_sends (id),
    person_id         INTEGER REFERENCES people (id),
    address           TEXT,                         -- the recipient it is about (lower-cased), or the replier
    detail            TEXT    NOT NULL,             -- what happened, in words: "550 5.1.1 user unknown (Postfix report)"
    provider_event_id TEXT,                         -- sg_event_id, the SNS MessageId, or the message's Message-ID
    raw_excerpt       TEXT,                         -- the first few KB as received, for a person to check
    received_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_email_inbound_events_provider ON email_inbound_events (source, provider_event_id) WHERE provider_event_id IS NOT NULL;
CREATE INDEX ix_email_inbound_events_kind ON email_inbound_events (kind, id);
CREATE INDEX ix_email_inbound_events_send ON email_inbound_events (send_id);

-- A provider's word that the receiving server took the email (SendGrid delivered, SES Delivery).
ALTER TABLE email_sends ADD COLUMN delivered_at INTEGER;
