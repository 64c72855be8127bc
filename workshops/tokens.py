"""Signed links for people without an account: confirm, manage (see, cancel, export, delete), accept an offer.

A token names a registration and the purpose it was made for, and is signed with the site's secret (salted
per purpose). A confirmation or offer token also carries the status it was issued for, so it works once:
when the status has moved on, it is refused as used. A manage link works until the registration's data is due
for deletion: the retention period (WORKSHOPS_REGISTRATION_RETENTION_DAYS) after the workshop ends."""

import datetime

from django.core import signing
from django.utils import timezone

from workshops.privacy import retention_days

SALT = "workshops.registration"
#: Seconds a link works after it was made; a manage link's end is manage_link_expires() instead.
MAX_AGE = {"confirm": 7 * 24 * 3600, "accept": 14 * 24 * 3600, "manage": None}


def manage_link_expires(registration):
    """When the manage link of `registration` stops working: when its data is due for deletion, the retention
    period after the workshop ends (after the registration, for a workshop whose date is not recorded)."""
    return (registration.workshop.end or registration.created_at) + datetime.timedelta(days=retention_days())


class InvalidToken(Exception):
    """The link is forged, expired, or was already used; `reason` says which."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


def make_token(registration, purpose):
    payload = {"r": registration.pk, "p": purpose}
    if purpose in ("confirm", "accept"):
        payload["s"] = registration.status
    return signing.dumps(payload, salt=f"{SALT}.{purpose}", compress=True)


def read_token(token, purpose):
    """The registration a token names, or InvalidToken("forged" | "expired" | "used" | "unknown")."""
    from workshops.models import Registration

    try:
        payload = signing.loads(token, salt=f"{SALT}.{purpose}", max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise InvalidToken("expired") from None
    except signing.BadSignature:
        raise InvalidToken("forged") from None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise InvalidToken("forged")
    registration = Registration.objects.select_related("workshop").filter(pk=payload.get("r")).first()
    if registration is None or registration.anonymised_at:  # deleted at the participant's request
        raise InvalidToken("unknown")
    if "s" in payload and payload["s"] != registration.status:
        raise InvalidToken("used")
    if purpose == "manage" and timezone.now() > manage_link_expires(registration):
        raise InvalidToken("expired")
    return registration
