"""A need (in Wagtail's search index and a modelcluster cluster) can be copied with its tags, as Wagtail copies the
children of a page it copies or translates; the search index entries are not part of the copy."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_need_is_copied_with_its_tags_and_without_its_index_entries(small_world):
    from matchmaking.models import Exchange
    from members.models import Need

    need = Need.objects.get(key="cod-one-stop")
    copy, _ = need.copy_cluster()  # modelcluster's own copy failed: "Direct assignment to the reverse side..."
    assert copy.pk is None and copy.title == need.title and copy.member_id == need.member_id
    assert [t.code for t in copy.sdg_targets.all()] == [t.code for t in need.sdg_targets.all()] == ["16.6"]
    assert [t.key for t in copy.themes.all()] == ["e-services"]

    exchange = Exchange.objects.first()
    assert exchange.copy_cluster()[0].provider_id == exchange.provider_id
