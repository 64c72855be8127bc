import json

from django.core.management.base import BaseCommand

from network.catalogue.records import document_json_schema


class Command(BaseCommand):
    help = (
        "Print the JSON Schema (draft 2020-12) of a catalogue file in the current format, generated from the "
        "records' models (network/catalogue/records.py). docs/catalogue.schema.json holds it: "
        "python manage.py catalogue_schema > docs/catalogue.schema.json"
    )

    def handle(self, **options):
        self.stdout.write(json.dumps(document_json_schema(), ensure_ascii=False, indent=2) + "\n", ending="")
