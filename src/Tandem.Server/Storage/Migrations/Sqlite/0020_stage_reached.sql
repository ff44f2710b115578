-- Reports: when each person first reached each stage of the revenue cycle, kept by Lifecycle/MoveStage.cs with every
-- stage move (Reports/StageReached.cs). The funnel and velocity reports read this one row per person and stage instead
-- of walking the whole stage history. A move to a later funnel stage also marks the funnel stages it skipped as
-- reached at that instant, with implied = 1, so every funnel step counts the people who got at least that far;
-- velocity leaves implied rows out (nobody spent time in a stage they skipped).

CREATE TABLE stage_reached (
    person_id  INTEGER NOT NULL REFERENCES people (id),
    stage      TEXT    NOT NULL,
    reached_at INTEGER NOT NULL,
    implied    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, stage)
) WITHOUT ROWID;
CREATE INDEX ix_stage_reached_stage ON stage_reached (stage, reached_at, person_id);

-- Backfill from the stage history: each stage's first entry, then the funnel stages a person passed on the way to a
-- later one (Lead straight to SQL passes MQL and SAL), at the instant they passed them.
INSERT INTO stage_reached (person_id, stage, reached_at, implied)
SELECT person_id, to_stage, MIN(changed_at), 0 FROM stage_changes WHERE to_stage <> 'Subscriber' GROUP BY person_id, to_stage;

WITH funnel (stage, rank) AS (VALUES ('Lead', 1), ('MQL', 2), ('SAL', 3), ('SQL', 4), ('Opportunity', 5), ('Customer', 6)),
     reached AS (
         SELECT r.person_id, r.reached_at, f.rank FROM stage_reached r JOIN funnel f ON f.stage = r.stage WHERE r.implied = 0)
INSERT INTO stage_reached (person_id, stage, reached_at, implied)
SELECT reached.person_id, funnel.stage, MIN(reached.reached_at), 1
FROM reached JOIN funnel ON funnel.rank < reached.rank
WHERE NOT EXISTS (SELECT 1 FROM stage_reached s WHERE s.person_id = reached.person_id AND s.stage = funnel.stage)
GROUP BY reached.person_id, funnel.stage;

-- Tracked page views by time, for the traffic report (a partial index: other activity types do not pay for it).
CREATE INDEX ix_activities_page_views ON activities (occurred_at) WHERE type = 'page_view';
