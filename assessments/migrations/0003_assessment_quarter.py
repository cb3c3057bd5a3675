from django.db import migrations, models
from django.db.models.functions import TruncQuarter


def fill_quarters(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Assessment.objects.update(quarter=TruncQuarter("date"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_report_indexes")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="quarter",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(fill_quarters, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessment",
            name="quarter",
            field=models.DateField(editable=False),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["client", "status", "quarter", "date", "id"],
                name="assess_client_quarter_idx",
            ),
        ),
    ]
