"""The whole catalogue's counts are kept on write (solutions.summary): pages read them in one query, and every write
that changes what they count empties them, so no page ever shows a stale count."""

import re

import pytest

from solutions.catalogue import facet_counts
from solutions.models import CatalogueSummary, SolutionPage
from tests.visibility import draft_change, hide


def kept():
    return CatalogueSummary.objects.get(pk=CatalogueSummary.objects.ROW).counts


def summary():
    """What the kept row holds once a reader has kept it."""
    current = CatalogueSummary.objects.current()
    assert kept() is not None
    return current


def home_figure(client, label):
    """The number the home page shows for `label` (Solutions, Members...)."""
    html = client.get("/").content.decode()
    return int(re.search(rf"<dt>{label}</dt><dd>(\d+)</dd>", html).group(1))


def test_the_kept_counts_are_the_counted_ones(small_world, many_solutions, client):
    many_solutions(12)
    current = summary()
    assert current == CatalogueSummary.objects.counted()
    assert current["facets"] == facet_counts(SolutionPage.objects.for_catalogue(), {})
    assert current["total"] == SolutionPage.objects.for_catalogue().count() == 14
    # Read back from the row, the values keep their types (goal numbers stay numbers, no country stays None).
    assert CatalogueSummary.objects.current() == current
    assert set(current["facets"]["goal"]) <= set(range(1, 18))


def _publish(page, **fields):
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def _solution(key):
    return SolutionPage.objects.get(key=key)


def _member(key):
    from members.models import MemberPage

    return MemberPage.objects.get(key=key)


WRITES = {
    "a solution published": lambda many: many(1, start=500),
    "a solution unpublished": lambda many: _solution("ekshop").unpublish(),
    "a solution deleted": lambda many: _solution("ekshop").delete(),
    "a solution's owner restricted to logged-in people": lambda many: hide(_member("bgd-a2i"), "login"),
    "a solution restricted to a group": lambda many: hide(_solution("ekshop"), "groups"),
    "a solution under a restricted parent": lambda many: hide(_solution("ekshop"), "restricted parent"),
    "a solution moved to another member": lambda many: _solution("ekshop").move(_member("cod"), pos="last-child"),
    "a solution's maturity published": lambda many: _publish(_solution("mygov"), maturity="pilot"),
    "a solution's themes published": lambda many: _solution("mygov").themes.set(["health"]),
    "an owner's country published": lambda many: _publish(_member("bgd-a2i"), country="KEN"),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_that_changes_the_counts_empties_them(write, small_world, many_solutions, client):
    before = summary()
    WRITES[write](many_solutions)
    assert kept() is None
    after = CatalogueSummary.objects.current()
    assert after == CatalogueSummary.objects.counted()
    assert after != before
    # And the pages that show them.
    assert home_figure(client, "Solutions") == after["total"]


def test_a_draft_leaves_the_counts_kept(small_world):
    before = summary()
    draft_change(_solution("mygov"), "myGov, renamed in a draft")
    assert kept() is not None
    assert CatalogueSummary.objects.current() == before


def test_a_reader_does_not_keep_what_a_write_made_stale_while_it_counted(small_world, monkeypatch):
    CatalogueSummary.objects.changed()
    counted = CatalogueSummary.objects.counted

    def counted_while_a_write_commits():
        stale = counted()
        CatalogueSummary.objects.changed()  # another transaction's write, committed meanwhile
        return stale

    monkeypatch.setattr(CatalogueSummary.objects, "counted", counted_while_a_write_commits)
    CatalogueSummary.objects.current()
    assert kept() is None  # the next reader counts again
    monkeypatch.undo()
    assert CatalogueSummary.objects.current() == CatalogueSummary.objects.counted()
    assert kept() is not None


def test_without_its_row_the_summary_is_counted_and_the_row_made(small_world):
    CatalogueSummary.objects.all().delete()  # as after a database flush
    assert CatalogueSummary.objects.current() == CatalogueSummary.objects.counted()
    assert kept() is None  # made empty: a write during that count could not have emptied it
    assert summary() == CatalogueSummary.objects.counted()


def test_the_home_page_reads_a_fixed_number_of_queries(small_world, many_solutions, client, django_assert_num_queries):
    many_solutions(8)
    client.get("/")  # warms the site-root cache and keeps the catalogue's counts
    # The site, locale and page (3), its view restrictions (2), the catalogue's kept counts, the latest solutions
    # and their themes (and view restrictions), the catalogue's and the directory's pages (and theirs), the
    # members' figures (and theirs), the exchanges, the goals.
    with django_assert_num_queries(17):
        small = client.get("/")
    many_solutions(290, start=8)
    client.get("/")
    with django_assert_num_queries(17):
        large = client.get("/")
    assert home_figure(client, "Solutions") == 300
    assert small.status_code == large.status_code == 200
