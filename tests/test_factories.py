"""The factories build the world the catalogue importer builds: the small world from the factories
(conftest.build_small_world) and from its import (conftest.SMALL_WORLD) write the same rows."""

import copy

from django.db import transaction
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from matchmaking.models import Exchange
from members.models import MemberPage, Need
from network.catalogue.importer import import_catalogue
from solutions.models import Adoption, KeyFigure, SolutionPage
from tests.conftest import SMALL_WORLD, build_small_world

#: Columns that differ between two builds of the same world: ids, random keys and times.
VOLATILE = {
    "id",
    "page_ptr_id",
    "translation_key",
    "latest_revision_id",
    "live_revision_id",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "created_at",
    "recorded_at",
    "timestamp",
    "uuid",
}


def world_rows():
    """Every row the small world writes, ids replaced by the pages' URL paths (or left out), times left out."""
    page_path = dict(Page.objects.values_list("pk", "url_path"))

    def rows(queryset, *page_fields):
        found = []
        for row in queryset.values():
            for name in page_fields:
                row[name] = page_path.get(row[name])
            found.append({name: value for name, value in row.items() if name not in VOLATILE})
        return found

    def tags(record):
        return (
            [target.code for target in record.sdg_targets.order_by("pk")],
            [goal.pk for goal in record.sdg_goals.order_by("pk")],
            [theme.pk for theme in record.themes.order_by("pk")],
        )

    return {
        "pages": rows(Page.objects.order_by("path")),
        "members": rows(MemberPage.objects.order_by("path")),
        "solutions": rows(SolutionPage.objects.order_by("path"), "member_id"),
        "solution tags": [tags(solution) for solution in SolutionPage.objects.order_by("path")],
        "needs": rows(Need.objects.order_by("key"), "member_id"),
        "need tags": [tags(need) for need in Need.objects.order_by("key")],
        "key figures": rows(KeyFigure.objects.order_by("solution__path", "sort_order"), "solution_id"),
        "adoptions": rows(Adoption.objects.order_by("solution__path", "sort_order"), "solution_id", "member_id"),
        "exchanges": [
            {
                **row,
                "solutions": sorted(Exchange.objects.get(key=row["key"]).solutions.values_list("url_path", flat=True)),
                "status changes": list(
                    Exchange.objects.get(key=row["key"]).status_changes.values_list(
                        "status", "date", "note", "changed_by"
                    )
                ),
            }
            for row in rows(Exchange.objects.order_by("key"), "provider_id", "learner_id", "facilitator_id")
        ],
        "revisions": sorted(
            (
                (page_path[int(object_id)], user, approved)
                for object_id, user, approved in Revision.objects.values_list(
                    "object_id", "user", "approved_go_live_at"
                )
            ),
            key=repr,
        ),
        "log": sorted(
            (
                (page_path.get(page), action, user)
                for page, action, user in PageLogEntry.objects.values_list("page", "action", "user")
            ),
            key=repr,
        ),
        "references": sorted(
            (
                (
                    row.base_content_type.model,
                    page_path.get(int(row.object_id)),
                    row.to_content_type.model,
                    to_object_id_of(row.to_content_type, row.to_object_id),
                    row.model_path,
                )
                for row in ReferenceIndex.objects.select_related("base_content_type", "to_content_type")
            ),
            key=repr,
        ),
    }


def to_object_id_of(content_type, object_id):
    """What a reference points at, as the same in both worlds: a page by its URL path, anything else by its id."""
    model = content_type.model_class()
    if issubclass(model, Page):
        return Page.objects.get(pk=object_id).url_path
    return object_id


def test_the_factories_build_the_rows_the_import_writes(site):
    with transaction.atomic():
        import_catalogue(copy.deepcopy(SMALL_WORLD))
        imported = world_rows()
        transaction.set_rollback(True)
    assert not MemberPage.objects.exists()
    build_small_world()
    built = world_rows()
    assert built["members"] and built["exchanges"] and built["references"]
    for part in imported:
        assert built[part] == imported[part], part


def test_importing_the_small_world_over_the_factories_changes_nothing(site):
    build_small_world()
    summary = import_catalogue(copy.deepcopy(SMALL_WORLD))
    assert not summary.changed, summary.lines()
