-- Forms built in the web app: the fields they ask for (a JSON array of {"field","label","required"}, in order; a form
-- created with only a field mapping has none and no hosted page), the message shown after a submission when the form
-- does not redirect, and when the form was last changed.
ALTER TABLE forms ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE forms ADD COLUMN confirmation_message TEXT;
ALTER TABLE forms ADD COLUMN updated_at BIGINT;

-- A form's submissions are its form_submitted activities (so merges, erasure and retention keep them right); this
-- finds them by the form id the activity carries, newest first, without reading every activity.
CREATE INDEX ix_activities_form_submitted ON activities ((properties::jsonb ->> 'formId'), occurred_at)
    WHERE type = 'form_submitted';
