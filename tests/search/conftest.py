"""A small world whose search index is current: content written inside captured on-commit callbacks, which
run the indexing task (Celery is eager in tests) as a real commit would."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from network.catalogue.importer import import_catalogue

BACKENDS = ["search.backends.database", "search.backends.elasticsearch"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks, eager_tasks):
    """Use as `with committed():` around writes whose indexing the test needs."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def search_world(site, small_world_document, committed):
    """The small world, indexed, plus a live workshop organised by a2i."""
    from members.models import MemberPage
    from workshops.models import WorkshopIndexPage, WorkshopPage

    with committed():
        import_catalogue(small_world_document)
    with committed():
        index = WorkshopIndexPage.objects.first()
        start = timezone.now() + timedelta(days=30)
        workshop = index.add_child(
            instance=WorkshopPage(
                title="Learning visit on one-stop portals",
                slug="one-stop-visit",
                kind="learning_visit",
                format="in_person",
                start=start,
                end=start + timedelta(days=2),
                summary="A visit to see how a portal brings every government service together.",
            )
        )
        workshop.organisers.set([MemberPage.objects.get(key="bgd-a2i")])
        workshop.save_revision().publish()
    return site


@pytest.fixture(params=BACKENDS, ids=["database", "elasticsearch"])
def backend(request):
    """Every backend: the database always; Elasticsearch when ELASTICSEARCH_URL is set."""
    from search.backends import get_backend

    if request.param.endswith("elasticsearch") and not os.environ.get("ELASTICSEARCH_URL"):
        pytest.skip("ELASTICSEARCH_URL is not set")
    return get_backend(request.param)


def refresh(backend):
    """Make what was indexed searchable now (Elasticsearch refreshes its index; the database has nothing to do)."""
    getattr(backend, "refresh", lambda: None)()
