"""Anonymise the registrations of workshops that ended long ago (the retention period of the privacy notice)."""

import argparse

from django.core.management.base import BaseCommand

from workshops.privacy import purge_registrations, retention_days


def days(value):
    """A whole number of days, 0 or more (argparse type)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative: give a number of days, 0 or more")
    return number


class Command(BaseCommand):
    help = (
        "Anonymise the registrations of workshops that ended more than DAYS days ago (default: the "
        "WORKSHOPS_REGISTRATION_RETENTION_DAYS setting). Statuses, organisations and countries stay for statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=days, default=None, metavar="DAYS", help="days after the end")
        parser.add_argument("--dry-run", action="store_true", help="only count, change nothing")

    def handle(self, *args, older_than=None, dry_run=False, **options):
        older_than = retention_days() if older_than is None else older_than
        count = purge_registrations(older_than_days=older_than, dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{count} registrations {verb} (workshops ended over {older_than} days ago).")
