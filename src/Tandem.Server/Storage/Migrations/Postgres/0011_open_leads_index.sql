-- Routing counts each rep's open leads (capacity, least loaded) in every assignment. With merged_into_id in the
-- owner index the count is read from the index alone instead of visiting every open lead's row, which kept
-- assignments slowing down as a rep's book grew.
DROP INDEX ix_people_owner;
CREATE INDEX ix_people_owner ON people (owner_id, stage, merged_into_id);
