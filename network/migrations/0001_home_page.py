import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Pages already saved as ssn4psi.HomePage become network.HomePage: their content type changes app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="ssn4psi", model="homepage").first()
    if old is None:
        return
    new = ContentType.objects.using(db).filter(app_label="network", model="homepage").first()
    if new is None:
        old.app_label = "network"
        old.save(update_fields=["app_label"])
        return
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.using(db).filter(content_type=old).update(content_type=new)
    old.delete()


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="network", model="homepage").update(app_label="ssn4psi")


class Migration(migrations.Migration):
    """The home page, moved from the core app: the model's state is created here on the table it already has
    (ssn4psi_homepage), and the content type of existing home pages follows."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ssn4psi", "0002_sdg_framework_and_themes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to="wagtailcore.page",
                            ),
                        ),
                        ("intro", models.TextField(blank=True, verbose_name="introduction")),
                    ],
                    options={"verbose_name": "home page", "db_table": "ssn4psi_homepage"},
                    bases=("wagtailcore.page",),
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
