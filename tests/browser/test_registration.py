"""What a person sees of workshop registration: the timetable and the form (sessions by track, a full one
disabled, the organisers' questions), and a focal point registering a delegation."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_browsing import _artifact

pytestmark = pytest.mark.browser


@pytest.fixture
def workshop_world(browser_world):
    """A two-day workshop with three tracks, a full clinic and two questions; DR Congo's focal point with a
    password. Made before the browser starts (no ORM while Playwright's event loop runs)."""
    from django.utils import timezone

    from members.models import MemberPage
    from members.services import create_focal_point
    from network.site import ensure_site
    from workshops import services
    from workshops.models import Question, QuestionKind, Session, WorkshopPage

    start = (timezone.now() + datetime.timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)
    workshop = ensure_site().workshops.add_child(
        instance=WorkshopPage(
            title="Digital public services: learning from myGov",
            kind="knowledge_sharing",
            format="hybrid",
            start=start,
            end=start + datetime.timedelta(days=1, hours=8),
            time_zone="Africa/Kinshasa",
            venue="Kinshasa",
            online_link="https://meet.example.org/mygov",
            capacity=40,
        )
    )
    hour = datetime.timedelta(hours=1)
    for title, track, offset, capacity in [
        ("Opening: myGov in five minutes", "Plenary", 0, None),
        ("Service design clinic", "Practice", 1, 1),
        ("Digital payments lab", "Practice", 3, 12),
        ("Visit to a one-stop centre", "Visits", 24, 15),
    ]:
        Session.objects.create(
            workshop=workshop,
            title=title,
            track=track,
            start=start + offset * hour,
            end=start + (offset + 1) * hour,
            capacity=capacity,
        )
    Question.objects.create(
        workshop=workshop, sort_order=0, label="What do you hope to learn?", kind=QuestionKind.LONG_TEXT, required=True
    )
    Question.objects.create(
        workshop=workshop,
        sort_order=1,
        label="Breakout language",
        kind=QuestionKind.CHOICE,
        choices="French\nEnglish",
        required=True,
    )
    clinic = Session.objects.get(title="Service design clinic")
    services.confirm(
        services.register(
            workshop,
            name="Early Bird",
            email="early@gouv.cd",
            organisation="x",
            privacy_consent=True,
            sessions=[clinic],
        )
    )
    person, _created = create_focal_point(MemberPage.objects.get(key="cod"), email="focal@gouv.cd")
    person.set_password("a-long-test-password")
    person.save()
    return {"url": browser_world.url, "path": workshop.url, "pk": workshop.pk}


def test_a_person_registers_choosing_sessions_and_answering(workshop_world, page):
    page.goto(workshop_world["url"] + workshop_world["path"])
    programme = page.get_by_role("region", name="Programme")
    expect(programme).to_be_visible()
    expect(programme.get_by_text("09:00").first).to_be_visible()  # 08:00 UTC, local time in Kinshasa
    assert page.get_by_role("checkbox", name=re.compile("Service design clinic.*full")).is_disabled()
    page.get_by_label("Full name").fill("Amina Diallo")
    page.get_by_label("E-mail address").fill("amina@gouv.cd")
    page.get_by_label("Organisation", exact=True).fill("Ministère du Numérique")
    page.get_by_role("checkbox", name=re.compile("Digital payments lab.*12 places left")).check()
    page.get_by_label("What do you hope to learn?").fill("How to join up services.")
    page.get_by_role("radio", name="French").check()
    page.get_by_role("checkbox", name=re.compile("I agree that the organisers")).check()
    page.screenshot(path=_artifact("workshop-registration-form.png"), full_page=True)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()


def test_a_focal_point_registers_a_delegation(workshop_world, page):
    page.goto(workshop_world["url"] + f"/workshops/{workshop_world['pk']}/delegation/")
    page.get_by_label("Username").fill("focal@gouv.cd")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page.get_by_role("heading", name="Register a delegation")).to_be_visible()
    for index, (name, email) in enumerate([("Jean Mbala", "jean@gouv.cd"), ("Aline Kabila", "aline@gouv.cd")]):
        row = page.get_by_role("group", name=f"Person {index + 1}")
        row.get_by_label("Full name").fill(name)
        row.get_by_label("E-mail address").fill(email)
        row.get_by_label("What do you hope to learn?").fill("Payments.")
        row.get_by_role("radio", name="English").check()
    page.screenshot(path=_artifact("workshop-delegation-form.png"), full_page=True)
    page.get_by_role("button", name="Register the delegation").click()
    expect(page.get_by_role("heading", name="Delegation registered")).to_be_visible()
    expect(page.get_by_text("jean@gouv.cd")).to_be_visible()
    expect(page.get_by_text("aline@gouv.cd")).to_be_visible()
    page.screenshot(path=_artifact("workshop-delegation-done.png"), full_page=True)
