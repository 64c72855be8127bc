from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import MemberPage
from members.services import FocalPointError, create_focal_point, set_password_path


class Command(BaseCommand):
    help = "Give a person (by e-mail) the right to edit one member's pages, needs and solutions."

    def add_arguments(self, parser):
        parser.add_argument("member_key", help="The member's key, e.g. cod")
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, member_key, email, first_name, last_name, **options):
        member = MemberPage.objects.filter(key=member_key).first()
        if member is None:
            raise CommandError(f"No member with key {member_key!r}.")
        try:
            person, created = create_focal_point(member, email=email, first_name=first_name, last_name=last_name)
        except FocalPointError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{'Created' if created else 'Updated'} focal point {person.email} for {member.title}.")
        if not person.has_usable_password():
            link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + set_password_path(person)
            self.stdout.write(f"They set their password at: {link}")
