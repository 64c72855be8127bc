"""Writes of the network as a whole: importing the Digital Public Goods registry through the catalogue format."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from members.models import MemberPage
from network.catalogue.importer import import_catalogue
from network.dpg import convert, read_registry
from solutions.models import Adoption, SolutionPage

DEFAULT_REGISTRY = Path(settings.BASE_DIR) / "ssn4psi" / "data" / "dpg-registry"


class RegistryNotFound(Exception):
    """The folder given holds neither `nominees/` nor `digitalpublicgoods/`."""


@dataclass
class DpgImportReport:
    """The import's summary and what it could not use."""

    summary: object
    unmapped_countries: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def lines(self):
        lines = list(self.summary.lines())
        for name, products in sorted(self.unmapped_countries.items()):
            lines.append(f"country not mapped: {name!r} (in {', '.join(sorted(set(products)))})")
        lines += [f"skipped {key}: {reason}" for key, reason in self.skipped]
        lines += [f"not read: {problem}" for problem in self.problems]
        return lines


#: How many similar solutions are kept for each solution: more than a page shows (SIMILAR_SHOWN), so that one
#: hidden since the last ranking leaves its place to the next one until they are ranked again.
SIMILAR_KEPT = 8


def existing_catalogue():
    """What the converter needs to know of the catalogue already in the database (four queries)."""
    members = {}
    for key, title in MemberPage.objects.values_list("key", "title"):
        members[key] = key
        members.setdefault(title.lower(), key)
    solutions = {}
    tagged = set(SolutionPage.sdg_targets.through.objects.values_list("solutionpage_id", flat=True))
    tagged |= set(SolutionPage.sdg_goals.through.objects.values_list("solutionpage_id", flat=True))
    rows = SolutionPage.objects.values_list("pk", "key", "title", "member__key", "licence", "repository", "website")
    by_pk = {}
    for pk, key, title, owner, licence, repository, website in rows:
        by_pk[pk] = solutions[key] = {
            "name": title,
            "owner": owner,
            "licence": licence,
            "repository": repository,
            "website": website,
            "has_tags": pk in tagged,
            "adoptions": [],
        }
    for solution_id, member, year, status in Adoption.objects.order_by("sort_order").values_list(
        "solution_id", "member__key", "year", "status"
    ):
        by_pk[solution_id]["adoptions"].append({"member": member, "year": year, "status": status})
    return members, solutions


def import_dpg(directory=DEFAULT_REGISTRY, *, user=None, progress=None):
    """Import the registry under `directory` through the catalogue importer (atomic, idempotent by key)."""
    directory = Path(directory)
    if not (directory / "nominees").is_dir() and not (directory / "digitalpublicgoods").is_dir():
        raise RegistryNotFound(f"{directory} holds neither nominees/ nor digitalpublicgoods/")
    members, solutions = existing_catalogue()
    conversion = convert(read_registry(directory), existing_members=members, existing_solutions=solutions)
    summary = import_catalogue(conversion.document, user=user, progress=progress)
    return DpgImportReport(
        summary=summary,
        unmapped_countries=conversion.unmapped_countries,
        skipped=conversion.skipped,
        problems=conversion.problems,
    )
