"""Participants' privacy: see, download and delete their data through their manage link; the purge of old
registrations. Deleting anonymises, frees the place for the next person, kills the link, keeps the counts."""

import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tests.workshops.people import move, participant
from workshops.models import Feedback, Registration
from workshops.models import RegistrationStatus as S
from workshops.privacy import anonymise, purge_registrations
from workshops.tokens import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def manage_url(registration):
    return f"/registrations/manage/{make_token(registration, 'manage')}/"


def test_participant_sees_and_downloads_everything_held(client, workshop):
    registration = participant(workshop, 1, name="Nzé Mbuyi", job_title="Directrice", accessibility_needs="Ramp")
    Feedback.objects.create(registration=registration, rating=5, most_useful="Le tableau de bord")
    base = manage_url(registration)
    assert f'{base}data/"' in client.get(base).content.decode()
    page = client.get(f"{base}data/").content.decode()
    for value in ("Nzé Mbuyi", "participant1@gouv.cd", "Directrice", "Ramp", "Le tableau de bord"):
        assert value in page
    export = client.get(f"{base}data.json")
    assert export["Content-Type"] == "application/json" and "attachment" in export["Content-Disposition"]
    data = json.loads(export.content)
    assert data["registration"]["name"] == "Nzé Mbuyi" and data["registration"]["email"] == "participant1@gouv.cd"
    assert data["registration"]["accessibility_needs"] == "Ramp" and data["registration"]["status"] == "confirmed"
    assert data["feedback"]["rating"] == 5 and data["workshop"]["title"] == workshop.title


def test_forged_and_expired_links_see_nothing(client, workshop, monkeypatch):
    from workshops import tokens

    registration = participant(workshop, 1)
    base = manage_url(registration)
    forged = base.replace("/manage/", "/manage/x")
    for suffix in ("data/", "data.json", "data/delete/"):
        response = client.get(forged + suffix)
        assert response.status_code == 400 and "participant1@gouv.cd" not in response.content.decode()
    assert client.post(forged + "data/delete/").status_code == 400
    monkeypatch.setitem(tokens.MAX_AGE, "manage", -1)
    for suffix in ("data/", "data.json"):
        response = client.get(base + suffix)
        assert response.status_code == 400 and "participant1@gouv.cd" not in response.content.decode()
    assert client.post(base + "data/delete/").status_code == 400
    assert Registration.objects.get().anonymised_at is None


def test_deleting_asks_first_then_wipes_frees_the_place_and_kills_the_link(
    client, make_workshop, eager_tasks, django_capture_on_commit_callbacks
):
    from members.models import MemberPage

    workshop = make_workshop(capacity=1)
    cod = MemberPage.objects.get(key="cod")
    leaving = participant(workshop, 1, name="Nzé Mbuyi", member=cod, job_title="Directrice", public_listing=True)
    waiting = participant(workshop, 2)
    Feedback.objects.create(registration=leaving, rating=4, most_useful="Names here", next_steps="More names")
    base = manage_url(leaving)
    confirm_page = client.get(f"{base}data/delete/").content.decode()
    assert "Yes, delete my data" in confirm_page and "your place offered to the next person" in confirm_page
    assert Registration.objects.get(pk=leaving.pk).anonymised_at is None  # a GET only asks

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}data/delete/")
    assert response.status_code == 200 and "Your personal data has been deleted" in response.content.decode()
    gone = Registration.objects.get(pk=leaving.pk)
    assert gone.anonymised_at and gone.status == S.CANCELLED
    assert (gone.name, gone.job_title, gone.accessibility_needs) == ("", "", "")
    assert gone.email == f"anonymised-{gone.pk}@invalid" and not gone.public_listing
    assert (gone.member, gone.country, gone.organisation) == (cod, "COD", "Ministère du Numérique")  # counts
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.most_useful, feedback.next_steps) == (4, "", "")
    assert Registration.objects.get(pk=waiting.pk).status == S.PROMOTED  # the next person gets the place
    assert [message.to for message in mail.outbox] == [["participant2@gouv.cd"]]  # nothing to the wiped address
    for suffix in ("", "data/", "data.json", "certificate.pdf"):
        assert client.get(base + suffix).status_code == 400  # the link is dead
    assert "Nzé Mbuyi" not in client.get(workshop.url).content.decode()


def test_the_admin_history_forgets_the_name(client, workshop, secretary):
    registration = participant(workshop, 1, name="Nzé Mbuyi")
    client.force_login(secretary)
    edit = f"/admin/registrations/edit/{registration.pk}/"
    form = {"name": "Nzé Mbuyi-Kasa", "organisation": "Ministère du Numérique", "country": "COD", "role": "delegate"}
    response = client.post(edit, form)
    assert response.status_code == 302, response.context["form"].errors
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "Nzé Mbuyi-Kasa" in history  # the edit is in the admin's history, under the person's name

    anonymise(Registration.objects.get(pk=registration.pk))
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "Nzé Mbuyi" not in history and f"Anonymised registration {registration.pk}" in history
    assert "Nzé Mbuyi" not in client.get(f"/admin/registrations/history/{registration.pk}/").content.decode()


def test_an_attended_registration_stays_attended_once_anonymised(workshop):
    registration = participant(workshop, 1, attended=True)
    anonymised = anonymise(registration)
    assert anonymised.status == S.ATTENDED and anonymised.name == "" and anonymised.anonymised_at
    first = anonymised.anonymised_at
    assert anonymise(registration).anonymised_at == first  # twice changes nothing


def test_several_anonymised_registrations_of_one_workshop_coexist(workshop):
    for number in range(3):
        anonymise(participant(workshop, number, attended=True))
    assert Registration.objects.filter(anonymised_at__isnull=False).count() == 3


@pytest.mark.parametrize("sessions", [1, 8])
def test_data_page_queries_are_pinned(client, workshop, django_assert_max_num_queries, sessions):
    import datetime

    from workshops.models import Session

    created = [
        Session.objects.create(
            workshop=workshop,
            title=f"Session {n}",
            start=workshop.start,
            end=workshop.start + datetime.timedelta(hours=1),
        )
        for n in range(sessions)
    ]
    registration = participant(workshop, 1)
    registration.sessions.set(created)
    url = manage_url(registration) + "data/"
    with django_assert_max_num_queries(6):
        page = client.get(url)
    assert page.content.decode().count("Session ") >= sessions


@pytest.fixture
def old_and_recent(make_workshop):
    old, recent = make_workshop(title="Old workshop"), make_workshop(title="Recent workshop")
    old_people = [participant(old, n, attended=n % 2 == 0) for n in range(3)]
    recent_people = [participant(recent, n) for n in range(2)]
    move(old, started_days_ago=400)
    move(recent, started_days_ago=30)
    return old_people, recent_people


def test_purge_anonymises_old_workshops_only_and_is_idempotent(old_and_recent):
    old_people, recent_people = old_and_recent
    from io import StringIO

    out = StringIO()
    call_command("purge_registrations", "--older-than", "365", "--dry-run", stdout=out)
    assert "3 registrations would be anonymised" in out.getvalue()
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()  # a dry run writes nothing

    call_command("purge_registrations", "--older-than", "365", stdout=out)
    assert "3 registrations anonymised" in out.getvalue()
    for person in old_people:
        wiped = Registration.objects.get(pk=person.pk)
        assert wiped.anonymised_at and wiped.name == "" and wiped.status == person.status  # statuses kept
        assert wiped.country == "COD"
    assert not Registration.objects.filter(pk__in=[p.pk for p in recent_people], anonymised_at__isnull=False)
    assert purge_registrations(older_than_days=365) == 0  # again: nothing left to do
    assert purge_registrations(older_than_days=7) == 2  # the recent ones too, when asked


def test_purge_default_comes_from_the_setting(old_and_recent, settings):
    from io import StringIO

    settings.WORKSHOPS_REGISTRATION_RETENTION_DAYS = 10
    out = StringIO()
    call_command("purge_registrations", "--dry-run", stdout=out)
    assert "5 registrations would be anonymised (workshops ended over 10 days ago)" in out.getvalue()


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", ""])
def test_purge_refuses_bad_input_and_writes_nothing(old_and_recent, value):
    with pytest.raises(CommandError, match="older-than"):
        call_command("purge_registrations", "--older-than", value)
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()


def test_purge_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "purge_registrations", "--older-than", "-3"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "ssn4psi.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0 and "negative" in result.stderr
