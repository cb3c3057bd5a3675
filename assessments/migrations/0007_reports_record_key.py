"""Every client gets a permanent random record key (1-255) for the reports'
cell-key perturbation; existing clients get theirs here."""

import secrets

from django.db import migrations, models

import assessments.models

KEY_RANGE = 256
BATCH = 2000


def fill_record_keys(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    table = schema_editor.quote_name("assessments_client")
    if vendor == "postgresql":  # gen_random_uuid(): PostgreSQL 13+, a strong random source
        schema_editor.execute(
            f"UPDATE {table} SET record_key = "
            f"1 + (get_byte(uuid_send(gen_random_uuid()), 0) % {KEY_RANGE - 1})",
            params=None,  # no placeholders: "%" is the operator
        )
        return
    if vendor == "sqlite":  # SQLite's random() is seeded from the operating system
        schema_editor.execute(
            f"UPDATE {table} SET record_key = 1 + abs(random() % {KEY_RANGE - 1})", params=None
        )
        return
    Client = apps.get_model("assessments", "Client")
    pending = Client.objects.filter(record_key__isnull=True).only("pk")
    while batch := list(pending[:BATCH]):
        for client in batch:
            client.record_key = 1 + secrets.randbelow(KEY_RANGE - 1)
        Client.objects.bulk_update(batch, ["record_key"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_worksafe_drafts_carry_over_held")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="record_key",
            field=models.PositiveSmallIntegerField(null=True, editable=False),
        ),
        migrations.RunPython(fill_record_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="client",
            name="record_key",
            field=models.PositiveSmallIntegerField(
                default=assessments.models.new_record_key, editable=False
            ),
        ),
    ]
