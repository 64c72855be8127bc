"""The kept catalogue summary (solutions.summary): its one row, empty, so that the first reader counts."""

from django.db import migrations, models


def make_row(apps, schema_editor):
    apps.get_model("solutions", "CatalogueSummary").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("solutions", "0004_rank_similar_solutions"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueSummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveBigIntegerField(default=0)),
                ("counts", models.JSONField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "catalogue summary",
            },
        ),
        migrations.RunPython(make_row, migrations.RunPython.noop),
    ]
