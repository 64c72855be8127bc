"""Load the UN SDG framework (ssn4psi/data/sdg/) and the network's themes into the database."""

from django.db import migrations


def load(apps, schema_editor):
    from ssn4psi.sdg import read_framework, sort_key
    from ssn4psi.vocabulary import THEMES

    SdgGoal = apps.get_model("ssn4psi", "SdgGoal")
    SdgTarget = apps.get_model("ssn4psi", "SdgTarget")
    SdgIndicator = apps.get_model("ssn4psi", "SdgIndicator")
    Theme = apps.get_model("ssn4psi", "Theme")

    framework = read_framework()
    for entry in framework["goals"]:
        SdgGoal.objects.update_or_create(
            number=int(entry.code), defaults={"titles": entry.titles, "short_titles": entry.short_titles}
        )
    ordered = sorted(framework["targets"], key=lambda e: sort_key(e.code))
    for position, entry in enumerate(ordered):
        SdgTarget.objects.update_or_create(
            code=entry.code,
            defaults={"goal_id": int(entry.code.split(".")[0]), "position": position, "titles": entry.titles},
        )
    targets = dict(SdgTarget.objects.values_list("code", "pk"))
    for position, entry in enumerate(framework["indicators"]):
        target_code = ".".join(entry.code.split(".")[:2])
        SdgIndicator.objects.update_or_create(
            code=entry.code, defaults={"target_id": targets[target_code], "position": position, "titles": entry.titles}
        )
    for position, (key, _label, _description) in enumerate(THEMES):
        Theme.objects.update_or_create(key=key, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("ssn4psi", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
