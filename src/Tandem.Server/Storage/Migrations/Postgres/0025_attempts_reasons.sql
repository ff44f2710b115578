-- Which reasons giving a lead up is judged against the attempts minimum with: by default only "no-response",
-- the lead that did not answer. A rep who reached the lead and heard "no budget" has not broken the promise.
ALTER TABLE sla_policies ADD COLUMN attempts_reasons TEXT NOT NULL DEFAULT '["no-response"]';
