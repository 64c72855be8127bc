"""ssn4psi.sql.read(): the instances QuerySet.raw() gives, for the hand-written queries of the hot paths."""

import pytest
from django.db import connection

from ssn4psi.sql import read

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_read_gives_what_raw_gives(small_world):
    from matchmaking.models import Exchange
    from members.models import MemberPage, Need
    from solutions.models import Adoption, SolutionPage

    q = connection.ops.quote_name
    for model in (MemberPage, SolutionPage, Need, Exchange, Adoption):
        table = q(model._meta.db_table)
        if model._meta.get_parent_list():  # a page: its own table joined to Wagtail's
            sql = (
                f"SELECT p.*, m.*, p.{q('title')} AS {q('also_title')} FROM {table} m"
                f" INNER JOIN {q('wagtailcore_page')} p ON (m.{q('page_ptr_id')} = p.{q('id')}) ORDER BY p.{q('id')}"
            )
        else:
            sql = f"SELECT t.*, 7 AS {q('seven')} FROM {table} t ORDER BY t.{q('id')}"
        expected = list(model.objects.raw(sql))
        found = read(model, sql)
        assert expected, model
        assert [type(instance) for instance in found] == [type(instance) for instance in expected]
        assert [_fields(instance) for instance in found] == [_fields(instance) for instance in expected], model
        extra = "also_title" if model._meta.get_parent_list() else "seven"
        assert [getattr(i, extra) for i in found] == [getattr(i, extra) for i in expected]
        assert all(not instance._state.adding and instance._state.db == "default" for instance in found)


def test_read_converts_dates_booleans_and_json(small_world):
    from matchmaking.models import PartnerRecommendation
    from matchmaking.recommendations import refresh_recommendations

    refresh_recommendations()
    sql = f"SELECT * FROM {connection.ops.quote_name(PartnerRecommendation._meta.db_table)}"
    (first, *_rest) = read(PartnerRecommendation, sql)
    assert isinstance(first.reasons, list) and first.computed_at.tzinfo is not None


def test_read_wants_the_primary_key(small_world):
    from solutions.models import Adoption

    with pytest.raises(ValueError, match="primary key"):
        read(Adoption, f"SELECT year FROM {connection.ops.quote_name(Adoption._meta.db_table)}")


def test_descendant_range_holds_the_descendants_and_nothing_else(small_world):
    from types import SimpleNamespace

    from wagtail.models import Page

    from ssn4psi.sql import descendant_range

    pages = list(Page.objects.all())
    for page in pages:
        lower, upper = descendant_range(page)
        inside = {other.pk for other in pages if lower < other.path < upper}
        assert inside == set(page.get_descendants().values_list("pk", flat=True)), page.path
        assert set(Page.objects.filter(path__gt=lower, path__lt=upper).values_list("pk", flat=True)) == inside

    def node(path):
        return SimpleNamespace(path=path, alphabet=Page.alphabet, _meta=Page._meta)

    assert descendant_range(node("0001000Z")) == ("0001000Z", "0001001")
    assert descendant_range(node("00019")) == ("00019", "0001A")
    lower, upper = descendant_range(node("ZZZZ"))
    assert lower == "ZZZZ" and upper > "ZZZZ" + "Z" * 251


def test_an_import_has_the_database_measure_its_tables(site, small_world_document, django_capture_on_commit_callbacks):
    from django.test.utils import CaptureQueriesContext

    from network.catalogue.importer import import_catalogue

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        import_catalogue(small_world_document)
    assert queries.captured_queries[-1]["sql"] == "ANALYZE"

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        import_catalogue(small_world_document, dry_run=True)
    assert all(query["sql"] != "ANALYZE" for query in queries.captured_queries)
