"""Calendar files: one workshop as an .ics event, and a feed of the upcoming workshops (RFC 5545, icalendar).

Times are in the venue's time zone (TZID), and each zone used is described in the file (VTIMEZONE, over the
days the file's events span), so that every calendar program shows the local time the organisers announced."""

import datetime

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


def _with_time_zones(calendar, workshops):
    """The calendar's bytes, with a VTIMEZONE for each zone its events use, over the days they span."""
    days = [moment.date() for workshop in workshops for moment in (workshop.start, workshop.end) if moment]
    if days:
        one_day = datetime.timedelta(days=1)
        calendar.add_missing_timezones(first_date=min(days) - one_day, last_date=max(days) + one_day)
    return calendar.to_ical()


def workshop_calendar(workshop, url="", *, with_link=False):
    """The .ics bytes of one workshop; `with_link` adds the online link (for confirmed participants only)."""
    calendar = _calendar(workshop.title)
    calendar.add_component(_event(workshop, url, with_link=with_link))
    return _with_time_zones(calendar, [workshop])


def upcoming_calendar(workshops, base_url=""):
    """The .ics bytes of a feed of workshops (without their online links)."""
    workshops = list(workshops)
    calendar = _calendar(getattr(settings, "WAGTAIL_SITE_NAME", "SSN4PSI"))
    for workshop in workshops:
        calendar.add_component(_event(workshop, base_url + workshop.url if base_url else ""))
    return _with_time_zones(calendar, workshops)
