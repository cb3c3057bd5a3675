"""Each completed assessment as the report counts it (assessments/figures.py): the
table. Its triggers and its rows for the existing data come with 0015, whose columns
they write (databases migrated before 0015 had them installed here; 0015 replaces
them)."""

import assessments.figures
import django.db.models.deletion
from django.db import migrations, models


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
        migrations.RunPython(migrations.RunPython.noop, uninstall_figures),
    ]
