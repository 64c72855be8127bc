"""A participant's whole journey, as a person does it: find a workshop, register, confirm from the e-mailed
link, get the calendar file, cancel."""

import datetime
import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.test_browsing import _artifact

pytestmark = pytest.mark.browser


@pytest.fixture
def open_workshop(browser_world, eager_tasks):
    """An upcoming virtual workshop with places, on the live server (made before Playwright starts)."""
    from django.utils import timezone

    from network.site import ensure_site
    from workshops.models import WorkshopPage

    start = timezone.now() + datetime.timedelta(days=12)
    index = ensure_site().workshops
    index.add_child(
        instance=WorkshopPage(
            title="DR Congo and a2i: knowledge-sharing session",
            kind="knowledge_sharing",
            format="virtual",
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="Africa/Kinshasa",
            online_link="https://meet.example.org/cod-a2i",
            summary="a2i presents myGov and the SDG Tracker.",
            capacity=30,
        )
    )
    return browser_world


def _link_in_last_mail(pattern, live_server):
    """The last e-mail and the path of its link matching `pattern`, on the live server. E-mails carry the
    site's configured address (WAGTAILADMIN_BASE_URL), which the test server does not listen on."""
    from django.conf import settings

    assert mail.outbox, "no e-mail was sent"
    message = mail.outbox[-1]
    found = re.search(re.escape(settings.WAGTAILADMIN_BASE_URL) + r"(" + pattern + r"\S*/)", message.body)
    assert found, f"no link matching {pattern!r} in: {message.body}"
    return message, live_server.url + found.group(1)


def test_register_confirm_calendar_cancel(open_workshop, page):
    page.goto(open_workshop.url + "/workshops/")
    page.get_by_role("link", name="DR Congo and a2i: knowledge-sharing session").click()
    expect(page.get_by_role("heading", name="Register", exact=True)).to_be_visible()

    # Submitting without the required fields keeps what was typed and says what is missing.
    page.get_by_label("Full name").fill("Nzé Mbuyi")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Registration needs your consent to the privacy notice.")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Nzé Mbuyi")
    assert not mail.outbox

    page.get_by_label("E-mail address").fill("nze.mbuyi@numerique.gouv.cd")
    page.get_by_label("Organisation", exact=True).fill("Ministère du Numérique")
    page.get_by_label("Job title").fill("Directeur des services en ligne")
    page.get_by_label(re.compile("privacy notice")).check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    message, confirm_link = _link_in_last_mail("/registrations/confirm/", open_workshop)
    assert message.to == ["nze.mbuyi@numerique.gouv.cd"]
    page.goto(confirm_link)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("status")).to_contain_text("Confirmed")
    # Only a confirmed participant sees the online link.
    expect(page.get_by_role("link", name="https://meet.example.org/cod-a2i")).to_be_visible()
    page.screenshot(path=_artifact("registration-confirmed.png"), full_page=True)

    confirmation, _manage_link = _link_in_last_mail("/registrations/manage/", open_workshop)
    assert any(name.endswith(".ics") for name, _content, _type in confirmation.attachments)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add the workshop to my calendar (.ics)").click()
    with open(download_info.value.path(), "rb") as downloaded:
        calendar = Calendar.from_ical(downloaded.read())
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["DR Congo and a2i: knowledge-sharing session"]
    assert "https://meet.example.org/cod-a2i" in str(events[0].get("DESCRIPTION", "")) + str(
        events[0].get("LOCATION", "")
    )

    page.get_by_role("link", name="Cancel my registration…").click()  # asks first
    expect(page.get_by_role("status")).to_contain_text("Confirmed")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_role("status")).to_contain_text("Cancelled")
    expect(page.get_by_role("link", name="Cancel my registration…")).to_have_count(0)
    # The confirmation link is single-use: opening it again says so and changes nothing.
    page.goto(confirm_link)
    expect(page.get_by_role("alert")).to_contain_text("already used")
