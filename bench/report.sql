-- The report's aggregation as one statement, read from the maintained figures
-- (assessments/figures.py: one row per completed assessment, with its client's
-- team and consent, kept by triggers), as assessments/reports/maintained.py reads
-- them: one scan, no join, the totals from the same rows. bench/report_findings.sql is the
-- same figures counted from the findings, as the report did before.
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
-- A row is the client's latest in the period when it is not superseded by the end
-- (superseded_on: the date of the client's next completed assessment), and the
-- latest in its quarter when not superseded within the quarter. ``present`` packs
-- the present factors, 8 digits per factor id: summed, field f counts factor f.
--
--   psql -v team=1 -v start=2025-01-01 -v end=2025-12-31 -f bench/report.sql
WITH cells AS MATERIALIZED (
    SELECT cell, stage, count(*) AS n, sum(present) AS present
    FROM (
        SELECT (extract(year FROM f.date)::integer * 4 + (extract(month FROM f.date)::integer - 1) / 3) * 8
                   + f.counted::integer * 4
                   + (f.superseded_on IS NULL OR f.superseded_on > :'end')::integer * 2
                   + (f.superseded_on IS NULL OR f.superseded_on > :'end'
                      OR f.superseded_on >= date_trunc('quarter', f.date) + interval '3 months')::integer
                   AS cell,
               f.stage,
               CASE WHEN f.superseded_on IS NULL OR f.superseded_on > :'end'
                         OR f.superseded_on >= date_trunc('quarter', f.date) + interval '3 months'
                    THEN f.present END AS present
        FROM assessments_reportfigures AS f
        WHERE f.team_id = :team AND f.date BETWEEN :'start' AND :'end'
        OFFSET 0
    ) AS rows
    GROUP BY cell, stage
),
counted AS (
    SELECT make_date(cell / 32, mod(cell / 8, 4) * 3 + 1, 1) AS quarter, stage,
           cell & 2 = 2 AS latest, cell & 1 = 1 AS latest_in_quarter, n, present
    FROM cells WHERE cell & 4 = 4
),
factors AS (
    SELECT id FROM factors_factor
),
latest_present AS (
    SELECT sum(present) AS present FROM counted WHERE latest
),
quarter_present AS (
    SELECT quarter, sum(present) AS present FROM counted WHERE latest_in_quarter GROUP BY quarter
)
SELECT 'clients' AS figure, NULL::date AS quarter, NULL::text AS item,
       coalesce(sum(n), 0) AS n
FROM counted WHERE latest
UNION ALL
SELECT 'excluded', NULL, NULL, coalesce(sum(n), 0) FROM cells WHERE cell & 6 = 2
UNION ALL
SELECT 'assessments', NULL, NULL, coalesce(sum(n), 0) FROM counted
UNION ALL
SELECT 'present', NULL, factors.id::text, field
FROM latest_present, factors,
     LATERAL (SELECT mod(div(present, 10::numeric ^ (8 * factors.id)), 100000000)::bigint
              AS field) AS unpacked
WHERE field > 0
UNION ALL
SELECT 'stage', NULL, stage, sum(n) FROM counted WHERE latest GROUP BY stage
UNION ALL
SELECT 'quarter_clients', quarter, NULL, sum(n) FROM counted WHERE latest_in_quarter
GROUP BY quarter
UNION ALL
SELECT 'quarter_present', quarter, factors.id::text, field
FROM quarter_present, factors,
     LATERAL (SELECT mod(div(present, 10::numeric ^ (8 * factors.id)), 100000000)::bigint
              AS field) AS unpacked
WHERE field > 0;
