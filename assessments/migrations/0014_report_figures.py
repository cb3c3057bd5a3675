"""Each completed assessment as the report counts it (assessments/figures.py): the
table, the PostgreSQL triggers that keep it in step, and its rows for the existing
data (one statement; about ten seconds at 100,000 clients and 15 million findings)."""

import assessments.figures
import django.db.models.deletion
from django.db import migrations, models


def install_figures(apps, schema_editor) -> None:
    assessments.figures.install(schema_editor)


def uninstall_figures(apps, schema_editor) -> None:
    assessments.figures.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0013_translatable_model_and_field_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportFigures',
            fields=[
                ('assessment', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='assessments.assessment')),
                ('date', models.DateField()),
                ('superseded_on', models.DateField(null=True)),
                ('stage', models.CharField(blank=True, max_length=20)),
                ('present', assessments.figures.PackedCountsField()),
                ('absent', assessments.figures.PackedCountsField()),
                ('client', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.client')),
            ],
            options={
                'db_table': 'assessments_reportfigures',
                'default_permissions': (),
                'indexes': [models.Index(fields=['date'], name='reportfigures_date_idx')],
            },
        ),
        migrations.RunPython(install_figures, uninstall_figures),
    ]
