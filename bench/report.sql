-- The supervisor report's whole aggregation as ONE statement: the floor that
-- bench/run.py compares assessments.reports.compute_report with. It reads each
-- client's latest completed assessments from the rows assessments/latest.py
-- keeps in step (assessments_latestcompleted) instead of rescanning every
-- assessment; the statement is latest._REPORT with the scope written out.
-- bench/report_rescan.sql is the same figures the old way.
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
WITH scope AS (
    SELECT c.id,
           (c.stats_consent_on IS NOT NULL AND c.stats_consent_withdrawn_at IS NULL) AS consent
    FROM assessments_client AS c
    WHERE c.team_id = :team
),
-- each client's latest in each quarter of the period (clipped to it): the kept
-- row when its date is in the period; only in the last quarter, for clients whose
-- kept row is after the end, a look at that quarter's assessments up to the end
per_quarter AS (
    SELECT l.client_id, l.quarter, l.assessment_id AS id, l.date, s.consent
    FROM assessments_latestcompleted AS l JOIN scope AS s ON s.id = l.client_id
    WHERE l.quarter BETWEEN date_trunc('quarter', :'start'::date)::date
                        AND date_trunc('quarter', :'end'::date)::date
      AND l.date BETWEEN :'start' AND :'end'
    UNION ALL
    SELECT client_id, quarter, id, date, consent FROM (
        SELECT a.client_id, a.quarter, a.id, a.date, s.consent,
               ROW_NUMBER() OVER (PARTITION BY a.client_id ORDER BY a.date DESC, a.id DESC)
                   AS rank
        FROM assessments_latestcompleted AS l
        JOIN scope AS s ON s.id = l.client_id
        JOIN assessments_assessment AS a ON a.client_id = l.client_id AND a.quarter = l.quarter
        WHERE l.quarter = date_trunc('quarter', :'end'::date)::date AND l.date > :'end'
          AND a.status = 'completed' AND a.date BETWEEN :'start' AND :'end'
    ) AS clipped
    WHERE rank = 1
),
-- each client's latest in the period: their kept latest of all when it is in the
-- period; for clients with a later one, the greatest of their per_quarter rows
latest AS (
    SELECT l.assessment_id AS id, l.stage, s.consent
    FROM assessments_latestcompleted AS l JOIN scope AS s ON s.id = l.client_id
    WHERE l.is_latest AND l.date BETWEEN :'start' AND :'end'
    UNION ALL
    SELECT id, stage, consent FROM (
        SELECT p.id, a.stage, p.consent,
               ROW_NUMBER() OVER (PARTITION BY p.client_id ORDER BY p.date DESC, p.id DESC)
                   AS rank
        FROM per_quarter AS p
        JOIN assessments_latestcompleted AS l
            ON l.client_id = p.client_id AND l.is_latest AND l.date > :'end'
        JOIN assessments_assessment AS a ON a.id = p.id
    ) AS earlier
    WHERE rank = 1
)
SELECT 'clients' AS figure, NULL::date AS quarter, NULL::text AS item, count(*) AS n
FROM latest WHERE consent
UNION ALL
SELECT 'excluded', NULL, NULL, count(*) FROM latest WHERE NOT consent
UNION ALL
SELECT 'assessments', NULL, NULL, count(*)
FROM assessments_assessment AS a JOIN scope AS s ON s.id = a.client_id AND s.consent
WHERE a.status = 'completed' AND a.date BETWEEN :'start' AND :'end'
UNION ALL
SELECT 'present', NULL, f.factor_id::text, count(*)
FROM latest JOIN assessments_finding AS f ON f.assessment_id = latest.id AND f.status = 'present'
WHERE latest.consent
GROUP BY f.factor_id
UNION ALL
SELECT 'stage', NULL, stage, count(*) FROM latest WHERE consent GROUP BY stage
UNION ALL
SELECT 'quarter_clients', quarter, NULL, count(*) FROM per_quarter WHERE consent GROUP BY quarter
UNION ALL
SELECT 'quarter_present', p.quarter, f.factor_id::text, count(*)
FROM per_quarter AS p
JOIN assessments_finding AS f ON f.assessment_id = p.id AND f.status = 'present'
WHERE p.consent
GROUP BY p.quarter, f.factor_id;
