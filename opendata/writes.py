"""Writes through the API, for those who may write: a member's focal point creates and updates its own member's
needs and solutions (and those of the members under it), the Secretariat any record. Each write goes through the
catalogue importer (network.catalogue.importer.import_catalogue): the same validation as an import file, every
problem naming the record and the field, atomic, published with a revision in the writer's name, the page cache
and the search index told. Who may write what is Wagtail's page permissions, the ones the admin applies."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import MemberPage, Need
from network.catalogue import FORMAT
from network.catalogue.exporter import need_record
from network.catalogue.importer import CatalogueError, import_catalogue
from network.catalogue.schema import validate
from solutions.models import SolutionPage
from ssn4psi.services import SECRETARIAT_GROUP


class WriteRefused(Exception):
    """The writer may not write this record (403): the message says why."""


class WriteInvalid(Exception):
    """The record is not valid (400): `problems` name the record and the field."""

    def __init__(self, problems):
        super().__init__("; ".join(map(str, problems)))
        self.problems = [str(problem) for problem in problems]


def is_secretariat(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists())


def _import(document, user, dry_run=False):
    """import_catalogue(), which validates the document first; its problems as WriteInvalid."""
    try:
        return import_catalogue(document, user=user, dry_run=dry_run)
    except CatalogueError as error:
        raise WriteInvalid(error.problems) from None


REFUSALS = {
    "solutions": gettext_lazy(
        "You may not write the solutions of %(member)s: only its focal points and the Secretariat."
    ),
    "needs": gettext_lazy("You may not write the needs of %(member)s: only its focal points and the Secretariat."),
}


def _editable_member(user, key, what):
    """The member page `key`, when `user` may edit and publish it (its focal point, of it or of a member above
    it); `what` ("solutions" or "needs") says what for, in the refusal."""
    member = MemberPage.objects.filter(key=key).first()
    if member is None:
        raise WriteInvalid([f"member {key!r}: no member has this key"])
    permissions = member.permissions_for_user(user)
    if not (permissions.can_edit() and permissions.can_publish()):
        raise WriteRefused(str(REFUSALS[what]) % {"member": member.title})
    return member


def write_solution(user, key, record):
    """Create or update the solution `key` from its catalogue record; returns whether it was created. A focal
    point may write only solutions its member (or a member under it) owns, before and after the write."""
    record = {**record, "key": key}
    document = {"format": FORMAT, "solutions": [record]}
    if problems := validate(document):  # checked before the owner it names is read
        raise WriteInvalid(problems)
    existing = SolutionPage.objects.filter(key=key).select_related("member").first()
    if not is_secretariat(user):
        _editable_member(user, record["owner"], "solutions")
        if existing is not None and existing.member is not None:
            _editable_member(user, existing.member.key, "solutions")
    _import(document, user)
    return existing is None


def write_need(user, key, record):
    """Create or update the need `key` of the member `record["member"]` from its catalogue record; returns created.
    The member's other needs stay as they are; a need stays with the member it was created for."""
    record = dict(record)
    member_key = record.pop("member", None)
    if not member_key:
        raise WriteInvalid([f"needs {key!r}: member: is required"])
    record["key"] = key
    if is_secretariat(user):
        member = MemberPage.objects.filter(key=member_key).first()
        if member is None:
            raise WriteInvalid([f"member {member_key!r}: no member has this key"])
    else:
        member = _editable_member(user, member_key, "needs")
    current = Need.objects.filter(key=key).select_related("member").first()
    if current is not None and current.member_id != member.pk:
        raise WriteInvalid([f"needs {key!r}: member: the need belongs to {current.member.key}, not {member_key}"])
    needs = [need_record(need).as_data() for need in member.needs.all()]
    replaced = [record if need["key"] == key else need for need in needs]
    if current is None:
        replaced.append(record)
    document = {
        "format": FORMAT,
        "members": [
            {"key": member.key, "name": member.title, "kind": member.kind, "country": member.country, "needs": replaced}
        ],
    }
    _import(document, user)
    return current is None


def write_catalogue(user, document, *, dry_run=False):
    """Import a whole catalogue document (any record): the Secretariat's alone. Returns the import's summary."""
    if not is_secretariat(user):
        raise WriteRefused(_("Only the Secretariat may import a catalogue document."))
    return _import(document, user, dry_run=dry_run)
