"""The search index follows committed content in batches (the search page itself comes later)."""

import pytest
from wagtail.search.backends import get_search_backend

from network.catalogue.importer import import_catalogue
from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def _found(words):
    return [page.key for page in get_search_backend().search(words, SolutionPage)]


def test_an_import_is_indexed_once_committed(site, small_world_document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_catalogue(small_world_document)

    assert callbacks
    assert _found("rural e-commerce") == ["ekshop"]


def test_one_task_indexes_a_whole_import(site, small_world_document, django_capture_on_commit_callbacks, monkeypatch):
    from search import tasks

    sent = []
    monkeypatch.setattr(tasks.update_index, "delay", lambda label, pks: sent.append((label, len(pks))))
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(small_world_document)

    labels = [label for label, _n in sent]
    assert sorted(labels) == sorted(set(labels))  # one task per model, not per object
    assert ("solutions.SolutionPage", 2) in sent and ("members.MemberPage", 6) in sent


def test_a_rolled_back_import_indexes_nothing(site, small_world_document, django_capture_on_commit_callbacks):
    from network.catalogue.importer import CatalogueError

    small_world_document["exchanges"][0]["learner"] = "nobody"
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(CatalogueError):
        import_catalogue(small_world_document)
    assert callbacks == []


def test_deleting_a_page_removes_it_from_the_index(small_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SolutionPage.objects.get(key="mygov").save_revision().publish()
    assert _found("government services") == ["mygov"]

    with django_capture_on_commit_callbacks(execute=True):
        SolutionPage.objects.get(key="mygov").delete()

    assert _found("government services") == []
