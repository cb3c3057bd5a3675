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


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0014_report_figures'),
    ]

    operations = [
        # Rewritten in full below: the new columns need no defaults.
        migrations.RunPython(uninstall_figures, migrations.RunPython.noop),
        migrations.RunSQL('DELETE FROM assessments_reportfigures', migrations.RunSQL.noop),
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
            field=models.ForeignKey(db_constraint=False, default=None, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.team'),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name='reportfigures',
            index=models.Index(fields=['team', 'date'], name='reportfigures_team_date_idx'),
        ),
        migrations.RunPython(install_figures, uninstall_figures),
    ]
