"""A workshop's times are typed and shown in the venue's time zone in the editor, across daylight saving changes."""

import datetime
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration, Session, WorkshopPage
from workshops.tokens import make_token

UTC = datetime.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")  # summer time from 29 March 2026, 02:00 -> 03:00


class FormReader(HTMLParser):
    """What a browser would submit of the form with id `form_id`: its fields' current values."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.values.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def edit_form(admin_client, page):
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    reader = FormReader("page-edit-form")
    reader.feed(response.content.decode())
    return dict(reader.values), response.content.decode()


def publish(admin_client, page, changes):
    data, _html = edit_form(admin_client, page)
    data.update(changes, **{"action-publish": "action-publish"})
    return admin_client.post(f"/admin/pages/{page.pk}/edit/", data)


@pytest.fixture
def paris_workshop(make_workshop):
    return make_workshop(
        start=datetime.datetime(2026, 3, 27, 8, 0, tzinfo=UTC),  # 09:00 in Paris, winter time
        end=datetime.datetime(2026, 3, 27, 16, 0, tzinfo=UTC),
        time_zone="Europe/Paris",
    )


def test_the_editor_shows_the_venue_s_wall_clock_and_names_its_zone(admin_client, paris_workshop):
    data, html = edit_form(admin_client, paris_workshop)
    assert data["start"].startswith("2026-03-27 09:00")
    assert data["end"].startswith("2026-03-27 17:00")
    assert "In the venue&#x27;s time zone (Europe/Paris)." in html or "In the venue's time zone (Europe/Paris)." in html


def test_times_typed_are_the_venue_s_on_both_sides_of_a_daylight_saving_change(admin_client, paris_workshop):
    response = publish(admin_client, paris_workshop, {"start": "2026-03-30 09:00", "end": "2026-03-30 17:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = WorkshopPage.objects.get(pk=paris_workshop.pk)
    # Summer time: 09:00 in Paris is 07:00 UTC (it was 08:00 UTC three days before).
    assert saved.start == datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert saved.end == datetime.datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    page = admin_client.get(saved.url).content.decode()
    assert "30 March 2026, 09:00" in page and "(Europe/Paris)" in page


def test_a_zone_changed_with_the_times_applies_to_them(admin_client, paris_workshop):
    changes = {"start": "2026-06-01 09:00", "end": "2026-06-01 17:00", "time_zone": "Asia/Dhaka"}
    assert publish(admin_client, paris_workshop, changes).status_code == 302
    saved = WorkshopPage.objects.get(pk=paris_workshop.pk)
    assert saved.start == datetime.datetime(2026, 6, 1, 3, 0, tzinfo=UTC)  # Dhaka is UTC+6
    assert saved.local_start.hour == 9


def test_a_time_skipped_by_the_clocks_is_refused_and_nothing_is_saved(admin_client, paris_workshop):
    response = publish(admin_client, paris_workshop, {"start": "2026-03-29 02:30", "end": "2026-03-29 17:00"})
    assert response.status_code == 200
    assert "couldn’t be interpreted in time zone Europe/Paris" in response.content.decode()
    assert WorkshopPage.objects.get(pk=paris_workshop.pk).start == paris_workshop.start


def test_sessions_are_typed_in_the_venue_s_time_too(admin_client, paris_workshop):
    Session.objects.create(
        workshop=paris_workshop,
        title="Opening",
        start=datetime.datetime(2026, 3, 27, 8, 0, tzinfo=UTC),
        end=datetime.datetime(2026, 3, 27, 9, 0, tzinfo=UTC),
    )
    data, _html = edit_form(admin_client, paris_workshop)
    assert data["sessions-0-start"].startswith("2026-03-27 09:00")
    data.update({"sessions-0-start": "2026-03-27 10:00", "sessions-0-end": "2026-03-27 11:00"})
    data["action-publish"] = "action-publish"
    assert admin_client.post(f"/admin/pages/{paris_workshop.pk}/edit/", data).status_code == 302
    session = Session.objects.get(workshop=paris_workshop)
    assert session.start == datetime.datetime(2026, 3, 27, 9, 0, tzinfo=UTC)


def test_the_server_s_zone_does_not_change_what_is_saved(admin_client, paris_workshop, settings):
    with timezone.override(zoneinfo.ZoneInfo("America/Bogota")):
        assert publish(admin_client, paris_workshop, {"start": "2026-03-27 10:00"}).status_code == 302
    assert WorkshopPage.objects.get(pk=paris_workshop.pk).start == datetime.datetime(2026, 3, 27, 9, 0, tzinfo=UTC)


def test_a_freed_place_s_deadline_is_the_venue_s_time_in_the_e_mail_and_on_the_manage_page(
    make_workshop, client, eager_tasks, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1, time_zone="Asia/Dhaka")
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave when each step commits
        first, second = services.register(workshop, **details(1)), services.register(workshop, **details(2))
        services.confirm(first)
        services.confirm(second)
        services.cancel(first)
    offered = Registration.objects.get(pk=second.pk)
    deadline = timezone.localtime(offered.offer_expires_at, zoneinfo.ZoneInfo("Asia/Dhaka"))
    shown = f"{deadline:%-d %B %Y %H:%M} (Asia/Dhaka)"
    assert shown in mail.outbox[-1].body
    manage = client.get(f"/registrations/manage/{make_token(offered, 'manage')}/").content.decode()
    assert shown in manage
    assert "(UTC)" not in mail.outbox[-1].body + manage


@pytest.mark.parametrize("url", ["/workshops/{pk}.ics", "/workshops.ics"])
def test_calendars_describe_the_venue_s_zone_and_keep_its_wall_clock(url, make_workshop, client):
    start = datetime.datetime(timezone.now().year + 1, 7, 1, 7, 0, tzinfo=UTC)
    workshop = make_workshop(start=start, end=start + datetime.timedelta(hours=2), time_zone="Europe/Paris")
    calendar = Calendar.from_ical(client.get(url.format(pk=workshop.pk)).content)
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    event = next(event for event in calendar.walk("VEVENT") if str(event["UID"]) == f"workshop-{workshop.pk}@ssn4psi")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris" and zones == {"Europe/Paris"}
    # 07:00 UTC in July is 09:00 in Paris (summer time), as any calendar reading the VTIMEZONE shows it.
    assert event.decoded("DTSTART").strftime("%H:%M") == "09:00"
    assert calendar.get_missing_tzids() == set()
