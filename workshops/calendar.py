"""Calendar files: one workshop as an .ics event, and a feed of the upcoming workshops (RFC 5545, icalendar)."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//SSN4PSI//Workshops//EN"


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(workshop, url, *, with_link=False):
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@ssn4psi")
    event.add("summary", workshop.title)
    event.add("dtstamp", timezone.now())
    # In the venue's time zone, so calendars show the local time the organisers announced.
    event.add("dtstart", workshop.local_start)
    event.add("dtend", workshop.local_end)
    location = workshop.venue
    if with_link and workshop.online_link:
        location = f"{location} {workshop.online_link}".strip()
    if location:
        event.add("location", location)
    description = workshop.summary or ""
    if with_link and workshop.online_link:
        description = f"{description}\n\n{workshop.online_link}".strip()
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def workshop_calendar(workshop, url="", *, with_link=False):
    """The .ics bytes of one workshop; `with_link` adds the online link (for confirmed participants only)."""
    calendar = _calendar(workshop.title)
    calendar.add_component(_event(workshop, url, with_link=with_link))
    return calendar.to_ical()


def upcoming_calendar(workshops, base_url=""):
    """The .ics bytes of a feed of workshops (without their online links)."""
    calendar = _calendar(getattr(settings, "WAGTAIL_SITE_NAME", "SSN4PSI"))
    for workshop in workshops:
        calendar.add_component(_event(workshop, base_url + workshop.url if base_url else ""))
    return calendar.to_ical()
