"""New pages written in bulk by the importer (network.catalogue.tree): Wagtail's tree, revisions and history as
Wagtail writes them, and what is derived from the pages' rows and tags."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, PageLogEntry

from members.models import MemberPage, Need
from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue
from network.catalogue.tree import path_step, step_number
from search.backends import get_backend
from search.backends.base import SearchQuery
from solutions.models import SolutionGoal, SolutionPage

pytestmark = pytest.mark.django_db


def test_a_path_step_is_treebeards():
    assert [path_step(n) for n in (1, 9, 10, 35, 36, 1295)] == ["0001", "0009", "000A", "000Z", "0010", "00ZZ"]
    assert all(step_number("0001" + path_step(n)) == n for n in (1, 36, 1295, 36**4 - 1))
    with pytest.raises(ValueError, match="at most"):
        path_step(36**4)


def test_an_import_leaves_a_sound_tree(small_world):
    """treebeard's own check of the whole tree (paths, depths, child counts) finds nothing wrong, after new members
    under new and existing parents and new solutions under members that already had some."""
    import_catalogue(
        {
            "format": FORMAT,
            "members": [
                {
                    "key": "bgd-ict",
                    "name": "ICT Division",
                    "kind": "government_agency",
                    "country": "BGD",
                    "parent": "bgd",
                },
                {
                    "key": "bgd-ict-lab",
                    "name": "ICT Lab",
                    "kind": "government_agency",
                    "country": "BGD",
                    "parent": "bgd-ict",
                },
            ],
            "solutions": [
                {"key": f"extra-{i}", "name": f"Extra {i}", "owner": "bgd-a2i" if i % 2 else "bgd-ict-lab"}
                for i in range(5)
            ],
        }  # fmt: skip
    )

    assert Page.find_problems() == ([], [], [], [], [])
    a2i = MemberPage.objects.get(key="bgd-a2i")
    assert a2i.numchild == a2i.get_children().count() == 4  # myGov, ekShop and two new ones
    lab = MemberPage.objects.get(key="bgd-ict-lab")
    assert lab.get_parent().specific.key == "bgd-ict"
    assert lab.url_path == MemberPage.objects.get(key="bgd-ict").url_path + "ict-lab/"
    assert sorted(lab.get_children().values_list("slug", flat=True)) == ["extra-0", "extra-2", "extra-4"]
    for page in Page.objects.filter(depth__gt=1):
        assert page.url_path == page.get_parent().url_path + page.slug + "/"


def test_new_pages_are_published_with_a_revision_and_their_history(site, small_world_document):
    user = get_user_model().objects.create_user("importer", password="x")

    import_catalogue(small_world_document, user=user)

    mygov = SolutionPage.objects.get(key="mygov")
    assert mygov.live and not mygov.has_unpublished_changes and mygov.first_published_at
    assert mygov.latest_revision_id == mygov.live_revision_id is not None
    assert mygov.owner == user and mygov.live_revision.user == user
    # The revision holds the page as it is, its rows and tags included, with their ids.
    as_revised = mygov.live_revision.as_object()
    assert [f.value for f in as_revised.key_figures.all()] == ["2,500+"]
    assert [f.pk for f in as_revised.key_figures.all()] == list(mygov.key_figures.values_list("pk", flat=True))
    assert [t.code for t in as_revised.sdg_targets.all()] == ["16.6"]
    cod = MemberPage.objects.get(key="cod")
    need = cod.live_revision.as_object().needs.all()[0]
    assert need.key == "cod-one-stop" and [t.code for t in need.sdg_targets.all()] == ["16.6"]
    actions = list(PageLogEntry.objects.filter(page=mygov).order_by("pk").values_list("action", "user", "revision"))
    assert actions == [("wagtail.create", user.pk, None), ("wagtail.publish", user.pk, mygov.live_revision_id)]


def test_an_editor_changes_an_imported_page_as_any_other(small_world, admin_client):
    mygov = SolutionPage.objects.get(key="mygov")

    assert admin_client.get(f"/admin/pages/{mygov.pk}/edit/").status_code == 200
    revision = mygov.save_revision()
    revision.publish()

    mygov.refresh_from_db()
    assert mygov.live_revision == revision and [f.value for f in mygov.key_figures.all()] == ["2,500+"]
    assert Page.find_problems() == ([], [], [], [], [])


def test_what_a_save_derives_is_written_for_new_solutions(small_world):
    ekshop = SolutionPage.objects.get(key="ekshop")

    assert ekshop.goal_index == ",5,8,17,"
    assert sorted(SolutionGoal.objects.filter(solution=ekshop).values_list("goal_id", flat=True)) == [5, 8, 17]
    assert ekshop.member.key == "bgd-a2i"


def test_needs_written_in_bulk_are_found_by_the_search(
    site, small_world_document, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(small_world_document)

    need = Need.objects.get(key="cod-one-stop")
    results = get_backend().search(SearchQuery.build(text=need.title))
    assert ("need", need.pk) in [(hit.type, hit.pk) for hit in results.hits]


def test_a_name_taken_under_the_parent_gives_the_key_as_slug(small_world):
    import_catalogue(
        {
            "format": FORMAT,
            "solutions": [
                {"key": "mygov-two", "name": "myGov", "owner": "bgd-a2i"},
                {"key": "mygov-three", "name": "myGov", "owner": "bgd-a2i"},
            ],
        }  # fmt: skip
    )

    slugs = set(MemberPage.objects.get(key="bgd-a2i").get_children().values_list("slug", flat=True))
    assert {"mygov", "mygov-two", "mygov-three"} <= slugs


def test_a_page_moved_under_a_parent_and_a_new_one_there_get_different_paths(small_world, small_world_document):
    """A new solution placed under a member, a solution moved there (by Wagtail), another new one placed after it,
    in one import: three paths."""
    document = {
        "format": FORMAT,
        "solutions": [
            {"key": "first-in-turkey", "name": "First", "owner": "tur"},
            {**small_world_document["solutions"][0], "owner": "tur"},
            {"key": "then-in-turkey", "name": "Then", "owner": "tur"},
        ],
    }

    import_catalogue(document)

    turkey = MemberPage.objects.get(key="tur")
    assert list(turkey.get_children().values_list("slug", flat=True)) == ["first", "mygov", "then"]
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_long_import_says_how_far_it_is(site, small_world_document, monkeypatch):
    from network.catalogue.importer import Importer

    monkeypatch.setattr(Importer, "PROGRESS_EVERY", 4)
    heard = []

    import_catalogue(small_world_document, progress=lambda *step: heard.append(step))

    assert heard == [("members", 4, 6), ("members", 6, 6)]  # two solutions: fewer than one step, nothing said


def test_an_import_empties_the_catalogues_summary_once_not_a_page(small_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from solutions.models import CatalogueSummary

    CatalogueSummary.objects.current()  # counted and kept
    solutions = [{"key": f"more-{i}", "name": f"More {i}", "owner": "bgd-a2i", "maturity": "pilot"} for i in range(6)]

    with CaptureQueriesContext(connection) as queries:
        import_catalogue({"format": FORMAT, "solutions": solutions})

    table = CatalogueSummary._meta.db_table
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert 1 <= len(updates) <= 2  # once for the pages' saves, once for the importer's own writes
    assert CatalogueSummary.objects.current()["total"] == SolutionPage.objects.live().public().count()
