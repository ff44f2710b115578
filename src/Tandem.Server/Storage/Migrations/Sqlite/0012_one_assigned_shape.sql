-- Every "assigned" fact on a timeline now has one shape, whoever assigned the lead (routing, a person, an SLA breach):
-- {ownerId, ownerName, teamId, teamName, previousOwnerId, decisionId, trigger, explanation, by}. Earlier versions wrote
-- three others; this rewrites them so nothing that reads the timeline has to guess.
UPDATE activities SET properties = json_object(
    'ownerId', COALESCE(json_extract(properties, '$.ownerId'), json_extract(properties, '$.toUserId'),
                        CASE WHEN json_type(properties, '$.to') = 'integer' THEN json_extract(properties, '$.to') END),
    'ownerName', COALESCE(json_extract(properties, '$.toName'),
                          CASE WHEN json_type(properties, '$.to') = 'text' THEN json_extract(properties, '$.to') END),
    'teamId', json_extract(properties, '$.teamId'),
    'teamName', (SELECT t.name FROM teams t WHERE t.id = json_extract(properties, '$.teamId')),
    'previousOwnerId', COALESCE(json_extract(properties, '$.previousOwnerId'), json_extract(properties, '$.fromUserId'),
                                json_extract(properties, '$.from')),
    'decisionId', json_extract(properties, '$.decisionId'),
    'trigger', COALESCE((SELECT d.trigger_kind FROM routing_decisions d WHERE d.id = json_extract(properties, '$.decisionId')),
                        CASE WHEN COALESCE(json_extract(properties, '$.how'), json_extract(properties, '$.why')) LIKE '%by hand%'
                             THEN 'manual' ELSE 'mql' END),
    'explanation', COALESCE(json_extract(properties, '$.explanation'), json_extract(properties, '$.why'), json_extract(properties, '$.how'), ''),
    'by', json_extract(properties, '$.by'))
WHERE type = 'assigned' AND json_extract(properties, '$.trigger') IS NULL;
