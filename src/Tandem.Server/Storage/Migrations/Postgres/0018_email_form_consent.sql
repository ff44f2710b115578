-- Forms and email: which field of a form carries the person's consent to marketing email (null: 'consent' or
-- 'emailConsent'), and the transactional template a form's submission is answered with at once (its confirmation or
-- auto-reply). Plus the built-in double opt-in request, sent when the workspace requires opt-in.

ALTER TABLE forms ADD COLUMN consent_field TEXT;
ALTER TABLE forms ADD COLUMN confirmation_template_id BIGINT REFERENCES email_templates (id);

-- The link https://confirm.tandem.invalid/ is replaced by the person's own signed confirmation link when the email is
-- queued (the .invalid name can never resolve, so an email that somehow kept it leads nowhere).
INSERT INTO email_templates (name, kind, topic, subject, preheader, body_markdown, created_at, updated_at) VALUES (
    'double-opt-in', 'transactional', NULL, 'Please confirm your subscription', 'One click and you are subscribed.',
    'Hi {{firstName | default: "there"}},

Please confirm that you want to receive our emails:

[Yes, subscribe me](https://confirm.tandem.invalid/)

If you did not ask for this, ignore this email: you will not hear from us again.',
    0, 0)
ON CONFLICT (name) DO NOTHING;
