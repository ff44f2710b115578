-- Every "assigned" fact on a timeline now has one shape, whoever assigned the lead (routing, a person, an SLA breach):
-- {ownerId, ownerName, teamId, teamName, previousOwnerId, decisionId, trigger, explanation, by}. Earlier versions wrote
-- three others; this rewrites them so nothing that reads the timeline has to guess.
UPDATE activities a SET properties = jsonb_strip_nulls(jsonb_build_object(
    'ownerId', COALESCE(s.p -> 'ownerId', s.p -> 'toUserId', CASE WHEN jsonb_typeof(s.p -> 'to') = 'number' THEN s.p -> 'to' END),
    'ownerName', COALESCE(s.p -> 'toName', CASE WHEN jsonb_typeof(s.p -> 'to') = 'string' THEN s.p -> 'to' END),
    'teamId', s.p -> 'teamId',
    'teamName', (SELECT to_jsonb(t.name) FROM teams t WHERE t.id = (s.p ->> 'teamId')::bigint),
    'previousOwnerId', COALESCE(s.p -> 'previousOwnerId', s.p -> 'fromUserId', s.p -> 'from'),
    'decisionId', s.p -> 'decisionId',
    'trigger', to_jsonb(COALESCE((SELECT d.trigger_kind FROM routing_decisions d WHERE d.id = (s.p ->> 'decisionId')::bigint),
                                 CASE WHEN COALESCE(s.p ->> 'how', s.p ->> 'why') LIKE '%by hand%' THEN 'manual' ELSE 'mql' END)),
    'explanation', to_jsonb(COALESCE(s.p ->> 'explanation', s.p ->> 'why', s.p ->> 'how', '')),
    'by', s.p -> 'by'))::text
FROM (SELECT id, properties::jsonb AS p FROM activities WHERE type = 'assigned') s
WHERE a.id = s.id AND s.p -> 'trigger' IS NULL;
