"""The e-mails of a registration's life, in the participant's language, with their links and calendar file."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from workshops.calendar import workshop_calendar
from workshops.tokens import make_token

#: Which template and links each event gets. Status changes use the status's own name.
EVENTS = {
    "confirm": {"links": ("confirm", "manage")},
    "delegate_confirm": {"links": ("confirm", "manage")},
    # Asked for again (workshops.services.send_links): the confirmation link only while it is still to use.
    "links": {"links": ("confirm", "manage")},
    "reminder": {"links": ("manage",), "calendar": True, "online_link": True},
    "pending_approval": {"links": ("manage",)},
    "confirmed": {"links": ("manage",), "calendar": True, "online_link": True},
    "waitlisted": {"links": ("manage",)},
    "promoted": {"links": ("accept", "manage")},
    "declined": {"links": ()},
    "cancelled": {"links": ()},
    "attended": {"links": ()},
}
ROUTES = {"confirm": "registration_confirm", "manage": "registration_manage", "accept": "registration_accept"}


def site_url():
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "http://localhost:8000").rstrip("/")


def registration_links(registration):
    """{purpose: absolute URL} of the signed links a participant may use now."""
    return {
        purpose: site_url() + reverse(ROUTES[purpose], args=[make_token(registration, purpose)]) for purpose in ROUTES
    }


def registration_email(registration, event):
    """The EmailMessage for `event` ("confirm" or a status), rendered in the participant's language."""
    spec = EVENTS[event]
    workshop = registration.workshop
    language = registration.language if registration.language in dict(settings.LANGUAGES) else "en"
    # Dates in the venue's time zone (the templates' date filter would otherwise show them in UTC).
    with translation.override(language), timezone.override(workshop.zone):
        links = {purpose: url for purpose, url in registration_links(registration).items() if purpose in spec["links"]}
        context = {
            "registration": registration,
            "workshop": workshop,
            "links": links,
            "workshop_url": site_url() + workshop.url if workshop.url else "",
            # The online link only to people holding a place, of workshops held online.
            "show_online_link": bool(spec.get("online_link") and workshop.format != "in_person"),
        }
        if spec.get("calendar"):
            zone = workshop.zone
            context["sessions"] = [
                (
                    session,
                    session.start and timezone.localtime(session.start, zone),
                    session.end and timezone.localtime(session.end, zone),
                )
                for session in registration.sessions.order_by("start")
            ]
        subject = render_to_string(f"workshops/email/{event}_subject.txt", context).strip()
        body = render_to_string(f"workshops/email/{event}.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[registration.email])
    if spec.get("calendar"):
        message.attach(
            "workshop.ics", workshop_calendar(workshop, context["workshop_url"], with_link=True), "text/calendar"
        )
    return message
