"""What keeps robots off the forms anyone can send without an account: a rate limit per client and per target
address, and a honeypot field.

Rate limits count in the default cache (shared by every web process with Redis), in fixed windows: at most
`count` sends in `seconds` per scope and key. Over it, the view answers 429 with the form as it was sent and a
message that says when to try again (`too_many_message()`). The limits are generous, since a whole ministry may
reach the site from one address: they stop a script sending hundreds of forms, not a delegation registering one
by one. When the cache cannot count (the server is down), nothing is limited. `RATE_LIMITS` in the settings (env
`RATE_LIMITS`: `scope=count/seconds` pairs, or `off`) sets them.

The honeypot is a text field that people do not see (hidden from the eye and from screen readers) and robots
fill in. A form whose honeypot is filled is answered as if it had worked, and nothing is done.
"""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

#: The honeypot's field name: one that form-filling robots like to fill.
HONEYPOT_FIELD = "website_url"


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or the header a trusted proxy sets (RATE_LIMIT_IP_HEADER, e.g.
    HTTP_X_REAL_IP) when the site runs behind one."""
    header = getattr(settings, "RATE_LIMIT_IP_HEADER", "")
    forwarded = request.META.get(header, "") if header else ""
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def over_limit(scope, key):
    """Count one send of `scope` for `key` (a client address, an e-mail address); the seconds to wait when this
    send is over the limit, else 0."""
    limit = getattr(settings, "RATE_LIMITS", {}).get(scope)
    if not limit or not key:
        return 0
    count, seconds = limit
    cache_key = "ratelimit:" + hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()
    try:
        cache.add(cache_key, 0, timeout=seconds)
        sent = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr(), or the cache cannot be reached
        return 0
    except Exception as error:  # noqa: BLE001 (any cache backend's error: limiting must never break a form)
        logger.warning("Rate limit %s not counted: %r", scope, error)
        return 0
    return seconds if sent > count else 0


def wait_for(request, scope, *emails):
    """Count this send of `scope` for the request's client address and for each of `emails` (the addresses the
    form would write to, under `scope` + "-email"): the seconds to wait when it is over a limit, else 0."""
    wait = over_limit(scope, client_address(request))
    for address in emails:
        wait = wait or over_limit(f"{scope}-email", (address or "").strip().lower())
    return wait


def too_many_message(wait):
    """What the form says when it was sent too often: when to try again."""
    minutes = max(1, round(wait / 60))
    return ngettext(
        "This form was sent too many times from your connection or for this e-mail address. Nothing was sent: "
        "please try again in %(minutes)d minute.",
        "This form was sent too many times from your connection or for this e-mail address. Nothing was sent: "
        "please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class HoneypotInput(forms.TextInput):
    """The honeypot's input: templates render it out of sight and out of the accessibility tree."""

    is_honeypot = True


class HoneypotMixin(forms.Form):
    """Adds the honeypot field, last; `is_robot()` tells whether it was filled in."""

    website_url = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = self.fields.pop(HONEYPOT_FIELD)

    def is_robot(self):
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())
