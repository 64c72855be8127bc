"""The meeting agenda of a matchmaking workshop: creating the workshop from pairings, the optimiser's
guarantees, hand edits checked again (a conflicting one writes nothing), proposing again, the exports, who
may see them, and the query counts of its pages."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue
from workshops import agenda as services
from workshops.agenda_models import Meeting, MeetingAgenda
from workshops.models import WorkshopKind, WorkshopPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

PROVIDERS = ["bgd-a2i", "ken-ict", "rwa-risa"]


def more_members(n_learners=0):
    """Kenya's and Rwanda's ICT agencies as providers, and `n_learners` more learner governments."""
    members = [
        {"key": "ken-ict", "name": "Kenya ICT Authority", "kind": "government_agency", "country": "KEN"},
        {
            "key": "rwa-risa",
            "name": "Rwanda Information Society Authority",
            "kind": "government_agency",
            "country": "RWA",
        },
    ] + [
        {"key": f"learner-{i}", "name": f"Learner government {i:02d}", "kind": "national_government", "country": "NPL"}
        for i in range(n_learners)
    ]
    return members


@pytest.fixture
def network(small_world):
    """Three providers (a2i, Kenya, Rwanda) and three learners (DR Congo, BARMM, Türkiye); DR Congo–a2i
    already has an exchange; add() makes more learners with exchanges to every provider."""
    exchanges = [
        {"key": f"{learner}-{provider}", "provider": provider, "learner": learner, "status": "agreed"}
        for learner in ("cod", "phl-barmm", "tur")
        for provider in PROVIDERS
        if (learner, provider) != ("cod", "bgd-a2i")
    ]
    import_catalogue({"format": FORMAT, "members": more_members(), "exchanges": exchanges})


def grow(n_learners):
    """n more learners, each with an exchange to every provider."""
    members = more_members(n_learners)[2:]
    exchanges = [
        {"key": f"{m['key']}-{p}", "provider": p, "learner": m["key"], "status": "proposed"}
        for m in members
        for p in PROVIDERS
    ]
    import_catalogue({"format": FORMAT, "members": members, "exchanges": exchanges})


def start_in(days=20):
    return timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=days)


def make_matchmaking(user, exchanges=None, *, hours=2, **settings):
    from matchmaking.models import Exchange

    start = start_in()
    workshop, _proposal = services.create_matchmaking_workshop(
        title="Matchmaking in Dhaka",
        start=start,
        end=start + datetime.timedelta(hours=hours),
        time_zone="Asia/Dhaka",
        venue="a2i, Dhaka",
        exchanges=list(Exchange.objects.all() if exchanges is None else exchanges),
        user=user,
        **settings,
    )
    return WorkshopPage.objects.get(pk=workshop.pk)


def assert_guarantees(workshop):
    """No delegation or table twice in a slot, k and c respected, slots and tables within the agenda."""
    agenda = MeetingAgenda.objects.get(workshop=workshop)
    meetings = list(Meeting.objects.filter(workshop=workshop))
    busy = Counter()
    for m in meetings:
        busy[(m.slot, m.provider_id)] += 1
        busy[(m.slot, m.learner_id)] += 1
    assert max(busy.values(), default=0) <= 1
    assert len({(m.slot, m.table) for m in meetings}) == len(meetings)
    assert max(Counter(m.learner_id for m in meetings).values(), default=0) <= agenda.max_meetings_per_learner
    assert max(Counter(m.provider_id for m in meetings).values(), default=0) <= agenda.max_meetings_per_provider
    assert all(0 <= m.slot < agenda.slot_count and 1 <= m.table <= agenda.tables for m in meetings)
    return meetings


def refused(response):
    """The admin's answer to a signed-in user without the permission: back to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def snapshot(workshop):
    return sorted(Meeting.objects.filter(workshop=workshop).values_list("pk", "slot", "table", "provider", "learner"))


# --- creating the workshop ---------------------------------------------------------------------------


def form_data(**changes):
    start = start_in()
    return {
        "title": "Matchmaking in Kinshasa",
        "start": start.strftime("%Y-%m-%dT09:00"),
        "end": start.strftime("%Y-%m-%dT11:00"),
        "time_zone": "Africa/Kinshasa",
        "venue": "Palais du Peuple",
        "tables": "4",
        "max_per_learner": "2",
        "max_per_provider": "2",
        "slot_minutes": "30",
        **changes,
    }


def test_staff_create_a_workshop_from_three_exchanges(client, secretary, network):
    from matchmaking.models import Exchange

    chosen = list(Exchange.objects.filter(learner__key="cod").order_by("pk"))
    assert len(chosen) == 3
    client.force_login(secretary)
    form = client.get("/admin/agendas/new-workshop/?" + "&".join(f"exchange={e.pk}" for e in chosen))
    assert form.status_code == 200
    assert sorted(int(pk) for pk in form.context["form"]["exchanges"].value()) == [e.pk for e in chosen]
    response = client.post("/admin/agendas/new-workshop/", {**form_data(), "exchanges": [e.pk for e in chosen]})
    workshop = WorkshopPage.objects.get(title="Matchmaking in Kinshasa")
    assert response.status_code == 302 and response["Location"] == f"/admin/agendas/{workshop.pk}/"
    assert workshop.kind == WorkshopKind.MATCHMAKING and not workshop.live and workshop.latest_revision_id
    assert workshop.get_parent().specific_class.__name__ == "WorkshopIndexPage"
    assert set(workshop.exchanges.all()) == set(chosen)
    # 09:00 in Kinshasa is 08:00 UTC; four slots of 30 minutes.
    assert workshop.local_start.hour == 9 and workshop.start.astimezone(datetime.UTC).hour == 8
    assert MeetingAgenda.objects.get(workshop=workshop).slot_count == 4
    # DR Congo may meet two of its three providers (k = 2), one per slot.
    meetings = assert_guarantees(workshop)
    assert len(meetings) == 2 and {m.learner.key for m in meetings} == {"cod"}
    page = client.get(response["Location"]).content.decode()
    assert "Meetings grid" in page and "Government of the Democratic Republic of the Congo" in page
    assert "Exchanges of the workshop not on the agenda" in page  # the third provider


def test_staff_create_a_workshop_from_recommendations(client, secretary, network):
    from matchmaking.models import Exchange, ExchangeStatusChange, PartnerRecommendation
    from members.models import MemberPage

    m = {key: MemberPage.objects.get(key=key) for key in ("cod", "bgd-a2i", "undp", "phl-barmm")}
    new_pair = PartnerRecommendation.objects.create(
        learner=m["phl-barmm"],
        provider=m["undp"],
        rank=1,
        score=0.8,
        solutions=["mygov"],
        reasons=[],
        facilitators=[],
    )
    under_way = PartnerRecommendation.objects.create(
        learner=m["cod"], provider=m["bgd-a2i"], rank=1, score=0.6, solutions=[], reasons=[], facilitators=[]
    )
    exchanges_before = Exchange.objects.count()
    client.force_login(secretary)
    listing = client.get("/admin/recommendations/").content.decode()
    assert 'form="matchmaking-workshop-form"' in listing and f'value="{new_pair.pk}"' in listing
    response = client.post(
        "/admin/agendas/new-workshop/", {**form_data(), "recommendations": [new_pair.pk, under_way.pk]}
    )
    assert response.status_code == 302
    workshop = WorkshopPage.objects.get(title="Matchmaking in Kinshasa")
    # The new pair became a proposed exchange (with its first status); DR Congo–a2i's exchange is reused.
    created = Exchange.objects.get(provider=m["undp"], learner=m["phl-barmm"])
    assert Exchange.objects.count() == exchanges_before + 1
    assert created.status == "proposed" and [s.key for s in created.solutions.all()] == ["mygov"]
    assert ExchangeStatusChange.objects.filter(exchange=created, changed_by=secretary).exists()
    assert set(workshop.exchanges.values_list("key", flat=True)) == {created.key, "cod-a2i"}
    scores = {(mt.provider.key, mt.learner.key): mt.score for mt in assert_guarantees(workshop)}
    assert scores == {("undp", "phl-barmm"): 0.8, ("bgd-a2i", "cod"): 0.6}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end": ""}, "end"),
        ({"start": "not a date"}, "start"),
        ({"tables": "0"}, "tables"),
        ({"max_per_learner": "-1"}, "max_per_learner"),
        ({"slot_minutes": "2"}, "slot_minutes"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"title": ""}, "title"),
        ({"exchanges": []}, "exchanges"),
        ({"exchanges": ["999999"]}, "exchanges"),
    ],
)
def test_bad_input_on_the_create_form_writes_nothing(client, secretary, network, changes, field):
    from matchmaking.models import Exchange

    client.force_login(secretary)
    exchange = Exchange.objects.first()
    data = {**form_data(), "exchanges": [exchange.pk], **changes}
    pages, exchanges = WorkshopPage.objects.count(), Exchange.objects.count()
    response = client.post("/admin/agendas/new-workshop/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert WorkshopPage.objects.count() == pages and Exchange.objects.count() == exchanges


def test_a_workshop_ending_before_it_starts_or_shorter_than_a_slot_is_refused(client, secretary, network):
    from matchmaking.models import Exchange

    client.force_login(secretary)
    exchange = Exchange.objects.first().pk
    start = start_in()
    backwards = form_data(end=start.strftime("%Y-%m-%dT08:00"), exchanges=[exchange])
    assert "end" in client.post("/admin/agendas/new-workshop/", backwards).context["form"].errors
    too_short = form_data(end=start.strftime("%Y-%m-%dT09:20"), exchanges=[exchange])
    response = client.post("/admin/agendas/new-workshop/", too_short)
    assert response.status_code == 200 and "shorter than one slot" in str(response.context["form"].errors)
    assert not WorkshopPage.objects.filter(kind=WorkshopKind.MATCHMAKING).exists()
    assert not MeetingAgenda.objects.exists()


def test_a_delegation_on_both_sides_cannot_be_scheduled_and_nothing_is_written(secretary, network):
    from matchmaking.models import Exchange
    from matchmaking.services import create_exchange
    from members.models import MemberPage

    cod, tur = MemberPage.objects.get(key="cod"), MemberPage.objects.get(key="tur")
    reverse_exchange = create_exchange(provider=cod, learner=tur, user=secretary)
    pages = WorkshopPage.objects.count()
    with pytest.raises(services.CannotPropose, match="Government of the Democratic Republic of the Congo"):
        make_matchmaking(secretary, [Exchange.objects.get(key="cod-a2i"), reverse_exchange])
    assert WorkshopPage.objects.count() == pages and not Meeting.objects.exists()


def test_only_the_secretariat_creates_matchmaking_workshops(client, focal_point, network):
    assert client.get("/admin/agendas/new-workshop/")["Location"].startswith("/admin/login/")
    client.force_login(focal_point)
    assert refused(client.get("/admin/agendas/new-workshop/"))
    assert refused(client.post("/admin/agendas/new-workshop/", form_data()))
    assert not WorkshopPage.objects.filter(kind=WorkshopKind.MATCHMAKING).exists()


def test_the_exchanges_listing_and_the_workshop_page_link_to_it(client, secretary, network):
    workshop = make_matchmaking(secretary)
    client.force_login(secretary)
    assert "/admin/agendas/new-workshop/" in client.get("/admin/exchanges/").content.decode()
    assert f"/admin/agendas/{workshop.pk}/" in client.get(f"/admin/pages/{workshop.pk}/edit/").content.decode()
    listing = client.get("/admin/agendas/").content.decode()
    assert "Matchmaking in Dhaka" in listing and f"/admin/agendas/{workshop.pk}/print/" in listing


# --- the optimiser's agenda ----------------------------------------------------------------------------


@pytest.mark.parametrize("k, c, tables, hours", [(3, 3, 10, 2), (2, 3, 10, 2), (1, 2, 2, 1), (3, 1, 1, 3)])
def test_the_proposed_agenda_keeps_its_guarantees(secretary, network, k, c, tables, hours):
    grow(4)
    workshop = make_matchmaking(secretary, hours=hours, max_per_learner=k, max_per_provider=c, tables=tables)
    meetings = assert_guarantees(workshop)
    slots = hours * 2
    # As many as the limits and the places allow: 7 learners, 3 providers.
    assert len(meetings) == min(3 * min(c, slots), 7 * min(k, slots), slots * tables)


def test_proposing_again_replaces_the_meetings_hand_edits_included(client, secretary, network):
    from members.models import MemberPage

    workshop = make_matchmaking(secretary, max_per_learner=1)
    # UNDP meets Bangladesh, who is in none of the workshop's exchanges.
    undp, bgd = MemberPage.objects.get(key="undp"), MemberPage.objects.get(key="bgd")
    used = set(Meeting.objects.filter(workshop=workshop, slot=0).values_list("table", flat=True))
    by_hand = services.add_meeting(
        workshop, provider=undp, learner=bgd, slot=0, table=min(set(range(1, 11)) - used), user=secretary
    )
    assert by_hand.exchange is None
    client.force_login(secretary)
    url = f"/admin/agendas/{workshop.pk}/propose/"
    assert "hand edits included" in client.get(url).content.decode()
    settings = {"tables": "10", "max_per_learner": "2", "max_per_provider": "3", "slot_minutes": "30"}
    unconfirmed = client.post(url, settings)
    assert unconfirmed.status_code == 200 and "confirm" in unconfirmed.context["form"].errors
    assert Meeting.objects.filter(pk=by_hand.pk).exists()
    assert MeetingAgenda.objects.get(workshop=workshop).max_meetings_per_learner == 1
    response = client.post(url, {**settings, "confirm": "on"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=by_hand.pk).exists()
    meetings = assert_guarantees(workshop)
    assert len(meetings) == 6 and all(m.exchange_id for m in meetings)  # 3 learners × k = 2
    assert MeetingAgenda.objects.get(workshop=workshop).max_meetings_per_learner == 2


# --- hand edits ------------------------------------------------------------------------------------------


@pytest.fixture
def planned(secretary, network):
    workshop = make_matchmaking(secretary, tables=3)
    return workshop, assert_guarantees(workshop)


def test_a_move_that_double_books_a_delegation_is_refused_and_writes_nothing(client, secretary, planned):
    workshop, meetings = planned
    # A meeting, and another slot where its provider meets someone else and a table is free.
    meeting, other, free_table = next(
        (meeting, other, min(free))
        for meeting in meetings
        for other in meetings
        if other.provider_id == meeting.provider_id and other.slot != meeting.slot
        for free in [set(range(1, 4)) - {m.table for m in meetings if m.slot == other.slot}]
        if free
    )
    before = snapshot(workshop)
    with pytest.raises(services.AgendaConflict) as refused:
        services.move_meeting(meeting, slot=other.slot, table=free_table, user=secretary)
    assert f"{meeting.provider.title} has two meetings in slot {other.slot + 1}" in refused.value.message
    assert snapshot(workshop) == before
    # The same through the admin screen: a message naming the delegation and the slot, nothing saved.
    client.force_login(secretary)
    response = client.post(
        f"/admin/agendas/{workshop.pk}/",
        {"action": "move", "meeting": meeting.pk, "slot": other.slot, "table": free_table},
    )
    assert response.status_code == 400
    assert f"{meeting.provider.title} has two meetings in slot {other.slot + 1}" in response.content.decode()
    assert snapshot(workshop) == before


def test_a_move_to_a_taken_table_is_refused(secretary, planned):
    workshop, meetings = planned
    a, b = meetings[0], next(m for m in meetings if m.slot != meetings[0].slot)
    before = snapshot(workshop)
    with pytest.raises(services.AgendaConflict, match=f"table {b.table} is used twice in slot {b.slot + 1}"):
        services.move_meeting(a, slot=b.slot, table=b.table, user=secretary)
    with pytest.raises(services.AgendaConflict, match="outside 1–3"):
        services.move_meeting(a, slot=a.slot, table=4, user=secretary)
    assert snapshot(workshop) == before


def test_a_free_move_a_removal_and_an_addition_are_saved(client, secretary, planned):
    workshop, meetings = planned
    client.force_login(secretary)
    meeting = meetings[0]
    free = next(
        (slot, table)
        for slot in range(4)
        for table in range(1, 4)
        if not any(m.slot == slot and m.table == table for m in meetings)
        and not any(
            m.slot == slot and {m.provider_id, m.learner_id} & {meeting.provider_id, meeting.learner_id}
            for m in meetings
            if m.pk != meeting.pk
        )
    )
    response = client.post(
        f"/admin/agendas/{workshop.pk}/", {"action": "move", "meeting": meeting.pk, "slot": free[0], "table": free[1]}
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(pk=meeting.pk, slot=free[0], table=free[1]).exists()
    client.post(f"/admin/agendas/{workshop.pk}/", {"action": "remove", "meeting": meeting.pk})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(
        f"/admin/agendas/{workshop.pk}/",
        {
            "action": "add",
            "provider": meeting.provider_id,
            "learner": meeting.learner_id,
            "slot": free[0],
            "table": free[1],
        },
    )
    assert response.status_code == 302
    added = Meeting.objects.get(workshop=workshop, provider=meeting.provider_id, learner=meeting.learner_id)
    assert added.exchange_id == meeting.exchange_id  # found again from the workshop's exchanges
    assert_guarantees(workshop)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"slot": "99"}, "Select a valid choice"),
        ({"table": "0"}, "Select a valid choice"),
        ({"provider": ""}, "This field is required"),
        ({"learner": "same"}, "A delegation cannot meet itself"),
        ({"again": True}, "meets"),  # the pair already meets: refused by the service
    ],
)
def test_bad_additions_are_refused_with_their_reason(client, secretary, planned, changes, message):
    workshop, meetings = planned
    meeting = meetings[0]
    data = {"action": "add", "provider": meeting.provider_id, "learner": "", "slot": "0", "table": "1"}
    from members.models import MemberPage

    data["learner"] = MemberPage.objects.get(key="undp").pk
    if changes.pop("again", False):
        data["learner"] = meeting.learner_id
        data["slot"], data["table"] = next(
            (str(s), "3") for s in range(4) if not any(m.slot == s and m.table == 3 for m in meetings)
        )
    if changes.get("learner") == "same":
        changes["learner"] = meeting.provider_id
    before = snapshot(workshop)
    client.force_login(secretary)
    response = client.post(f"/admin/agendas/{workshop.pk}/", {**data, **changes})
    assert response.status_code == 400 and message in response.content.decode()
    assert snapshot(workshop) == before


def test_an_unknown_meeting_or_action_is_a_message_not_an_error(client, secretary, planned):
    workshop, _meetings = planned
    client.force_login(secretary)
    for data in ({"action": "move", "meeting": "999999", "slot": "0", "table": "1"}, {"action": "dance"}):
        response = client.post(f"/admin/agendas/{workshop.pk}/", data, follow=True)
        assert response.status_code in (200, 400)


# --- exports and permissions ---------------------------------------------------------------------------


def test_the_exports_show_every_meeting(client, secretary, planned):
    workshop, meetings = planned
    client.force_login(secretary)
    printable = client.get(f"/admin/agendas/{workshop.pk}/print/").content.decode()
    assert "@media print" in printable and "<link" not in printable and "<script" not in printable
    assert printable.count('class="provider"') == len(meetings)
    schedules = client.get(f"/admin/agendas/{workshop.pk}/schedules/").content.decode()
    delegations = {m.provider_id for m in meetings} | {m.learner_id for m in meetings}
    assert schedules.count('<section class="delegation"') == len(delegations)
    assert "Learns from Kenya ICT Authority" in schedules or "Shares with" in schedules
    csv = client.get(f"/admin/agendas/{workshop.pk}/agenda.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode().strip().splitlines()) == len(meetings) + 1


def test_slot_times_are_the_venue_s(client, secretary, network):
    workshop = make_matchmaking(secretary)
    agenda = MeetingAgenda.objects.get(workshop=workshop)
    first = agenda.slot_start(0)
    assert first == workshop.start and first.utcoffset() == datetime.timedelta(hours=6)  # Dhaka
    client.force_login(secretary)
    printable = client.get(f"/admin/agendas/{workshop.pk}/print/").content.decode()
    assert f"{first:%H:%M}–{agenda.slot_end(0):%H:%M}" in printable


AGENDA_URLS = [
    "/admin/agendas/{pk}/",
    "/admin/agendas/{pk}/print/",
    "/admin/agendas/{pk}/schedules/",
    "/admin/agendas/{pk}/agenda.csv",
    "/admin/agendas/{pk}/propose/",
]


def test_anonymous_and_unrelated_focal_points_are_refused(client, secretary, planned, focal_point):
    workshop, _meetings = planned
    for url in AGENDA_URLS:
        assert client.get(url.format(pk=workshop.pk))["Location"].startswith("/admin/login/")
    client.force_login(focal_point)  # DR Congo's focal point: DR Congo does not organise this workshop
    for url in AGENDA_URLS:
        assert refused(client.get(url.format(pk=workshop.pk)))
    before = snapshot(workshop)
    meeting = Meeting.objects.filter(workshop=workshop).first()
    assert refused(client.post(f"/admin/agendas/{workshop.pk}/", {"action": "remove", "meeting": meeting.pk}))
    assert snapshot(workshop) == before
    assert "Matchmaking in Dhaka" not in client.get("/admin/agendas/").content.decode()


def test_the_organisers_focal_points_manage_the_agenda(client, secretary, planned):
    from members.models import MemberPage
    from members.services import create_focal_point

    workshop, _meetings = planned
    workshop.organisers.set([MemberPage.objects.get(key="bgd")])
    workshop.save()
    # Bangladesh's focal point manages the workshops of Bangladesh and of the members under it.
    person, _created = create_focal_point(MemberPage.objects.get(key="bgd"), email="focal@a2i.gov.bd")
    client.force_login(person)
    for url in AGENDA_URLS:
        assert client.get(url.format(pk=workshop.pk)).status_code == 200
    assert "Matchmaking in Dhaka" in client.get("/admin/agendas/").content.decode()


# --- query counts, pinned with two sizes -------------------------------------------------------------------


#: The queries of each agenda page, measured: the same with 9 meetings and with 24.
PAGE_QUERIES = {
    "/admin/agendas/{pk}/": 15,
    "/admin/agendas/{pk}/print/": 8,
    "/admin/agendas/{pk}/schedules/": 8,
    "/admin/agendas/{pk}/agenda.csv": 8,
    "/admin/agendas/{pk}/propose/": 12,
    "/admin/agendas/": 10,
}


@pytest.mark.parametrize("learners, meetings", [(0, 9), (12, 24)])
def test_query_counts_do_not_grow_with_the_agenda(
    client, secretary, network, django_assert_max_num_queries, learners, meetings
):
    grow(learners)
    workshop = make_matchmaking(secretary, tables=20, hours=4, max_per_provider=8)
    assert Meeting.objects.filter(workshop=workshop).count() == meetings
    client.force_login(secretary)
    for url, queries in PAGE_QUERIES.items():
        with django_assert_max_num_queries(queries):
            response = client.get(url.format(pk=workshop.pk))
        assert response.status_code == 200
