"""Fixtures shared by every test: a site with its fixed pages, and a small world.

The small world is SMALL_WORLD: built from the factories (tests/factories.py) once per test module in the modules
that share it (`pytestmark = pytest.mark.usefixtures("module_world")`), and imported through the catalogue format
(the path the demo content and real imports take) for each test everywhere else."""

import contextlib
import copy
import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue

SMALL_WORLD = {
    "format": FORMAT,
    "members": [
        {
            "key": "bgd",
            "name": "Government of Bangladesh",
            "kind": "national_government",
            "country": "BGD",
            "languages": ["bn", "en"],
            "summary": "National government.",
        },
        {
            "key": "bgd-a2i",
            "name": "Aspire to Innovate (a2i)",
            "kind": "government_agency",
            "country": "BGD",
            "parent": "bgd",
            "languages": ["bn", "en"],
            "summary": "Bangladesh's innovation programme.",
            "description": "a2i works on **digital** public services.",
        },
        {
            "key": "cod",
            "name": "Government of the Democratic Republic of the Congo",
            "kind": "national_government",
            "country": "COD",
            "languages": ["fr"],
            "summary": "National government.",
            "needs": [
                {
                    "key": "cod-one-stop",
                    "title": "One-stop access to public services",
                    "description": "Citizens should find every service in one place.",
                    "sdg_targets": ["16.6"],
                    "themes": ["e-services"],
                    "priority": "high",
                    "modalities": ["virtual_session"],
                }
            ],
        },
        {
            "key": "phl-barmm",
            "name": "Bangsamoro Autonomous Region in Muslim Mindanao",
            "kind": "subnational_government",
            "country": "PHL",
            "subdivision": "PH-14",
            "languages": ["en", "tl"],
            "summary": "Autonomous region.",
        },
        {
            "key": "tur",
            "name": "Government of Türkiye",
            "kind": "national_government",
            "country": "TUR",
            "summary": "National government.",
        },
        {
            "key": "undp",
            "name": "UNDP",
            "kind": "international_organisation",
            "country": "USA",
            "summary": "UN agency.",
        },
    ],
    "solutions": [
        {
            "key": "mygov",
            "name": "myGov",
            "owner": "bgd-a2i",
            "summary": "All government services in one place.",
            "problem": "Citizens went from office to office.",
            "description": "One portal and app for **2,500+** services.",
            "sdg_targets": ["16.6"],
            "themes": ["e-services"],
            "maturity": "national",
            "launched": 2019,
            "languages": ["bn", "en"],
            "key_figures": [{"value": "2,500+", "label": "government-to-citizen services"}],
            "adoptions": [{"member": "phl-barmm", "status": "exploring"}],
        },
        {
            "key": "ekshop",
            "name": "ekShop",
            "owner": "bgd-a2i",
            "summary": "Assisted rural e-commerce.",
            "sdg_targets": ["5.b", "8.3", "17"],
            "themes": ["e-commerce", "digital-payments"],
            "maturity": "replicated",
            "launched": 2019,
            "dpg": True,
            "licence": "Apache-2.0",
            "repository": "https://github.com/a2i-dpg/ekShop",
            "adoptions": [{"member": "tur", "year": 2021, "status": "adopted"}],
        },
    ],
    "exchanges": [
        {
            "key": "cod-a2i",
            "provider": "bgd-a2i",
            "learner": "cod",
            "facilitator": "undp",
            "solutions": ["mygov"],
            "status": "knowledge_shared",
        }
    ],
}


def build_small_world():
    """SMALL_WORLD from the factories: the pages, revisions, tags and rows its import writes
    (tests/test_factories.py compares the two)."""
    from network.site import ensure_site
    from ssn4psi.richtext import markdown_to_html
    from tests.factories import (
        AdoptionFactory,
        ExchangeFactory,
        KeyFigureFactory,
        MemberPageFactory,
        NeedFactory,
        SolutionPageFactory,
    )

    ensure_site()
    bgd = MemberPageFactory(
        key="bgd", title="Government of Bangladesh", languages=["bn", "en"], summary="National government."
    )
    a2i = MemberPageFactory(
        parent=bgd,
        key="bgd-a2i",
        title="Aspire to Innovate (a2i)",
        kind="government_agency",
        languages=["bn", "en"],
        summary="Bangladesh's innovation programme.",
        description=markdown_to_html("a2i works on **digital** public services."),
    )
    cod = MemberPageFactory(
        key="cod",
        title="Government of the Democratic Republic of the Congo",
        country="COD",
        languages=["fr"],
        summary="National government.",
        needs=[
            NeedFactory(
                key="cod-one-stop",
                title="One-stop access to public services",
                description="Citizens should find every service in one place.",
                sdg=["16.6"],
                theme_keys=["e-services"],
                priority="high",
                modalities=["virtual_session"],
            )
        ],
    )
    barmm = MemberPageFactory(
        key="phl-barmm",
        title="Bangsamoro Autonomous Region in Muslim Mindanao",
        kind="subnational_government",
        country="PHL",
        subdivision="PH-14",
        languages=["en", "tl"],
        summary="Autonomous region.",
    )
    tur = MemberPageFactory(key="tur", title="Government of Türkiye", country="TUR", summary="National government.")
    undp = MemberPageFactory(
        key="undp", title="UNDP", kind="international_organisation", country="USA", summary="UN agency."
    )
    mygov = SolutionPageFactory(
        owner=a2i,
        key="mygov",
        title="myGov",
        summary="All government services in one place.",
        problem=markdown_to_html("Citizens went from office to office."),
        description=markdown_to_html("One portal and app for **2,500+** services."),
        sdg=["16.6"],
        theme_keys=["e-services"],
        maturity="national",
        launched=2019,
        languages=["bn", "en"],
        key_figures=[KeyFigureFactory(value="2,500+", label="government-to-citizen services")],
        adoptions=[AdoptionFactory(member=barmm, status="exploring")],
    )
    SolutionPageFactory(
        owner=a2i,
        key="ekshop",
        title="ekShop",
        summary="Assisted rural e-commerce.",
        sdg=["5.b", "8.3", "17"],
        theme_keys=["e-commerce", "digital-payments"],
        maturity="replicated",
        launched=2019,
        dpg=True,
        licence="Apache-2.0",
        repository="https://github.com/a2i-dpg/ekShop",
        adoptions=[AdoptionFactory(member=tur, year=2021, status="adopted")],
    )
    ExchangeFactory(
        key="cod-a2i", provider=a2i, learner=cod, facilitator=undp, solutions=[mygov], status="knowledge_shared"
    )


def uses_db(item):
    """Whether test `item` uses the database, as pytest-django sees it (which runs those first)."""
    return item.get_closest_marker("django_db") is not None or "db" in item.fixturenames


def is_transactional(item):
    """Whether test `item` runs on a transactional database (TransactionTestCase's: emptied when it ends)."""
    marker = item.get_closest_marker("django_db")
    transaction_asked = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transaction_asked or {"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """SMALL_WORLD built once for the test module (build_small_world) in a transaction rolled back when the
    module ends; each test's own transaction is a savepoint in it, so the tests share the world and not their
    writes. The on-commit work the build queued (search indexing, similar solutions, recommendations) never
    runs, as in a test that imports the world: tests that need it run it themselves."""
    from search import indexing

    sharing = [item for item in request.session.items if item.module is request.module]
    if transactional := [item.name for item in sharing if is_transactional(item)]:
        pytest.fail(f"Transactional tests cannot share the module's world (it is never committed): {transactional}")
    # pytest-django runs the tests that use no database last, after the transactional ones have emptied it.
    if without_db := [item.name for item in sharing if not uses_db(item)]:
        pytest.fail(f"Mark the module django_db: tests sharing its world must use the database: {without_db}")
    with django_db_blocker.unblock():
        world = transaction.atomic()
        world.__enter__()
        try:
            build_small_world()
        except BaseException as error:
            world.__exit__(type(error), error, error.__traceback__)
            raise
        # What the build queued for the search index would go with the first test that commits, not the others.
        indexing._pending.batch = None
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        world.__exit__(None, None, None)


@pytest.fixture
def site(db):
    from network.site import ensure_site

    return ensure_site()


@pytest.fixture
def small_world_document():
    return copy.deepcopy(SMALL_WORLD)


@pytest.fixture
def small_world(request, site):
    """Bangladesh > a2i with myGov and ekShop, DR Congo with a need, BARMM, Türkiye, UNDP, one exchange: the
    module's (module_world) where the module shares one, imported for this test elsewhere."""
    if "module_world" not in request.fixturenames:
        import_catalogue(request.getfixturevalue("small_world_document"))
    return site


@pytest.fixture
def many_solutions(small_world):
    """Return a function that adds `n` generated solutions (owned by a2i, adopted by Türkiye)."""

    def add(n, start=0):
        themes = ["e-services", "health", "education", "justice", "agriculture"]
        document = {
            "format": FORMAT,
            "solutions": [
                {
                    "key": f"generated-{i}",
                    "name": f"Generated solution {i:04d}",
                    "owner": "bgd-a2i" if i % 2 else "cod",
                    "summary": f"Generated for tests ({i}).",
                    "sdg_targets": [f"{1 + i % 17}.1"],
                    "themes": [themes[i % len(themes)]],
                    "maturity": ["pilot", "scaled", "national"][i % 3],
                    "dpg": i % 4 == 0,
                    "adoptions": [{"member": "tur", "year": 2020, "status": "adopted"}],
                }
                for i in range(start, start + n)
            ],
        }
        import_catalogue(document)

    return add


@pytest.fixture
def make_workshop(small_world):
    """Return a function that adds a live workshop: DR Congo's knowledge-sharing session, virtual, in ten days,
    30 places; keyword arguments change its fields."""
    from network.site import ensure_site
    from workshops.models import WorkshopPage

    index = ensure_site().workshops

    def make(**fields):
        start = timezone.now() + datetime.timedelta(days=10)
        values = {
            "title": "DR Congo and a2i: knowledge-sharing session",
            "kind": "knowledge_sharing",
            "format": "virtual",
            "start": start,
            "end": start + datetime.timedelta(hours=2),
            "time_zone": "Africa/Kinshasa",
            "online_link": "https://meet.example.org/cod-a2i",
            "summary": "a2i presents myGov and the SDG Tracker.",
            "capacity": 30,
            **fields,
        }
        return index.add_child(instance=WorkshopPage(**values))

    return make


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files and image renditions in the test's own folder; Wagtail's renditions kept in the cache
    forgotten (an image of an earlier, rolled-back test may have had the same id)."""
    from django.core.cache import caches

    settings.MEDIA_ROOT = tmp_path
    caches["default"].clear()
    return tmp_path


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the test's process even when a broker is configured (CI sets one): a worker
    would work on the real database, not on the test's."""
    from ssn4psi.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def secretary(small_world):
    """A member of the Secretariat (manages everything)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ssn4psi.services import SECRETARIAT_GROUP

    person = get_user_model().objects.create_user("secretary", "secretary@ssn4psi.org", "a-long-test-password")
    person.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return person


@pytest.fixture
def focal_point(small_world):
    """DR Congo's focal point (edits DR Congo's pages, nothing else)."""
    from members.models import MemberPage
    from members.services import create_focal_point

    person, _created = create_focal_point(MemberPage.objects.get(key="cod"), email="focal@gouv.cd")
    return person


def prime_sites():
    """Have Wagtail keep the site root paths in the cache, as it does after the first request, and the addresses
    of the site's own pages the footer links (ssn4psi.site_pages) likewise: query counts are pinned for the steady
    state, not for the first request after a site or one of those pages changed."""
    from wagtail.models import Site

    from ssn4psi import site_pages

    Site.get_site_root_paths()
    site_pages.addresses()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language: a request the test client made in another language
    (a cookie, a /fr/ link) leaves that language active in the thread, as no server would for the next request."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def forget_kept_pages():
    """Every test starts with no page kept (ssn4psi.page_cache), no site root paths kept (Wagtail's) and no
    addresses of the site's own pages kept (ssn4psi.site_pages): the cache outlives the test's rolled-back
    database, and what an earlier test kept would show that test's content."""
    from django.core.cache import cache
    from wagtail.models import Site

    from ssn4psi import site_pages
    from ssn4psi.page_cache import move_generation

    move_generation()
    Site.clear_site_root_paths_cache()
    cache.delete(site_pages.CACHE_KEY)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    """pytest-django's, measured once the site is in memory (see prime_sites) and with no page kept, so that the
    queries pinned are those of building the page."""

    @contextlib.contextmanager
    def assert_max_num_queries(num, *args, **kwargs):
        from ssn4psi.page_cache import move_generation

        prime_sites()
        move_generation()
        with django_assert_max_num_queries(num, *args, **kwargs) as context:
            yield context

    return assert_max_num_queries


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    """pytest-django's, measured once the site is in memory (see prime_sites) and with no page kept, so that the
    queries pinned are those of building the page."""

    @contextlib.contextmanager
    def assert_num_queries(num, *args, **kwargs):
        from ssn4psi.page_cache import move_generation

        prime_sites()
        move_generation()
        with django_assert_num_queries(num, *args, **kwargs) as context:
            yield context

    return assert_num_queries
