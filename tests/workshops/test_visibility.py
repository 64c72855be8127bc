"""The public reads of the workshops app show only pages that are live and public, in their live version: the
workshop records on member pages, the workshop index, the .ics feeds, and on a workshop's page its organisers,
the members and exchanges its outcomes name and its participants' members. The exchange's admin view shows
staff every workshop, drafts marked. Their queries do not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import MemberPage
from tests.visibility import HIDDEN, build_world, draft_change, hide, section
from workshops.models import Registration, WorkshopPage
from workshops.records import WorkshopMaterial, WorkshopOutcome

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture
def world(make_workshop):
    """build_world(), with two upcoming workshops organised by BARMM: "Open workshop" (also organised by the Kenya
    ICT Authority; an outcome of the exchange a2i -> BARMM naming the Kenya ICT Authority and UNDP; a
    participant from the Kenya ICT Authority on the public list) and "Hidden workshop" (a report)."""
    pages, exchanges = build_world()
    workshops = {}
    for days, title in ((10, "Open workshop"), (20, "Hidden workshop")):
        start = timezone.now() + datetime.timedelta(days=days)
        page = make_workshop(title=title, start=start, end=start + datetime.timedelta(hours=3))
        page.organisers.set([pages["phl-barmm"]] + ([pages["ken-ict"]] if title == "Open workshop" else []))
        page.exchanges.set([exchanges["a2i-barmm"]])
        page.materials = [
            WorkshopMaterial(kind="report", title=f"Report of the {title.lower()}", url="https://x.org/r")
        ]
        if title == "Open workshop":
            page.outcomes = [
                WorkshopOutcome(
                    kind="agreement_signed",
                    text="Agreement on one-stop services",
                    exchange=exchanges["a2i-barmm"],
                    members=[pages["ken-ict"], pages["undp"]],
                )
            ]
        page.save_revision().publish()
        workshops[title] = WorkshopPage.objects.get(pk=page.pk)
    Registration.objects.create(
        workshop=workshops["Open workshop"],
        name="Amina Otieno",
        email="amina@ict.go.ke",
        member=pages["ken-ict"],
        organisation="ICT Authority desk",
        status="confirmed",
        public_listing=True,
        privacy_consent=True,
    )
    return pages, exchanges, workshops


def records_on_barmm_page(client):
    html = client.get(MemberPage.objects.get(key="phl-barmm").url).content.decode()
    return section(html, "workshop-records-heading")


def public_reads(client, workshop):
    """What anonymous visitors get that could name `workshop`: BARMM's workshop records, the workshop index,
    the feed of upcoming workshops and the workshop's own calendar file (with its status code)."""
    single = client.get(reverse("workshop_calendar", args=[workshop.pk]))
    return {
        "records": records_on_barmm_page(client),
        "index": client.get("/workshops/").content.decode(),
        "feed": client.get(reverse("workshops_calendar")).content.decode(),
        "ics": (single.status_code, single.content.decode()),
    }


def test_everything_shows_when_nothing_is_hidden(client, world):
    pages, _exchanges, workshops = world
    hidden = workshops["Hidden workshop"]

    shown = public_reads(client, hidden)
    open_page = client.get(workshops["Open workshop"].url).content.decode()

    for read in ("records", "index", "feed"):
        assert "Hidden workshop" in shown[read] and "Open workshop" in shown[read]
    assert shown["ics"][0] == 200 and "SUMMARY:Hidden workshop" in shown["ics"][1]
    assert f'<a href="{hidden.url}">Hidden workshop</a>' in shown["records"]
    assert f'<li><a href="{pages["ken-ict"].url}">Kenya ICT Authority</a></li>' in open_page  # an organiser
    assert "Exchange: Aspire to Innovate (a2i) → Bangsamoro Autonomous Region in Muslim Mindanao" in open_page
    assert f'<a href="{pages["ken-ict"].url}">Kenya ICT Authority</a>, <a href="{pages["undp"].url}">UNDP</a>' in (
        open_page
    )
    assert "Amina Otieno — Kenya ICT Authority" in open_page


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_workshop_is_not_listed_nor_in_the_calendars(client, world, how):
    _pages, _exchanges, workshops = world
    hidden = workshops["Hidden workshop"]
    hide(hidden, how)

    shown = public_reads(client, hidden)

    for read in ("records", "index", "feed"):
        assert "Hidden workshop" not in shown[read] and hidden.url not in shown[read], read
    assert shown["ics"][0] == 404 and "Hidden workshop" not in shown["ics"][1]
    if how != "restricted parent":  # which hides the whole workshop index
        assert "Open workshop" in shown["records"] and "Open workshop" in shown["feed"]
        assert f'<a href="{workshops["Open workshop"].url}"><strong>Open workshop</strong></a>' in shown["index"]


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_member_is_not_named_by_a_workshop(client, world, how):
    pages, _exchanges, workshops = world
    hide(pages["ken-ict"], how)

    open_page = client.get(workshops["Open workshop"].url).content.decode()
    records = records_on_barmm_page(client)

    for html in (open_page, records):
        assert "Kenya ICT Authority" not in html and f'href="{pages["ken-ict"].url}"' not in html
        assert "Agreement on one-stop services" in html
        assert f'Members involved: <a href="{pages["undp"].url}">UNDP</a>' in html
    assert f'<a href="{pages["phl-barmm"].url}">Bangsamoro' in open_page  # the other organiser
    assert "Amina Otieno — ICT Authority desk" in open_page  # the organisation as typed instead


@pytest.mark.parametrize("how", HIDDEN)
def test_an_exchange_with_a_hidden_partner_is_not_named_by_an_outcome(client, world, how):
    pages, _exchanges, workshops = world
    hide(pages["bgd-a2i"], how)

    open_page = client.get(workshops["Open workshop"].url).content.decode()
    records = records_on_barmm_page(client)

    for html in (open_page, records):
        assert "Aspire to Innovate" not in html and "Exchange:" not in html
        assert "Agreement on one-stop services" in html and "Members involved:" in html


def test_a_draft_change_does_not_show(client, world):
    pages, _exchanges, workshops = world
    hidden = draft_change(workshops["Hidden workshop"], "Draft workshop title")
    draft_change(pages["ken-ict"], "Draft member title")

    shown = public_reads(client, hidden)
    open_page = client.get(workshops["Open workshop"].url).content.decode()

    for read in ("records", "index", "feed"):
        assert "Hidden workshop" in shown[read] and "Draft workshop title" not in shown[read]
    assert "SUMMARY:Hidden workshop" in shown["ics"][1] and "Draft" not in shown["ics"][1]
    assert "Kenya ICT Authority" in open_page and "Draft member title" not in open_page


@pytest.mark.parametrize("how", HIDDEN)
def test_the_delegation_form_honours_the_workshops_restrictions(client, world, focal_point, how):
    _pages, _exchanges, workshops = world
    hidden = workshops["Hidden workshop"]
    hide(hidden, how)
    client.force_login(focal_point)

    response = client.get(reverse("workshop_delegation", args=[hidden.pk]))

    # Logged in, a focal point passes a login restriction; not a group it is not in, nor an unpublished page.
    assert response.status_code == (200 if how in ("login", "restricted parent") else 404)


def test_the_exchange_admin_view_shows_staff_every_workshop_drafts_marked(client, world, secretary):
    _pages, exchanges, workshops = world
    hidden = workshops["Hidden workshop"]
    hidden.unpublish()
    hide(workshops["Open workshop"], "groups")
    draft_change(workshops["Open workshop"], "Draft workshop title")
    client.force_login(secretary)

    html = client.get(reverse("exchanges:inspect", args=[exchanges["a2i-barmm"].pk])).content.decode()

    assert '<h2 class="w-h3">Workshops: materials and outcomes</h2>' in html
    assert "Hidden workshop</a> (draft)" in html and "Open workshop</a>" in html
    assert "Draft workshop title" not in html
    assert "Report of the hidden workshop" in html and "Agreement on one-stop services" in html


def test_the_queries_do_not_grow_with_the_data(client, world, make_workshop, django_assert_max_num_queries):
    """The index, the feed, a workshop's calendar file, an open workshop's page and BARMM's page, with 2
    workshops and then 30, the open one with 3 outcomes and participants then 20; a view restriction in place."""
    pages, exchanges, workshops = world
    hide(pages["ken"], "login")
    open_workshop = workshops["Open workshop"]
    # Wagtail's routing reads a page a level of the tree; each live().public() reads the view restrictions once:
    # the feed and the calendar file 1 of 2, the workshop page 2 (its registration form's members and the pages it
    # names), BARMM's page 8 (partners 2, similar adopters 1, exchanges 1, workshops 2, solutions 2).
    reads = (
        ("/workshops/", 11),
        (reverse("workshops_calendar"), 2),
        (reverse("workshop_calendar", args=[open_workshop.pk]), 2),
        (open_workshop.url, 21),
        (MemberPage.objects.get(key="phl-barmm").url, 33),
    )

    def counts():
        found = []
        for url, limit in reads:
            client.get(url)
            with django_assert_max_num_queries(limit) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    small = counts()
    for n in range(28):
        start = timezone.now() + datetime.timedelta(days=30 + n)
        page = make_workshop(title=f"Workshop {n}", start=start, end=start + datetime.timedelta(hours=1))
        page.organisers.set([pages["phl-barmm"], pages["undp"]])
        page.materials = [WorkshopMaterial(kind="report", title=f"Report {n}", url="https://x.org/r")]
        page.outcomes = [WorkshopOutcome(kind="other", text=f"Outcome {n}", members=[pages["undp"]])]
        page.save_revision().publish()
    open_workshop.outcomes = [
        WorkshopOutcome(kind="other", text=f"Outcome {i}", exchange=exchanges["a2i-barmm"], members=[pages["undp"]])
        for i in range(20)
    ]
    open_workshop.save_revision().publish()
    Registration.objects.bulk_create(
        Registration(
            workshop=open_workshop,
            name=f"Person {i}",
            email=f"p{i}@example.org",
            member=pages["undp"],
            status="confirmed",
            public_listing=True,
        )
        for i in range(20)
    )
    assert counts() == small
