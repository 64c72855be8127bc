"""The contract every search backend answers (search.backends.base): run against the database backend always,
and against Elasticsearch when ELASTICSEARCH_URL is set. Content reaches the index the way it does in
production: written, committed, indexed by the task queued on commit."""

import pytest

from search.backends.base import FACETS, SearchQuery, SearchResults
from solutions.catalogue import facet_counts
from solutions.models import SolutionPage
from tests.search.conftest import refresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_world")]

HOSTILE = [
    'a"b',
    '"',
    "NEAR(",
    "NEAR(a b)",
    "*",
    "a*",
    "AND OR NOT",
    "'; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>",
    "title:x OR 1=1",
    "(((",
    "^ ~ - + : { } [ ]",
    "x" * 10_000,
    "\x00\x1f control",
    "%_%",
    "\\",
]


A2I, CONGO = "Aspire to Innovate (a2i)", "Government of the Democratic Republic of the Congo"


def search(backend, text="", language="en", **filters):
    refresh(backend)
    return backend.search(SearchQuery.build(text=text, filters=filters, language=language))


def keys(results):
    found = {}
    for hit in results.hits:
        found.setdefault(hit.type, []).append(hit.title)
    return found


def test_words_find_a_solution_with_a_marked_snippet(backend):
    results = search(backend, "rural e-commerce")

    assert isinstance(results, SearchResults)
    assert [hit.title for hit in results.hits if hit.type == "solution"] == ["ekShop"]
    hit = next(hit for hit in results.hits if hit.title == "ekShop")
    assert hit.url == SolutionPage.objects.get(key="ekshop").get_url()
    assert "<mark>rural</mark>" in hit.snippet.lower() or "<mark>Rural</mark>" in hit.snippet


def test_every_kind_is_found(backend):
    assert "myGov" in keys(search(backend, "government services")).get("solution", [])
    assert "Government of Türkiye" in keys(search(backend, "Türkiye")).get("member", [])
    assert keys(search(backend, "one-stop access")).get("need") == ["One-stop access to public services"]
    assert keys(search(backend, "learning visit")).get("workshop") == ["Learning visit on one-stop portals"]


def test_every_facet_is_present_and_counts_agree_with_the_catalogue(backend):
    results = search(backend, type=("solution",))
    catalogue = facet_counts(SolutionPage.objects.for_catalogue(), {})

    assert set(results.facets) == set(FACETS)
    for facet in ("goal", "theme", "country", "maturity", "dpg"):
        ours = {value.value: value.count for value in results.facets[facet]}
        theirs = {str(k): v for k, v in catalogue[facet].items() if v}
        assert ours == theirs, facet
    assert results.total == SolutionPage.objects.for_catalogue().count() == 2


@pytest.mark.parametrize(
    "filters",
    [
        {"goal": ("2", "3"), "dpg": ("yes",)},
        {"theme": ("health", "justice"), "maturity": ("scaled", "pilot"), "country": ("BGD",)},
        {"goal": ("16", "4"), "theme": ("e-services",), "maturity": ("national",), "dpg": ("no",)},
    ],
)
def test_several_facets_count_as_the_catalogue_does(backend, many_solutions, committed, filters):
    from solutions.catalogue import apply_filters

    with committed():
        many_solutions(60)
    results = search(backend, type=("solution",), **filters)
    as_catalogue = {facet: values[0] if facet == "dpg" else list(values) for facet, values in filters.items()}
    catalogue = facet_counts(SolutionPage.objects.for_catalogue(), as_catalogue)
    for facet in ("goal", "theme", "country", "maturity", "dpg"):
        ours = {value.value: value.count for value in results.facets[facet] if value.count}
        theirs = {str(k): v for k, v in catalogue[facet].items() if v}
        assert ours == theirs, facet
    assert results.total == apply_filters(SolutionPage.objects.for_catalogue(), as_catalogue).count() > 0


def test_facets_combine_with_words_and_each_other(backend):
    results = search(backend, "services", goal=("16",))
    assert {hit.title for hit in results.hits} == {"myGov", "One-stop access to public services"}
    type_counts = {value.value: value.count for value in results.facets["type"]}
    assert type_counts == {"solution": 1, "need": 1}

    narrowed = search(backend, "services", goal=("16",), type=("need",))
    assert [hit.type for hit in narrowed.hits] == ["need"]
    # The type facet is counted without its own filter: the solution is still offered.
    assert {value.value: value.count for value in narrowed.facets["type"]} == {"solution": 1, "need": 1}
    # A facet the kind lacks leaves it out: members have no maturity.
    assert search(backend, maturity=("national",)).total == 1


def test_region_and_country_facets(backend):
    results = search(backend, region=("africa",))
    assert {hit.title for hit in results.hits} == {
        "Government of the Democratic Republic of the Congo",
        "One-stop access to public services",
        # The exchange a2i -> DR Congo: an outcome counts under both its partners' regions.
        f"{A2I} → {CONGO}",
    }
    country = search(backend, country=("BGD",), type=("solution",))
    assert {hit.title for hit in country.hits} == {"myGov", "ekShop"}


def test_exchange_outcomes_are_found_and_link_to_the_learners_page(backend, committed):
    from matchmaking.models import Exchange
    from members.models import MemberPage
    from workshops.models import WorkshopPage
    from workshops.records import WorkshopOutcome

    with committed():
        exchange = Exchange.objects.get(key="cod-a2i")
        exchange.summary = "A knowledge-sharing session on the citizen portal, held online."
        exchange.save()
    results = search(backend, "knowledge-sharing session")
    assert [(hit.type, hit.title) for hit in results.hits] == [("outcome", f"{A2I} → {CONGO}")]
    hit = results.hits[0]
    assert hit.url == MemberPage.objects.get(key="cod").get_url() + "#exchange-cod-a2i"
    assert "<mark>session</mark>" in hit.snippet.lower()
    # Its solutions' words find it, both partners' countries and its solutions' goals and themes narrow it.
    assert "outcome" in keys(search(backend, "myGov"))
    for facet, value in [("country", "BGD"), ("country", "COD"), ("goal", "16"), ("theme", "e-services")]:
        assert search(backend, "session", **{facet: (value,)}).total == 1, (facet, value)
    assert search(backend, "session", goal=("2",)).total == 0
    # A workshop outcome recorded for the exchange is searched with it.
    with committed():
        WorkshopOutcome.objects.create(
            workshop=WorkshopPage.objects.get(slug="one-stop-visit"),
            kind="pilot_launched",
            text="Kinshasa pilots the citizen portal in three communes.",
            exchange=exchange,
        )
    assert keys(search(backend, "Kinshasa communes")) == {"outcome": [f"{A2I} → {CONGO}"]}
    # An exchange only proposed has no outcome yet, and one with an unpublished partner is not public.
    with committed():
        exchange.status = "proposed"
        exchange.save()
    assert search(backend, "knowledge-sharing session").total == 0
    with committed():
        exchange.status = "completed"
        exchange.save()
        MemberPage.objects.get(key="cod").unpublish()
    assert search(backend, "knowledge-sharing session").total == 0
    assert search(backend, type=("outcome",)).total == 0


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_gives_results_not_errors(backend, text):
    results = search(backend, text)
    assert isinstance(results, SearchResults)
    assert set(results.facets) == set(FACETS)
    for hit in results.hits:
        assert "<script" not in hit.snippet


def test_unknown_facet_values_are_ignored(backend):
    results = search(backend, "services", goal=("abc", "99"), country=("<b>",), dpg=("maybe",))
    assert results.total == search(backend, "services").total


def test_a_draft_never_appears(backend, focal_point, committed):
    from members.models import MemberPage

    with committed():
        congo = MemberPage.objects.get(key="cod")
        draft = SolutionPage(title="Secret draft registry", slug="secret-draft", key="secret-draft", summary="zebra")
        congo.add_child(instance=draft)
        draft.unpublish() if draft.live else None
        draft.save_revision(user=focal_point)
    assert not SolutionPage.objects.get(key="secret-draft").live
    assert search(backend, "zebra").total == 0
    assert search(backend, "secret draft registry").total == 0
    assert all(s.title != "Secret draft registry" for s in backend.suggest("secret"))


def test_unpublishing_and_deleting_remove_a_page(backend, committed):
    assert search(backend, "assisted rural").total == 1
    with committed():
        SolutionPage.objects.get(key="ekshop").unpublish()
    assert search(backend, "assisted rural").total == 0
    with committed():
        SolutionPage.objects.get(key="ekshop").delete()
    assert search(backend, "assisted rural").total == 0
    assert all(hit.title != "ekShop" for hit in search(backend, type=("solution",)).hits)


def test_a_french_query_finds_english_content_through_sdg_targets(backend):
    # "institutions transparentes" is in the French title of target 16.6, which myGov and Congo's need carry.
    results = search(backend, "institutions transparentes", language="fr")
    assert {hit.title for hit in results.hits} == {"myGov", "One-stop access to public services"}
    assert search(backend, "institutions transparentes", language="en").total == 0


def test_an_arabic_query_finds_content_through_sdg_targets(backend):
    # فعالة ("effective") is in the Arabic title of target 16.6.
    results = search(backend, "فعالة", language="ar")
    assert "myGov" in {hit.title for hit in results.hits}


def test_the_readers_language_version_is_linked(backend, committed):
    from wagtail.models import Locale

    mygov = SolutionPage.objects.get(key="mygov")
    with committed():
        # A translation shares the English page's translation_key, in the French locale. (Member pages'
        # unique keys keep copy_for_translation from copying the parents: placed beside the English one.)
        french = SolutionPage(
            title="myGov (français)",
            slug="mygov-fr",
            key="mygov-fr",
            summary="Tous les services publics en un seul endroit.",
            locale=Locale.objects.get(language_code="fr"),
            translation_key=mygov.translation_key,
        )
        mygov.get_parent().add_child(instance=french)
        french.sdg_targets.set(mygov.sdg_targets.all())
        french.save_revision().publish()

    in_french = search(backend, "services publics", language="fr")
    assert [(hit.title, hit.language) for hit in in_french.hits if hit.type == "solution"] == [
        ("myGov (français)", "fr")
    ]
    # An English reader searching French words gets the English version, once.
    in_english = search(backend, "services publics", language="en")
    assert [(hit.title, hit.language) for hit in in_english.hits if hit.type == "solution"] == [("myGov", "en")]
    assert search(backend, language="en", type=("solution",)).total == 2


def test_pages_of_results(backend, many_solutions, committed):
    with committed():
        many_solutions(45)
    first = search(backend, "generated")
    assert first.total == 45 and first.pages == 3 and len(first.hits) == 20
    third = backend.search(SearchQuery.build(text="generated", page=3))
    assert len(third.hits) == 5
    assert not {h.pk for h in first.hits} & {h.pk for h in third.hits}
    assert backend.search(SearchQuery.build(text="generated", page=99)).hits == []


def test_did_you_mean_offers_a_near_spelling(backend):
    results = search(backend, "ekshpo")
    assert results.total == 0
    assert results.did_you_mean == "ekshop"
    assert search(backend, "myGov").did_you_mean is None


def test_suggestions_complete_a_prefix(backend):
    titles = [s.title for s in backend.suggest("eks")]
    assert titles == ["ekShop"]
    assert "Learning visit on one-stop portals" in [s.title for s in backend.suggest("one-st")]
    assert backend.suggest("") == [] and backend.suggest('"*') == []


def test_similar_solutions_share_tags_and_never_include_itself(backend, many_solutions, committed):
    with committed():
        many_solutions(10)
    mygov = SolutionPage.objects.get(key="mygov")
    similar = backend.similar_solutions(mygov.pk, limit=3)
    assert similar and all(hit.pk != mygov.pk for hit in similar)
    # generated-15 would share 16.1... the best share myGov's theme (e-services) and goal 16.
    best = SolutionPage.objects.get(pk=similar[0].pk)
    assert "e-services" in {t.key for t in best.themes.all()} or 16 in best.goal_numbers
    assert backend.similar_solutions(123456789) == []
