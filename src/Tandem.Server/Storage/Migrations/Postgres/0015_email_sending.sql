-- Sending email: a rep's signature, which templates reach as {{owner.signature}}.
ALTER TABLE users ADD COLUMN email_signature TEXT;

-- The frequency cap counts one person's recent marketing emails.
CREATE INDEX ix_email_sends_person_kind ON email_sends (person_id, kind, queued_at);
