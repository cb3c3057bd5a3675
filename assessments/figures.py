"""What the report needs of each completed assessment, kept in step by the database.

The report counts each client by their latest completed assessment in the period
(and in each period of its trend), factor by factor. Finding those assessments and
joining their findings took most of a report's time at 100,000 clients: 13 index
probes of the findings per assessment, for 200,000 assessments. ``ReportFigures``
keeps one row per completed assessment instead:

- ``superseded_on``: the date of the same client's next completed assessment (in
  the report's order: date, then id), or NULL for the client's latest. An
  assessment is a client's latest completed one in [start, end] exactly when its
  date is in [start, end] and it is not superseded by ``end``
  (``superseded_on IS NULL OR superseded_on > end``): no rescan, no sort.
- ``present`` and ``absent``: the assessment's factors recorded present (absent),
  as one number with an 8-digit field per factor, field ``factor id``: 1 in the
  field of each such factor (``pack``). Summed over a set of assessments, field
  ``f`` holds how many of them have factor ``f``; multiplied by the client's
  record key before summing, the sum of those clients' record keys, which the
  cell-key perturbation needs. PostgreSQL's ``numeric`` adds such numbers exactly,
  whatever their length: one ``sum`` per figure does the work of a join with the
  findings and a GROUP BY factor. A field holds up to 99,999,999: a key sum (record
  keys are at most 255) stays below it up to 392,156 clients in one cell (the report
  refuses more). Eight digits are two of ``numeric``'s base-10,000 digits: the
  narrowest field that holds the key sums of a few hundred thousand clients, and a
  fifth narrower than ten (rows read and numbers summed by every report).

- ``team``, ``counted`` (the client's consent to statistics, as the report reads
  it), ``record_key``, ``age_group``, ``route`` and ``setting``: copied from the
  client, so that the report reads this one table, through an index on (team,
  date), and joins nothing.

PostgreSQL triggers (installed by the migrations) rewrite a client's rows in the
transaction that completes, reopens, edits or deletes one of their assessments, or
changes the findings of a completed one; and copy a client's team, consent and
context onto their rows in the transaction that changes them (reassignment, consent
given or withdrawn, a context edit) - whatever the code path (views, admin, shell,
data migrations, bulk writes). Erasing a client deletes their rows. The rows exist
on PostgreSQL only, where the report reads them; elsewhere the report counts from
the findings with the ORM.
"""

from __future__ import annotations

from django.db import connection, models

DIGITS = 8  # of one field of a packed number
FIELD = 10**DIGITS
MAX_CELL_CLIENTS = (FIELD - 1) // 255  # clients a field can count, keys summed


def pack(factor_ids) -> int:
    """The packed number of a set of factor ids: 1 in the field of each."""
    return sum(FIELD**factor_id for factor_id in set(factor_ids))


def unpack(value) -> dict[int, int]:
    """{factor id: the field's value}, for the non-zero fields of a packed sum."""
    fields, number, position = {}, int(value or 0), 0
    while number:
        number, field = divmod(number, FIELD)
        if field:
            fields[position] = field
        position += 1
    return fields


class PackedCountsField(models.Field):
    """An integer of any length: PostgreSQL's ``numeric`` with no precision."""

    description = "Packed per-factor counts"

    def db_type(self, connection) -> str:
        return "numeric" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        return None if value is None else int(value)

    def to_python(self, value):
        return None if value is None else int(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return int(value) if connection.vendor == "postgresql" else str(int(value))


class ReportFigures(models.Model):
    """One completed assessment, as the report counts it (see the module's docstring).

    Written only by the database's triggers: never save these from Python.
    """

    # No foreign keys: the triggers delete the rows with the assessment (or client).
    assessment = models.OneToOneField(
        "assessments.Assessment",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    client = models.ForeignKey(
        "assessments.Client", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # The client's, as of the last change to the client.
    team = models.ForeignKey(
        "assessments.Team",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the index on (team, date) serves
        related_name="+",
    )
    counted = models.BooleanField()  # compute.STATS_CONSENT
    record_key = models.PositiveSmallIntegerField()
    age_group = models.CharField(max_length=12, blank=True)
    route = models.CharField(max_length=15, blank=True)
    setting = models.CharField(max_length=10, blank=True)
    date = models.DateField()
    superseded_on = models.DateField(null=True)
    stage = models.CharField(max_length=20, blank=True)
    present = PackedCountsField()
    absent = PackedCountsField()

    class Meta:
        db_table = "assessments_reportfigures"
        # The report's filter: its teams, then its period.
        indexes = [models.Index(fields=["team", "date"], name="reportfigures_team_date_idx")]
        # Kept by the database's triggers alone: no one is ever granted a change to it.
        default_permissions = ()

    def __str__(self) -> str:
        return f"figures of assessment {self.assessment_id}"


# --- The upkeep, in PostgreSQL -------------------------------------------------------

# Rewrites the rows of the given clients (all clients when NULL) from their
# completed assessments and findings. The clients' rows are locked first, so that
# two transactions changing the same person's assessments take turns: the second
# one's rewrite then reads what the first committed.
# What the rows copy from their client (``c``): the columns and their values.
_CLIENT_COLUMNS = "team_id, counted, record_key, age_group, route, setting"
_CLIENT_VALUES = """
    c.team_id,
    c.stats_consent_on IS NOT NULL AND c.stats_consent_withdrawn_at IS NULL
        AND c.data_consent_withdrawn_at IS NULL,
    c.record_key, c.age_group, c.route, c.setting"""

_REWRITE = f"""
    INSERT INTO assessments_reportfigures
        (assessment_id, client_id, date, superseded_on, stage, present, absent,
         {_CLIENT_COLUMNS})
    SELECT a.id, a.client_id, a.date,
           lead(a.date) OVER (PARTITION BY a.client_id ORDER BY a.date, a.id),
           a.stage, coalesce(f.present, 0), coalesce(f.absent, 0), {_CLIENT_VALUES}
    FROM assessments_assessment AS a
    JOIN assessments_client AS c ON c.id = a.client_id
    LEFT JOIN (
        SELECT assessment_id,
               sum(('1e' || {DIGITS} * factor_id)::numeric)
                   FILTER (WHERE status = 'present') AS present,
               sum(('1e' || {DIGITS} * factor_id)::numeric)
                   FILTER (WHERE status = 'absent') AS absent
        FROM assessments_finding
        {{findings}}
        GROUP BY assessment_id
    ) AS f ON f.assessment_id = a.id
    WHERE a.status = 'completed' {{assessments}};
"""  # noqa: S608

# Built from constant text only.
REFRESH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION assessments_reportfigures_refresh(client_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF client_ids IS NULL THEN
        DELETE FROM assessments_reportfigures;
        {_REWRITE.format(findings="", assessments="")}
        RETURN;
    END IF;
    IF cardinality(client_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM assessments_client WHERE id = ANY (client_ids) ORDER BY id
        FOR NO KEY UPDATE;
    DELETE FROM assessments_reportfigures WHERE client_id = ANY (client_ids);
    {
    _REWRITE.format(
        findings="WHERE assessment_id IN ("
        "SELECT id FROM assessments_assessment WHERE client_id = ANY (client_ids))",
        assessments="AND a.client_id = ANY (client_ids)",
    )
}
END
$$;
"""  # noqa: S608

# Statement-level triggers: one rewrite per statement, for the clients whose
# completed assessments (before or after the change) it touched. Saving a draft
# finds no such client and writes nothing.
TRIGGER_FUNCTIONS = """
CREATE OR REPLACE FUNCTION assessments_reportfigures_on_assessment()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM assessments_reportfigures_refresh(ARRAY(
            SELECT DISTINCT client_id FROM new_rows WHERE status = 'completed'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM assessments_reportfigures_refresh(ARRAY(
            SELECT DISTINCT client_id FROM old_rows WHERE status = 'completed'));
    ELSE
        PERFORM assessments_reportfigures_refresh(ARRAY(
            SELECT DISTINCT unnest(ARRAY[n.client_id, o.client_id])
            FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
            WHERE (n.status = 'completed' OR o.status = 'completed')
              AND (n.status, n.date, n.stage, n.client_id)
                  IS DISTINCT FROM (o.status, o.date, o.stage, o.client_id)));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION assessments_reportfigures_on_finding()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM assessments_reportfigures_refresh(ARRAY(
            SELECT DISTINCT a.client_id FROM new_rows AS f
            JOIN assessments_assessment AS a ON a.id = f.assessment_id
            WHERE a.status = 'completed'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM assessments_reportfigures_refresh(ARRAY(
            SELECT DISTINCT a.client_id FROM old_rows AS f
            JOIN assessments_assessment AS a ON a.id = f.assessment_id
            WHERE a.status = 'completed'));
    ELSE
        PERFORM assessments_reportfigures_refresh(ARRAY(
            SELECT DISTINCT a.client_id
            FROM (
                SELECT unnest(ARRAY[n.assessment_id, o.assessment_id]) AS id
                FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
                WHERE (n.status, n.factor_id, n.assessment_id)
                      IS DISTINCT FROM (o.status, o.factor_id, o.assessment_id)
            ) AS changed
            JOIN assessments_assessment AS a ON a.id = changed.id
            WHERE a.status = 'completed'));
    END IF;
    RETURN NULL;
END
$$;
"""

# A client's team, consent or context changed: copied onto their rows (an UPDATE
# that changes none of them, the most common, writes nothing). Erased: their rows go.
# Built from constant text only.
CLIENT_TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION assessments_reportfigures_on_client()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM assessments_reportfigures
        WHERE client_id IN (SELECT id FROM old_rows);
        RETURN NULL;
    END IF;
    UPDATE assessments_reportfigures AS f
    SET ({_CLIENT_COLUMNS}) = (SELECT {_CLIENT_VALUES})
    FROM new_rows AS c JOIN old_rows AS o ON o.id = c.id
    WHERE f.client_id = c.id
      AND (c.team_id, c.stats_consent_on IS NULL, c.stats_consent_withdrawn_at IS NULL,
           c.data_consent_withdrawn_at IS NULL, c.record_key, c.age_group, c.route, c.setting)
          IS DISTINCT FROM
          (o.team_id, o.stats_consent_on IS NULL, o.stats_consent_withdrawn_at IS NULL,
           o.data_consent_withdrawn_at IS NULL, o.record_key, o.age_group, o.route, o.setting);
    RETURN NULL;
END
$$;
"""  # noqa: S608

TRIGGERS = [
    *(
        (table, event, function)
        for table, function in (
            ("assessments_assessment", "assessments_reportfigures_on_assessment"),
            ("assessments_finding", "assessments_reportfigures_on_finding"),
        )
        for event in ("insert", "update", "delete")
    ),
    *(
        ("assessments_client", event, "assessments_reportfigures_on_client")
        for event in ("update", "delete")
    ),
]


def _trigger_sql(table: str, event: str, function: str) -> str:
    tables = {
        "insert": "NEW TABLE AS new_rows",
        "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        "delete": "OLD TABLE AS old_rows",
    }[event]
    return (
        f"CREATE TRIGGER reportfigures_{event} AFTER {event.upper()} ON {table} "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def install(schema_editor) -> None:
    """Create the functions and triggers and fill the table (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFRESH_FUNCTION, params=None)
    schema_editor.execute(TRIGGER_FUNCTIONS, params=None)
    schema_editor.execute(CLIENT_TRIGGER_FUNCTION, params=None)
    for table, event, function in TRIGGERS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS reportfigures_{event} ON {table}", params=None
        )
        schema_editor.execute(_trigger_sql(table, event, function), params=None)
    schema_editor.execute("SELECT assessments_reportfigures_refresh(NULL)", params=None)


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, event, _function in TRIGGERS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS reportfigures_{event} ON {table}", params=None
        )
    for name in (
        "assessments_reportfigures_on_assessment()",
        "assessments_reportfigures_on_finding()",
        "assessments_reportfigures_on_client()",
        "assessments_reportfigures_refresh(bigint[])",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}", params=None)


def rebuild(client_ids=None) -> None:
    """Rewrite the rows of these clients (all when None) in one statement, after a
    load with the triggers off (``seed_demo``)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT assessments_reportfigures_refresh(%s::bigint[])",
            [None if client_ids is None else list(client_ids)],
        )
