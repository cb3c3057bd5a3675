"""The report's figures carry their client's team, consent, record key and context
(assessments/figures.py), so that the report reads one table and joins nothing: the
columns, an index on (team, date), the triggers that also follow changes to clients,
and the rows rewritten for the existing data (one statement; under a minute at
100,000 clients)."""

import assessments.figures
import django.db.models.deletion
from django.db import migrations, models


def install_figures(apps, schema_editor) -> None:
    assessments.figures.install(schema_editor)


def uninstall_figures(apps, schema_editor) -> None:
    assessments.figures.uninstall(schema_editor)


def empty_figures(apps, schema_editor) -> None:
    """The triggers off and the rows gone (TRUNCATE: no dead rows left behind), to be
    rewritten in full below: the new columns need no defaults."""
    if schema_editor.connection.vendor != "postgresql":
        return  # no triggers, no rows
    assessments.figures.uninstall(schema_editor)
    schema_editor.execute("TRUNCATE assessments_reportfigures", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0014_report_figures'),
    ]

    operations = [
        migrations.RunPython(empty_figures, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name='reportfigures',
            name='reportfigures_date_idx',
        ),
        migrations.AddField(
            model_name='reportfigures',
            name='age_group',
            field=models.CharField(blank=True, max_length=12),
        ),
        migrations.AddField(
            model_name='reportfigures',
            name='counted',
            field=models.BooleanField(default=None),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='reportfigures',
            name='record_key',
            field=models.PositiveSmallIntegerField(default=None),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='reportfigures',
            name='route',
            field=models.CharField(blank=True, max_length=15),
        ),
        migrations.AddField(
            model_name='reportfigures',
            name='setting',
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name='reportfigures',
            name='team',
            field=models.ForeignKey(db_constraint=False, db_index=False, default=None, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.team'),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name='reportfigures',
            index=models.Index(fields=['team', 'date'], name='reportfigures_team_date_idx'),
        ),
        migrations.RunPython(install_figures, uninstall_figures),
    ]
