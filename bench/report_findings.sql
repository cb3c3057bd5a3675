-- BEFORE the maintained figures (assessments/figures.py): the report's aggregation
-- found each client's latest assessments by rescanning every completed assessment
-- of the period and counted their factors by joining the findings. Kept to measure
-- against bench/report.sql.
--
-- The same figures the report computes, for team :team and the period
-- [:start, :end] (no client-context filter, as in the benchmark):
--   clients          consenting clients with a completed assessment in the period
--   excluded         clients left out for lack of consent to statistics
--   assessments      completed assessments of the counted clients in the period
--   present/<factor> counted clients with the factor present in their latest
--                    completed assessment of the period (latest = date, then id)
--   stage/<stage>    the stage of change of those latest assessments
--   quarter_clients  per quarter, clients counted by their latest assessment in it
--   quarter_present  per quarter and factor, the same with the factor present
--
--   psql -v team=1 -v start=2025-01-01 -v end=2025-12-31 -f bench/report.sql
WITH team_clients AS (
    SELECT c.id,
           (c.stats_consent_on IS NOT NULL AND c.stats_consent_withdrawn_at IS NULL) AS consent
    FROM assessments_client AS c
    WHERE c.team_id = :team
),
assessed AS (
    SELECT a.id, a.client_id, a.date, a.quarter, a.stage, tc.consent
    FROM assessments_assessment AS a
    JOIN team_clients AS tc ON tc.id = a.client_id
    WHERE a.status = 'completed' AND a.date BETWEEN :'start' AND :'end'
),
in_period AS (
    SELECT * FROM assessed WHERE consent
),
latest AS (
    SELECT DISTINCT ON (client_id) id, stage
    FROM in_period
    ORDER BY client_id, date DESC, id DESC
),
latest_per_quarter AS (
    SELECT DISTINCT ON (client_id, quarter) id, quarter
    FROM in_period
    ORDER BY client_id, quarter, date DESC, id DESC
)
SELECT 'clients' AS figure, NULL::date AS quarter, NULL::text AS item, count(*) AS n FROM latest
UNION ALL
SELECT 'excluded', NULL, NULL, count(DISTINCT client_id) FROM assessed WHERE NOT consent
UNION ALL
SELECT 'assessments', NULL, NULL, count(*) FROM in_period
UNION ALL
SELECT 'present', NULL, f.factor_id::text, count(*)
FROM latest JOIN assessments_finding AS f ON f.assessment_id = latest.id AND f.status = 'present'
GROUP BY f.factor_id
UNION ALL
SELECT 'stage', NULL, stage, count(*) FROM latest GROUP BY stage
UNION ALL
SELECT 'quarter_clients', quarter, NULL, count(*) FROM latest_per_quarter GROUP BY quarter
UNION ALL
SELECT 'quarter_present', q.quarter, f.factor_id::text, count(*)
FROM latest_per_quarter AS q
JOIN assessments_finding AS f ON f.assessment_id = q.id AND f.status = 'present'
GROUP BY q.quarter, f.factor_id;
