"""Who a workshop involves (WorkshopInvolvement) and whether it has records (WorkshopPage.has_records): derived
on write, read by the member pages. Each write that changes them is checked against the same answer computed from
scratch, and through the member page a visitor sees."""

import datetime

import pytest
from django.db.models import Exists, OuterRef, Q

from matchmaking.models import Exchange
from members.models import MemberPage
from workshops.models import WorkshopInvolvement, WorkshopPage
from workshops.records import WorkshopMaterial, WorkshopOutcome

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

PAST = datetime.datetime(2019, 3, 12, 8, 0, tzinfo=datetime.UTC)


def member(key):
    return MemberPage.objects.get(key=key)


def involved(workshop):
    """The keys of the members the stored involvements name for `workshop`."""
    return set(WorkshopInvolvement.objects.filter(workshop=workshop).values_list("member__key", flat=True))


def involved_from_scratch(workshop):
    """The same, computed from what the workshop records now, the way the member pages read it before it was
    stored: organisers, members named in outcomes, partners of the exchanges served."""
    pages = MemberPage.objects.filter(
        Exists(WorkshopPage.organisers.through.objects.filter(workshoppage=workshop, memberpage=OuterRef("pk")))
        | Exists(
            WorkshopOutcome.members.through.objects.filter(
                workshopoutcome__workshop=workshop, memberpage=OuterRef("pk")
            )
        )
        | Exists(
            Exchange.objects.filter(workshops=workshop).filter(
                Q(provider=OuterRef("pk")) | Q(learner=OuterRef("pk")) | Q(facilitator=OuterRef("pk"))
            )
        )
    )
    return set(pages.values_list("key", flat=True))


@pytest.fixture
def workshop(make_workshop):
    """A past workshop organised by a2i for the DR Congo exchange (a2i → DR Congo, UNDP facilitating), with
    one material and an outcome naming Turkey, published."""
    page = make_workshop(
        title="myGov for DR Congo", key="cod-mygov-2019", start=PAST, end=PAST + datetime.timedelta(hours=3)
    )
    page.organisers = [member("bgd-a2i")]
    page.exchanges = [Exchange.objects.get(key="cod-a2i")]
    page.materials = [WorkshopMaterial(kind="report", title="Mission report")]
    page.outcomes = [WorkshopOutcome(kind="pilot_launched", text="A pilot in Kinshasa.", members=[member("tur")])]
    page.save_revision().publish()
    return page


def workshop_titles(client, key):
    """The workshop titles a visitor reads on member `key`'s page, in its workshops section."""
    content = client.get(member(key).url).content.decode()
    section = content.partition('id="workshop-records-heading"')[2].partition("</section>")[0]
    return [title for title in ("myGov for DR Congo", "A workshop with nothing yet") if title in section]


def test_a_published_workshop_involves_organisers_members_named_and_partners(workshop):
    assert involved(workshop) == {"bgd-a2i", "cod", "undp", "tur"} == involved_from_scratch(workshop)
    assert WorkshopPage.objects.get(pk=workshop.pk).has_records


def test_every_member_involved_lists_it_on_its_page(client, workshop):
    for key in ("bgd-a2i", "cod", "undp", "tur"):
        assert workshop_titles(client, key) == ["myGov for DR Congo"], key
    assert workshop_titles(client, "phl-barmm") == []


def test_a_draft_changes_nothing_until_it_is_published(client, workshop):
    workshop.organisers = [member("bgd-a2i"), member("phl-barmm")]
    workshop.outcomes = []
    workshop.save_revision()

    assert involved(workshop) == {"bgd-a2i", "cod", "undp", "tur"}
    assert workshop_titles(client, "phl-barmm") == []

    WorkshopPage.objects.get(pk=workshop.pk).get_latest_revision().publish()

    assert involved(workshop) == {"bgd-a2i", "cod", "undp", "phl-barmm"} == involved_from_scratch(workshop)
    assert workshop_titles(client, "phl-barmm") == ["myGov for DR Congo"]
    assert workshop_titles(client, "tur") == []


def test_an_exchange_that_changes_partners_moves_its_workshops(client, workshop):
    exchange = Exchange.objects.get(key="cod-a2i")
    exchange.learner = member("phl-barmm")
    exchange.facilitator = None
    exchange.save()

    assert involved(workshop) == {"bgd-a2i", "phl-barmm", "tur"} == involved_from_scratch(workshop)
    assert workshop_titles(client, "phl-barmm") == ["myGov for DR Congo"]
    assert workshop_titles(client, "cod") == []
    assert workshop_titles(client, "undp") == []


def test_a_deleted_exchange_no_longer_involves_its_partners(client, workshop):
    Exchange.objects.get(key="cod-a2i").delete()

    assert involved(workshop) == {"bgd-a2i", "tur"} == involved_from_scratch(workshop)
    assert workshop_titles(client, "cod") == []
    assert workshop_titles(client, "bgd-a2i") == ["myGov for DR Congo"]


def test_a_deleted_member_takes_its_involvements_with_it(workshop):
    member("tur").delete()

    assert involved(workshop) == {"bgd-a2i", "cod", "undp"} == involved_from_scratch(workshop)


def test_only_workshops_with_records_are_listed_and_a_draft_record_waits(client, make_workshop):
    page = make_workshop(title="A workshop with nothing yet", start=PAST, end=PAST + datetime.timedelta(hours=1))
    page.organisers = [member("phl-barmm")]
    page.save_revision().publish()
    assert not WorkshopPage.objects.get(pk=page.pk).has_records
    assert workshop_titles(client, "phl-barmm") == []

    page.materials = [WorkshopMaterial(kind="video", title="Recording", url="https://example.org/recording.mp4")]
    page.save_revision()
    assert not WorkshopPage.objects.get(pk=page.pk).has_records
    assert workshop_titles(client, "phl-barmm") == []

    WorkshopPage.objects.get(pk=page.pk).get_latest_revision().publish()
    assert WorkshopPage.objects.get(pk=page.pk).has_records
    assert workshop_titles(client, "phl-barmm") == ["A workshop with nothing yet"]

    page = WorkshopPage.objects.get(pk=page.pk)
    page.materials = []
    page.save_revision().publish()
    assert not WorkshopPage.objects.get(pk=page.pk).has_records
    assert workshop_titles(client, "phl-barmm") == []


def test_a_copied_workshop_has_its_own_involvements_and_no_key(workshop):
    """As the admin's "Copy" does it, from the page as stored; the catalogue key stays with the original."""
    original = WorkshopPage.objects.get(pk=workshop.pk)
    copy = original.copy(update_attrs={"slug": "mygov-for-dr-congo-again", "title": "myGov for DR Congo, again"})

    assert involved(copy) == involved(workshop) == involved_from_scratch(copy)
    assert WorkshopPage.objects.get(pk=copy.pk).has_records
    assert WorkshopPage.objects.get(pk=copy.pk).key is None
    assert WorkshopPage.objects.get(pk=workshop.pk).key == "cod-mygov-2019"
