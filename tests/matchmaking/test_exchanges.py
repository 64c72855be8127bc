"""The life of an exchange: created from a pairing, moved through its statuses, kept in its history;
through the services and the admin screens (the catalogue import: tests/ssn4psi/test_catalogue_import.py)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import ModelLogEntry

from matchmaking.models import Exchange, ExchangeStatusChange
from matchmaking.services import (
    ExchangeError,
    InvalidTransition,
    allowed_transitions,
    change_status,
    create_exchange,
)
from matchmaking.wagtail_hooks import exchange_create_url
from members.models import MemberPage
from solutions.models import SolutionPage
from ssn4psi.vocabulary import ExchangeStatus as S

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

LIFE_CYCLE = [S.PROPOSED, S.AGREED, S.KNOWLEDGE_SHARED, S.AGREEMENT_SIGNED, S.REPLICATING, S.COMPLETED]


def member(key):
    return MemberPage.objects.get(key=key)


@pytest.fixture
def barmm_exchange(secretary):
    """a2i -> BARMM about myGov, proposed by the secretary."""
    return create_exchange(
        provider=member("bgd-a2i"),
        learner=member("phl-barmm"),
        solutions=[SolutionPage.objects.get(key="mygov")],
        note="From the Dhaka workshop.",
        user=secretary,
    )


def admin_url(view, *args):
    return reverse(f"exchanges:{view}", args=args)


# -- services ---------------------------------------------------------------------------------------


def test_creating_an_exchange_records_its_first_status_with_its_author(secretary):
    before = timezone.now()
    exchange = create_exchange(
        provider=member("bgd-a2i"),
        learner=member("phl-barmm"),
        facilitator=member("undp"),
        solutions=[SolutionPage.objects.get(key="mygov")],
        date=datetime.date(2024, 5, 2),
        summary="Study visit to Dhaka.",
        note="Recommended by the matcher.",
        user=secretary,
    )

    exchange.refresh_from_db()
    assert exchange.key == "phl-barmm-bgd-a2i"
    assert exchange.status == S.PROPOSED
    assert exchange.facilitator == member("undp")
    assert [s.key for s in exchange.solutions.all()] == ["mygov"]
    assert exchange.date == datetime.date(2024, 5, 2)
    assert exchange.summary == "Study visit to Dhaka."
    assert before <= exchange.created_at <= timezone.now()
    (change,) = exchange.status_changes.all()
    assert (change.status, change.note, change.changed_by) == (S.PROPOSED, "Recommended by the matcher.", secretary)
    assert change.date == timezone.localdate()
    assert ModelLogEntry.objects.for_instance(exchange).get().action == "wagtail.create"


def test_an_exchange_may_start_further_in_its_life(secretary):
    exchange = create_exchange(provider=member("bgd-a2i"), learner=member("tur"), status=S.REPLICATING, user=secretary)
    assert exchange.status == S.REPLICATING
    assert exchange.status_changes.get().status == S.REPLICATING


def test_keys_are_unique(secretary):
    first = create_exchange(provider=member("bgd-a2i"), learner=member("phl-barmm"), user=secretary)
    change_status(first, S.DROPPED, user=secretary)
    second = create_exchange(provider=member("bgd-a2i"), learner=member("phl-barmm"), user=secretary)
    change_status(second, S.DROPPED, user=secretary)
    third = create_exchange(provider=member("bgd-a2i"), learner=member("phl-barmm"), user=secretary)

    assert [first.key, second.key, third.key] == ["phl-barmm-bgd-a2i", "phl-barmm-bgd-a2i-2", "phl-barmm-bgd-a2i-3"]


@pytest.mark.parametrize(
    "provider, learner, facilitator, message",
    [
        ("cod", "cod", None, "two different members"),
        ("bgd-a2i", "phl-barmm", "bgd-a2i", "third member"),
        ("bgd-a2i", "phl-barmm", "phl-barmm", "third member"),
        ("bgd-a2i", "cod", None, "already have an exchange"),  # cod-a2i, from the small world
    ],
)
def test_refused_pairings_write_nothing(secretary, provider, learner, facilitator, message):
    exchanges, changes, logs = (
        Exchange.objects.count(),
        ExchangeStatusChange.objects.count(),
        ModelLogEntry.objects.count(),
    )

    with pytest.raises(ExchangeError, match=message):
        create_exchange(
            provider=member(provider),
            learner=member(learner),
            facilitator=member(facilitator) if facilitator else None,
            user=secretary,
        )

    assert Exchange.objects.count() == exchanges
    assert ExchangeStatusChange.objects.count() == changes
    assert ModelLogEntry.objects.count() == logs


def test_the_reverse_direction_and_a_dropped_pair_are_allowed(secretary):
    cod_a2i = Exchange.objects.get(key="cod-a2i")
    reverse_direction = create_exchange(provider=member("cod"), learner=member("bgd-a2i"), user=secretary)
    assert reverse_direction.key == "bgd-a2i-cod"

    change_status(cod_a2i, S.DROPPED, user=secretary)
    again = create_exchange(provider=member("bgd-a2i"), learner=member("cod"), user=secretary)
    assert again.key == "cod-bgd-a2i"


@pytest.mark.parametrize(
    "current, new",
    [(a, b) for i, a in enumerate(LIFE_CYCLE) for b in LIFE_CYCLE[i + 1 :]]
    + [(a, S.DROPPED) for a in LIFE_CYCLE[:-1]]
    + [(S.DROPPED, S.PROPOSED)],
)
def test_every_allowed_transition(secretary, current, new):
    exchange = create_exchange(provider=member("bgd-a2i"), learner=member("tur"), status=current, user=secretary)
    assert new in allowed_transitions(current)

    change = change_status(exchange, new, date=datetime.date(2025, 1, 15), note="Moving on.", user=secretary)

    exchange.refresh_from_db()
    assert exchange.status == new
    assert (change.status, change.date, change.note, change.changed_by) == (
        new,
        datetime.date(2025, 1, 15),
        "Moving on.",
        secretary,
    )
    assert list(exchange.status_changes.order_by("pk").values_list("status", flat=True)) == [current, new]
    assert ModelLogEntry.objects.for_instance(exchange).filter(action="matchmaking.exchange.change_status").count() == 1


@pytest.mark.parametrize(
    "current, new, message",
    [
        (S.AGREED, S.PROPOSED, "cannot go back"),
        (S.REPLICATING, S.KNOWLEDGE_SHARED, "cannot go back"),
        (S.COMPLETED, S.DROPPED, "completed exchange is closed"),
        (S.COMPLETED, S.PROPOSED, "completed exchange is closed"),
        (S.DROPPED, S.AGREED, "only be reopened"),
        (S.DROPPED, S.COMPLETED, "only be reopened"),
        (S.AGREED, S.AGREED, "already"),
        (S.DROPPED, S.DROPPED, "already"),
    ],
)
def test_refused_transitions_change_nothing(secretary, current, new, message):
    exchange = create_exchange(provider=member("bgd-a2i"), learner=member("tur"), status=current, user=secretary)

    with pytest.raises(InvalidTransition, match=message):
        change_status(exchange, new, user=secretary)

    exchange.refresh_from_db()
    assert exchange.status == current
    assert exchange.status_changes.count() == 1


def test_a_dropped_exchange_is_reopened_as_proposed(secretary):
    exchange = create_exchange(provider=member("bgd-a2i"), learner=member("tur"), user=secretary)
    change_status(exchange, S.AGREED, user=secretary)
    change_status(exchange, S.DROPPED, note="No budget this year.", user=secretary)
    change_status(exchange, S.PROPOSED, note="Budget found.", user=secretary)

    assert exchange.status == S.PROPOSED
    assert list(exchange.status_changes.values_list("status", "note")) == [
        (S.PROPOSED, ""),
        (S.AGREED, ""),
        (S.DROPPED, "No budget this year."),
        (S.PROPOSED, "Budget found."),
    ]


def test_a_status_change_is_checked_against_the_stored_status(secretary):
    """A stale instance (another person moved the exchange meanwhile) cannot move it backwards."""
    exchange = create_exchange(provider=member("bgd-a2i"), learner=member("tur"), user=secretary)
    stale = Exchange.objects.get(pk=exchange.pk)
    change_status(exchange, S.COMPLETED, user=secretary)

    with pytest.raises(InvalidTransition):
        change_status(stale, S.AGREED, user=secretary)
    assert Exchange.objects.get(pk=exchange.pk).status == S.COMPLETED


# -- admin: the Secretariat -------------------------------------------------------------------------


def test_the_secretariat_lists_filters_and_searches_exchanges(
    client, secretary, barmm_exchange, django_assert_max_num_queries
):
    client.force_login(secretary)
    create_exchange(provider=member("bgd-a2i"), learner=member("tur"), status=S.COMPLETED, user=secretary)

    with django_assert_max_num_queries(15):
        response = client.get(admin_url("index"))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("cod-a2i", "phl-barmm-bgd-a2i", "tur-bgd-a2i", "Aspire to Innovate (a2i) → Bangsamoro", "UNDP"):
        assert text in content
    assert "Knowledge shared" in content and "Proposed" in content

    filtered = client.get(admin_url("index"), {"status": S.COMPLETED}).content.decode()
    assert "tur-bgd-a2i" in filtered and "phl-barmm-bgd-a2i" not in filtered

    searched = client.get(admin_url("index"), {"q": "barmm"}).content.decode()
    assert "phl-barmm-bgd-a2i" in searched and "tur-bgd-a2i" not in searched


def test_the_exchanges_menu_item_is_shown_to_the_secretariat_only(client, secretary, focal_point):
    client.force_login(secretary)
    assert admin_url("index") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(focal_point)
    assert admin_url("index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_list_query_count_does_not_grow_with_exchanges(client, secretary, django_assert_max_num_queries):
    client.force_login(secretary)
    client.get(admin_url("index"))
    for learner in ("phl-barmm", "tur", "undp", "bgd"):
        create_exchange(provider=member("bgd-a2i"), learner=member(learner), facilitator=None, user=secretary)
    with django_assert_max_num_queries(15):
        assert client.get(admin_url("index")).status_code == 200


def test_exchange_create_url_prefills_the_form(client, secretary):
    client.force_login(secretary)
    url = exchange_create_url("bgd-a2i", "phl-barmm", "undp", ["mygov", "ekshop"])
    assert url.startswith(admin_url("add") + "?")

    response = client.get(url)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["provider"] == member("bgd-a2i").pk
    assert form.initial["learner"] == member("phl-barmm").pk
    assert form.initial["facilitator"] == member("undp").pk
    assert sorted(form.initial["solutions"]) == sorted(SolutionPage.objects.values_list("pk", flat=True))
    content = response.content.decode()
    assert f'<option value="{member("bgd-a2i").pk}" selected>' in content
    assert f'<option value="{member("phl-barmm").pk}" selected>' in content
    assert f'<option value="{member("undp").pk}" selected>' in content


def test_unknown_keys_in_the_prefill_are_ignored(client, secretary):
    client.force_login(secretary)
    response = client.get(exchange_create_url("nobody", "phl-barmm", "ghost", ["mygov", "no-such-solution"]))

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert "provider" not in initial and "facilitator" not in initial
    assert initial["learner"] == member("phl-barmm").pk
    assert initial["solutions"] == [SolutionPage.objects.get(key="mygov").pk]
    assert exchange_create_url() == admin_url("add")


def create_form_data(**values):
    data = {"provider": "", "learner": "", "facilitator": "", "date": "", "summary": "", "note": ""}
    data.update(values)
    return data


def test_the_secretariat_creates_an_exchange(client, secretary):
    client.force_login(secretary)
    response = client.post(
        admin_url("add"),
        create_form_data(
            provider=member("bgd-a2i").pk,
            learner=member("phl-barmm").pk,
            facilitator=member("undp").pk,
            solutions=[SolutionPage.objects.get(key="mygov").pk],
            date="2024-05-02",
            summary="Study visit.",
            note="From the recommendations.",
        ),
    )

    exchange = Exchange.objects.get(key="phl-barmm-bgd-a2i")
    assert response.status_code == 302
    assert response.url == admin_url("edit", exchange.pk)
    assert (exchange.provider, exchange.learner, exchange.facilitator) == (
        member("bgd-a2i"),
        member("phl-barmm"),
        member("undp"),
    )
    assert exchange.date == datetime.date(2024, 5, 2)
    assert [s.key for s in exchange.solutions.all()] == ["mygov"]
    change = exchange.status_changes.get()
    assert (change.status, change.note, change.changed_by) == (S.PROPOSED, "From the recommendations.", secretary)


@pytest.mark.parametrize(
    "provider, learner, facilitator, message",
    [
        ("cod", "cod", None, "two different members"),
        ("bgd-a2i", "cod", None, "already have an exchange under way"),
        ("bgd-a2i", "tur", "tur", "third member"),
    ],
)
def test_a_refused_pairing_is_a_form_error(client, secretary, provider, learner, facilitator, message):
    client.force_login(secretary)
    count = Exchange.objects.count()

    response = client.post(
        admin_url("add"),
        create_form_data(
            provider=member(provider).pk,
            learner=member(learner).pk,
            facilitator=member(facilitator).pk if facilitator else "",
        ),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "exchange_between_two_members" not in response.content.decode()
    assert Exchange.objects.count() == count


def test_a_pairing_taken_meanwhile_is_a_form_error(client, secretary, monkeypatch):
    """The form checked the pairing; the service refuses it when someone took it in between."""
    import matchmaking.forms

    client.force_login(secretary)
    monkeypatch.setattr(matchmaking.forms, "check_pairing", lambda **kwargs: None)
    count = Exchange.objects.count()

    response = client.post(admin_url("add"), create_form_data(provider=member("bgd-a2i").pk, learner=member("cod").pk))

    assert response.status_code == 200
    assert "already have an exchange under way" in response.content.decode()
    assert Exchange.objects.count() == count


def edit_form_data(exchange, documents=(), **values):
    data = {
        "provider": exchange.provider_id,
        "learner": exchange.learner_id,
        "facilitator": exchange.facilitator_id or "",
        "solutions": list(exchange.solutions.values_list("pk", flat=True)),
        "date": exchange.date.isoformat() if exchange.date else "",
        "summary": exchange.summary,
        "documents-TOTAL_FORMS": len(documents),
        "documents-INITIAL_FORMS": 0,
        "documents-MIN_NUM_FORMS": 0,
        "documents-MAX_NUM_FORMS": 1000,
    }
    for i, (document, kind) in enumerate(documents):
        data.update(
            {
                f"documents-{i}-document": document.pk,
                f"documents-{i}-kind": kind,
                f"documents-{i}-ORDER": i + 1,
                f"documents-{i}-DELETE": "",
                f"documents-{i}-id": "",
            }
        )
    data.update(values)
    return data


def test_the_edit_page_shows_the_status_history_and_edits_the_description(
    client, secretary, barmm_exchange, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretary)
    change_status(barmm_exchange, S.AGREED, note="Both sides signed up.", user=secretary)

    with django_assert_max_num_queries(30):
        page = client.get(admin_url("edit", barmm_exchange.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Both sides signed up." in content and "From the Dhaka workshop." in content
    assert "secretary" in content
    assert admin_url("change_status", barmm_exchange.pk) in content
    assert 'name="status"' not in content  # the status is changed on its own page

    agreement = Document.objects.create(title="Agreement", file=ContentFile(b"%PDF-1.4", name="agreement.pdf"))
    response = client.post(
        admin_url("edit", barmm_exchange.pk),
        edit_form_data(
            barmm_exchange, documents=[(agreement, "agreement")], summary="Visit planned for May.", status="completed"
        ),
    )

    assert response.status_code == 302
    barmm_exchange.refresh_from_db()
    assert barmm_exchange.summary == "Visit planned for May."
    assert barmm_exchange.status == S.AGREED  # not editable here
    assert [(d.document, d.kind) for d in barmm_exchange.documents.all()] == [(agreement, "agreement")]
    assert ModelLogEntry.objects.for_instance(barmm_exchange).filter(action="wagtail.edit", user=secretary).exists()


def test_editing_into_a_refused_pairing_is_a_form_error(client, secretary, barmm_exchange):
    client.force_login(secretary)
    response = client.post(
        admin_url("edit", barmm_exchange.pk), edit_form_data(barmm_exchange, learner=member("bgd-a2i").pk)
    )

    assert response.status_code == 200
    assert "two different members" in response.content.decode()
    barmm_exchange.refresh_from_db()
    assert barmm_exchange.learner == member("phl-barmm")


def test_the_secretariat_changes_the_status(client, secretary, barmm_exchange):
    client.force_login(secretary)
    page = client.get(admin_url("change_status", barmm_exchange.pk))
    assert page.status_code == 200
    assert "From the Dhaka workshop." in page.content.decode()

    response = client.post(
        admin_url("change_status", barmm_exchange.pk),
        {"status": S.KNOWLEDGE_SHARED, "date": "2024-06-10", "note": "Session held online."},
    )

    assert response.status_code == 302
    assert response.url == admin_url("edit", barmm_exchange.pk)
    barmm_exchange.refresh_from_db()
    assert barmm_exchange.status == S.KNOWLEDGE_SHARED
    change = barmm_exchange.status_changes.latest("pk")
    assert (change.status, change.date, change.note, change.changed_by) == (
        S.KNOWLEDGE_SHARED,
        datetime.date(2024, 6, 10),
        "Session held online.",
        secretary,
    )


@pytest.mark.parametrize(
    "status, message",
    [(S.PROPOSED, "cannot go back"), (S.AGREED, "already"), ("no-such-status", "Select a valid choice")],
)
def test_a_refused_status_change_is_a_form_error(client, secretary, barmm_exchange, status, message):
    client.force_login(secretary)
    change_status(barmm_exchange, S.AGREED, user=secretary)

    response = client.post(admin_url("change_status", barmm_exchange.pk), {"status": status})

    assert response.status_code == 200
    assert message in response.content.decode()
    barmm_exchange.refresh_from_db()
    assert barmm_exchange.status == S.AGREED
    assert barmm_exchange.status_changes.count() == 2


def test_the_history_and_inspect_pages_show_who_did_what(
    client, secretary, barmm_exchange, django_assert_max_num_queries
):
    client.force_login(secretary)
    change_status(barmm_exchange, S.AGREED, note="Agreed by e-mail.", user=secretary)

    history = client.get(admin_url("history", barmm_exchange.pk))
    assert history.status_code == 200
    content = history.content.decode()
    assert "Created" in content
    assert "Status changed from “Proposed” to “Agreed”" in content

    with django_assert_max_num_queries(20):
        inspect = client.get(admin_url("inspect", barmm_exchange.pk))
    assert inspect.status_code == 200
    assert "Agreed by e-mail." in inspect.content.decode()
    assert "myGov" in inspect.content.decode()


# -- admin: everyone else ---------------------------------------------------------------------------


@pytest.fixture(params=["anonymous", "focal point"])
def outsider(request, client, focal_point):
    if request.param == "focal point":
        client.force_login(focal_point)
    return client


def test_outsiders_are_refused_everywhere_and_change_nothing(outsider, barmm_exchange):
    urls = [
        admin_url("index"),
        admin_url("add"),
        exchange_create_url("bgd-a2i", "tur"),
        admin_url("edit", barmm_exchange.pk),
        admin_url("change_status", barmm_exchange.pk),
        admin_url("history", barmm_exchange.pk),
        admin_url("inspect", barmm_exchange.pk),
        admin_url("delete", barmm_exchange.pk),
    ]
    for url in urls:
        assert outsider.get(url).status_code in (302, 403), url

    posts = [
        (admin_url("add"), create_form_data(provider=member("bgd-a2i").pk, learner=member("tur").pk)),
        (admin_url("edit", barmm_exchange.pk), edit_form_data(barmm_exchange, summary="Hijacked")),
        (admin_url("change_status", barmm_exchange.pk), {"status": S.DROPPED}),
        (admin_url("delete", barmm_exchange.pk), {}),
    ]
    for url, data in posts:
        assert outsider.post(url, data).status_code in (302, 403), url

    barmm_exchange.refresh_from_db()
    assert barmm_exchange.status == S.PROPOSED and barmm_exchange.summary == ""
    assert Exchange.objects.count() == 2
    assert barmm_exchange.status_changes.count() == 1


def test_a_member_page_lists_its_exchanges_as_involving_orders_them(client, secretary, barmm_exchange):
    a2i = member("bgd-a2i")
    dated = create_exchange(
        provider=member("phl-barmm"),
        learner=member("cod"),
        facilitator=a2i,
        date=datetime.date(2024, 5, 2),
        summary="Shared the playbook.",
        user=secretary,
    )

    listed = list(Exchange.objects.listed_for(a2i))

    assert [exchange.key for exchange in listed] == [exchange.key for exchange in Exchange.objects.involving(a2i)]
    assert listed.index(next(e for e in listed if e.key == dated.key)) < listed.index(
        next(e for e in listed if e.key == barmm_exchange.key)  # undated: last
    )
    html = client.get(a2i.url).content.decode()
    assert f'<li id="exchange-{dated.key}">' in html
    assert f'<a href="{member("phl-barmm").url}">{member("phl-barmm").title}</a> → ' in html
    assert f"(facilitated by {a2i.title})" in html and "2 May 2024" in html and "Shared the playbook." in html
