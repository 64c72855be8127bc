"""search.documents: what the site search indexes, read from a small world (no search server involved)."""

from collections import Counter

import pytest
from wagtail.models import Locale, PageViewRestriction

from members.models import MemberPage, Need
from search.documents import all_documents, documents_for, documents_of_type, public_pks
from solutions.catalogue import facet_counts
from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def _by_key(documents):
    return {(d.type, d.title): d for d in documents}


def test_a_solution_document_carries_its_tags_owner_and_url(small_world):
    ekshop = SolutionPage.objects.get(key="ekshop")
    (document,), removed = documents_of_type("solution", [ekshop.pk])

    assert removed == []
    assert (document.type, document.pk, document.title, document.language) == ("solution", ekshop.pk, "ekShop", "en")
    assert document.url == ekshop.get_url()
    assert document.goals == ("5", "8", "17")
    assert document.targets == ("5.b", "8.3")
    assert set(document.themes) == {"e-commerce", "digital-payments"}
    assert (document.countries, document.regions) == (("BGD",), ("asia",))
    assert (document.maturity, document.dpg) == ("replicated", "yes")
    assert document.summary == "Assisted rural e-commerce."
    # Titles of its targets (and whole goal 17) in the other site languages, never in its own.
    titles = " ".join(document.target_titles).lower()
    assert "femmes" in titles and "mujeres" in titles  # 5.b in French and Spanish
    assert "partenariat" in titles  # goal 17 in French
    assert "women" not in titles
    assert any("\u0600" <= ch <= "\u06ff" for ch in titles)  # Arabic


def test_rich_text_is_indexed_as_plain_text(small_world):
    mygov = SolutionPage.objects.get(key="mygov")
    (document,), _removed = documents_of_type("solution", [mygov.pk])
    assert "2,500+ services" in document.body and "<" not in document.body
    assert "Citizens went from office to office." in document.body


def test_a_need_is_found_at_its_members_page(small_world):
    need = Need.objects.get(key="cod-one-stop")
    (document,), _removed = documents_of_type("need", [need.pk])
    assert document.url == need.member.get_url() + "#need-cod-one-stop"
    assert (document.goals, document.targets, document.themes) == (("16",), ("16.6",), ("e-services",))
    assert document.countries == ("COD",) and document.regions == ("africa",)


def test_drafts_unpublished_and_private_pages_are_to_remove(small_world):
    mygov = SolutionPage.objects.get(key="mygov")
    ekshop = SolutionPage.objects.get(key="ekshop")
    cod = MemberPage.objects.get(key="cod")
    mygov.unpublish()
    PageViewRestriction.objects.create(page=cod, restriction_type=PageViewRestriction.LOGIN)
    need = Need.objects.get(key="cod-one-stop")

    documents, removed = documents_of_type("solution", [mygov.pk, ekshop.pk, 999_999])
    assert [d.pk for d in documents] == [ekshop.pk]
    assert removed == [("solution", mygov.pk), ("solution", 999_999)]
    assert documents_of_type("member", [cod.pk]) == ([], [("member", cod.pk)])
    # A need is public only when its member's page is.
    assert documents_of_type("need", [need.pk]) == ([], [("need", need.pk)])
    assert mygov.pk not in public_pks()["solution"] and cod.pk not in public_pks()["member"]


def test_a_focal_points_draft_never_reaches_the_index(small_world, focal_point):
    """A published page's later draft changes nothing in its document; a never-published page has none."""
    cod = MemberPage.objects.get(key="cod")
    cod.title = "Draft title nobody may see"
    cod.save_revision(user=focal_point)
    new = SolutionPage(title="Unpublished idea", key="unpublished-idea", live=False)
    cod.add_child(instance=new)
    new.save_revision(user=focal_point)

    documents, removed = documents_for("members.MemberPage", [cod.pk])
    titles = {d.title for d in documents}
    assert "Government of the Democratic Republic of the Congo" in titles
    assert "Draft title nobody may see" not in titles and "Unpublished idea" not in titles
    assert ("solution", new.pk) in removed
    assert all(d.title != "Unpublished idea" for d in all_documents())


def test_a_members_change_reindexes_its_needs_solutions_and_exchanges(small_world):
    a2i = MemberPage.objects.get(key="bgd-a2i")
    documents, removed = documents_for("members.MemberPage", [a2i.pk])
    assert sorted((d.type, d.title) for d in documents) == [
        ("member", "Aspire to Innovate (a2i)"),
        ("outcome", "Aspire to Innovate (a2i) → Government of the Democratic Republic of the Congo"),
        ("solution", "ekShop"),
        ("solution", "myGov"),
    ]
    assert removed == []
    assert documents_for("ssn4psi.HomePage", [1]) == ([], [])


def test_an_exchanges_outcome_is_found_at_its_learners_page(small_world):
    from matchmaking.models import Exchange

    exchange = Exchange.objects.get(key="cod-a2i")
    exchange.summary = "Knowledge shared on 13 June."
    exchange.save()
    (document,), removed = documents_of_type("outcome", [exchange.pk])
    assert removed == []
    assert document.url == MemberPage.objects.get(key="cod").get_url() + "#exchange-cod-a2i"
    assert (document.summary, document.language) == ("Knowledge shared on 13 June.", "en")
    assert "myGov" in document.body  # its solutions
    assert (document.countries, document.regions) == (("BGD", "COD"), ("africa", "asia"))
    assert document.goals == ("16",) and document.themes == ("e-services",)
    assert exchange.pk in public_pks()["outcome"]
    # A proposed exchange has no outcome to show: it leaves the index.
    exchange.status = "proposed"
    exchange.save()
    assert documents_of_type("outcome", [exchange.pk]) == ([], [("outcome", exchange.pk)])
    assert exchange.pk not in public_pks()["outcome"]


def _workshop(title="Regional webinar on e-services", organisers=()):
    from datetime import timedelta

    from django.utils import timezone

    from workshops.models import WorkshopIndexPage, WorkshopPage

    start = timezone.now() + timedelta(days=10)
    page = WorkshopPage(title=title, kind="webinar", format="virtual", start=start, end=start, summary="Online.")
    WorkshopIndexPage.objects.first().add_child(instance=page)
    page.organisers.set(organisers)
    page.save_revision().publish()
    return page


def test_translations_are_known_to_every_version_of_a_page(small_world):
    english = _workshop()
    french = english.copy_for_translation(Locale.objects.get_or_create(language_code="fr")[0], copy_parents=True)
    french.title = "Webinaire régional sur les services en ligne"
    french.save_revision().publish()

    documents, _removed = documents_for("workshops.WorkshopPage", [french.pk])
    by_language = {d.language: d for d in documents}
    assert set(by_language) == {"en", "fr"}  # the English version is refreshed too
    assert by_language["en"].translations == ("en", "fr") == by_language["fr"].translations
    assert by_language["en"].translation_key == by_language["fr"].translation_key == str(english.translation_key)
    assert by_language["fr"].url == french.get_url() and by_language["en"].url == english.get_url()


def test_a_workshop_carries_its_organisers_countries(small_world):
    workshop = _workshop(organisers=MemberPage.objects.filter(key__in=["cod", "bgd-a2i", "bgd"]))
    (document,), _removed = documents_of_type("workshop", [workshop.pk])
    assert (document.countries, document.regions) == (("BGD", "COD"), ("africa", "asia"))


def test_facet_values_agree_with_the_catalogue(many_solutions):
    """Counting the documents' keyword fields, as a terms aggregation does, gives the catalogue's counts."""
    many_solutions(23)
    documents = [d for d in all_documents() if d.type == "solution"]
    expected = facet_counts(SolutionPage.objects.for_catalogue(), {})

    counted = {
        "goal": Counter(int(g) for d in documents for g in d.goals),
        "theme": Counter(t for d in documents for t in d.themes),
        "country": Counter(c for d in documents for c in d.countries),
        "maturity": Counter(d.maturity for d in documents),
        "dpg": Counter(d.dpg for d in documents),
    }
    assert len(documents) == SolutionPage.objects.for_catalogue().count() == 25
    for facet in ("goal", "theme", "country", "maturity"):
        assert dict(counted[facet]) == {k: v for k, v in expected[facet].items() if v}, facet
    assert {"yes": counted["dpg"]["yes"], "no": counted["dpg"]["no"]} == expected["dpg"]


@pytest.mark.parametrize("type_", ["solution", "member", "need", "workshop"])
def test_building_documents_takes_a_fixed_number_of_queries(many_solutions, django_assert_max_num_queries, type_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        pks = public_pks()[type_]
        documents_of_type(type_, pks[:1])  # Wagtail caches the site's root paths once pages change
        with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as captured:
            documents, _removed = documents_of_type(type_, pks)
        return len(documents), len(captured.captured_queries)

    def add_workshops(n):
        for i in range(n):
            _workshop(f"Workshop {i}", organisers=MemberPage.objects.all()[:3])

    many_solutions(3)
    add_workshops(2)
    small_n, small_queries = measure()
    many_solutions(30, start=3)
    add_workshops(8)
    large_n, large_queries = measure()
    assert large_n >= small_n > 0
    assert large_n > small_n or type_ in ("member", "need")
    assert large_queries == small_queries
