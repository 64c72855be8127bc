"""Fixtures shared by every test: a site with its fixed pages, and a small world built through the
catalogue format (the same path the demo content and real imports take)."""

import contextlib
import copy

import pytest

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


@pytest.fixture
def site(db):
    from network.site import ensure_site

    return ensure_site()


@pytest.fixture
def small_world_document():
    return copy.deepcopy(SMALL_WORLD)


@pytest.fixture
def small_world(site, small_world_document):
    """Bangladesh > a2i with myGov and ekShop, DR Congo with a need, BARMM, Türkiye, UNDP, one exchange."""
    import_catalogue(small_world_document)
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
    """Have Wagtail keep the site root paths in the cache, as it does after the first request: query counts are
    pinned for the steady state, not for the first request after a site changed."""
    from wagtail.models import Site

    Site.get_site_root_paths()


@pytest.fixture(autouse=True)
def forget_kept_pages():
    """Every test starts with no page kept (ssn4psi.page_cache): the cache outlives the test's rolled-back
    database, and a page kept by an earlier test would show that test's content."""
    from ssn4psi.page_cache import move_generation

    move_generation()


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
