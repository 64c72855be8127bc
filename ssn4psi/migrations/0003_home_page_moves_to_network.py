from django.db import migrations


class Migration(migrations.Migration):
    """The home page model moves to the `network` app (the top layer); its table and rows stay."""

    dependencies = [
        ("ssn4psi", "0002_sdg_framework_and_themes"),
        ("network", "0001_home_page"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="HomePage")]),
    ]
