"""A workshop's materials and outcomes: on the workshop page, the member pages and the exchange's admin view,
in a number of queries that does not grow with the data; the editor's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from matchmaking.models import Exchange
from members.models import MemberPage
from tests.conftest import prime_sites
from workshops.records import WorkshopMaterial, WorkshopOutcome

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

PAST = datetime.datetime(2018, 6, 26, 3, 0, tzinfo=datetime.UTC)


def member(key):
    return MemberPage.objects.get(key=key)


@pytest.fixture
def add_records(make_workshop, settings, tmp_path):
    """Return a function that adds `workshops` past workshops organised by a2i for the DR Congo exchange, each
    with `materials` materials (one of them a PDF document) and `outcomes` outcomes naming UNDP and DR Congo."""
    settings.MEDIA_ROOT = tmp_path  # uploaded documents go to the test's own folder
    document_model = get_document_model()
    exchange = Exchange.objects.get(key="cod-a2i")
    organisers = [member("bgd-a2i")]
    involved = [member("undp"), member("cod")]

    def add(workshops=1, materials=1, outcomes=1, start=0):
        pages = []
        for n in range(start, start + workshops):
            page = make_workshop(
                title=f"Workshop {n}", start=PAST + datetime.timedelta(days=n), end=PAST + datetime.timedelta(days=n)
            )
            page.organisers.set(organisers)
            page.exchanges.set([exchange])
            document = document_model(title=f"Report {n}", file_size=2048)
            document.file.save(f"report-{n}.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2039), save=False)
            document.save()
            rows = [WorkshopMaterial(kind="report", title=f"Report {n}", document=document, language="fr")]
            rows += [
                WorkshopMaterial(kind="video", title=f"Video {n}.{i}", url=f"https://example.org/v{n}-{i}.mp4")
                for i in range(materials - 1)
            ]
            page.materials = rows
            page.outcomes = [
                WorkshopOutcome(kind="agreement_signed", text=f"Agreement {n}.{i}", exchange=exchange, members=involved)
                for i in range(outcomes)
            ]
            page.save_revision().publish()
            pages.append(page)
        return pages

    return add


def _queries(client, url):
    prime_sites()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_workshop_page_shows_materials_and_outcomes(client, add_records, django_assert_max_num_queries):
    (page,) = add_records(materials=2)

    with django_assert_max_num_queries(20):
        content = client.get(page.url).content.decode()

    assert '<h2 id="materials-heading">Materials</h2>' in content
    assert 'hreflang="fr"' in content and "(PDF, 2.0\xa0KB)" in content and "French" in content
    assert 'href="https://example.org/v0-0.mp4" rel="noopener"' in content and "(MP4)" in content
    assert '<h2 id="outcomes-heading">Outcomes</h2>' in content and "Agreement 0.0" in content
    assert "Aspire to Innovate (a2i) → Government of the Democratic Republic of the Congo" in content
    assert f'href="{member("undp").url}"' in content


def test_the_workshop_page_queries_do_not_grow_with_materials_and_outcomes(client, add_records):
    (small,) = add_records(materials=1, outcomes=1)
    (large,) = add_records(materials=12, outcomes=8, start=1)

    small_count, _ = _queries(client, small.url)
    large_count, content = _queries(client, large.url)

    assert large_count == small_count <= 20
    assert content.count("Agreement 1.") == 8


def test_a_member_page_shows_the_workshops_it_is_involved_in(client, add_records):
    add_records(workshops=1)
    small_count, content = _queries(client, member("undp").url)  # named in the outcomes
    assert "Workshops: materials and outcomes" in content and "Agreement 0.0" in content and "Report 0" in content

    add_records(workshops=6, materials=3, outcomes=3, start=1)
    large_count, content = _queries(client, member("undp").url)

    assert large_count == small_count
    assert all(f"Workshop {n}" in content for n in range(7))
    # The organiser, and the learner of the exchange they serve, see them too; a member not involved does not.
    assert "Agreement 6.2" in _queries(client, member("bgd-a2i").url)[1]
    assert "Workshop 3" in _queries(client, member("cod").url)[1]
    assert "Workshops: materials and outcomes" not in _queries(client, member("tur").url)[1]


def test_a_draft_workshop_is_not_shown_on_member_pages(client, add_records):
    (page,) = add_records()
    page.unpublish()

    assert "Workshop 0" not in _queries(client, member("undp").url)[1]


def test_the_exchange_admin_view_shows_its_workshops(client, secretary, add_records):
    exchange = Exchange.objects.get(key="cod-a2i")
    url = reverse("exchanges:inspect", args=[exchange.pk])
    client.force_login(secretary)
    empty_count, content = _queries(client, url)
    assert "No workshop serves this exchange yet." in content

    add_records(workshops=1)
    small_count, content = _queries(client, url)
    assert "Workshop 0" in content and "Agreement 0.0" in content and "(PDF, 2.0\xa0KB)" in content

    add_records(workshops=5, materials=4, outcomes=3, start=1)
    large_count, content = _queries(client, url)
    assert large_count == small_count <= 30
    assert "Agreement 5.2" in content


@pytest.mark.parametrize("who", ["anonymous", "focal point"])
def test_the_exchange_admin_view_is_refused_to_others(client, focal_point, add_records, who):
    add_records()
    if who == "focal point":
        client.force_login(focal_point)

    response = client.get(reverse("exchanges:inspect", args=[Exchange.objects.get(key="cod-a2i").pk]))

    assert response.status_code in (302, 403)
    assert "Agreement 0.0" not in response.content.decode()


def test_a_material_takes_a_document_or_a_link_not_both(add_records):
    (page,) = add_records()
    material = page.materials.first()
    material.url = "https://example.org/other.pdf"

    with pytest.raises(ValidationError) as raised:
        material.full_clean()

    assert "url" in raised.value.message_dict


def test_an_undated_workshop_says_so_and_takes_no_registration(client, make_workshop):
    page = make_workshop(start=None, end=None)

    content = client.get(page.url).content.decode()

    assert "Date not recorded" in content and "Registration is closed." in content
    assert client.get(reverse("workshop_calendar", args=[page.pk])).status_code == 404
    index = client.get("/workshops/").content.decode()
    assert '<h2 id="undated-heading">Date not recorded</h2>' in index and page.title in index


def test_a_workshop_needs_both_ends_of_its_dates_or_neither(make_workshop):
    page = make_workshop()
    page.end = None

    with pytest.raises(ValidationError) as raised:
        page.full_clean()

    assert "end" in raised.value.message_dict


def test_a_member_page_lists_its_workshops_latest_first_undated_last(add_records, make_workshop):
    from workshops.models import WorkshopPage

    def workshops_involving(member, limit=20):
        return list(WorkshopPage.objects.for_member_page(member)[:limit])

    add_records(workshops=3)
    undated = make_workshop(title="Undated", start=None, end=None)
    undated.organisers.set([member("bgd-a2i")])
    undated.outcomes = [WorkshopOutcome(kind="agreement_signed", text="Agreement, undated")]
    undated.save_revision().publish()
    a2i = member("bgd-a2i")

    assert [w.title for w in workshops_involving(a2i)] == ["Workshop 2", "Workshop 1", "Workshop 0", "Undated"]
    assert [w.title for w in workshops_involving(a2i, limit=2)] == ["Workshop 2", "Workshop 1"]
    assert [w.title for w in workshops_involving(member("undp"))] == ["Workshop 2", "Workshop 1", "Workshop 0"]
    assert workshops_involving(member("tur")) == []
