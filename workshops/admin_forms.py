"""The workshop editor in the venue's time.

A workshop's dates and times (its start and end, its registration window, its sessions') are typed and shown
in the venue's time zone, the page's `time_zone`, whatever the editor's own or the server's: an organiser in
Dhaka types 09:00 for a workshop in Dhaka and the page, e-mails and calendars say 09:00 Dhaka time. A zone
changed in the same form applies to the times typed with it. A time that does not exist in the venue's zone
(skipped by a daylight saving change) or happens twice is refused with a message, by Django's own check.
"""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

#: The page's fields that hold a moment.
PAGE_MOMENTS = ("start", "end", "registration_opens", "registration_closes")
#: Its sessions' (the "sessions" inline).
SESSION_MOMENTS = ("start", "end")


def show_in_zone(form, names, zone):
    """Show the moments `names` of an unbound or bound `form`'s initial values as wall-clock times in `zone`."""
    for name in names:
        value = form.initial.get(name)
        if name in form.fields and isinstance(value, datetime.datetime) and timezone.is_aware(value):
            form.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)


class WorkshopPageForm(WagtailAdminPageForm):
    """WorkshopPage's editor form: its moments in the venue's time zone (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.zone()
        sessions = self.formsets["sessions"].forms if "sessions" in self.formsets else []
        label = _("In the venue's time zone (%(zone)s).") % {"zone": self.instance.zone.key}
        for form, names in [(self, PAGE_MOMENTS)] + [(form, SESSION_MOMENTS) for form in sessions]:
            show_in_zone(form, names, zone)
            for name in names:
                if name in form.fields:
                    own = form.fields[name].help_text
                    form.fields[name].help_text = f"{own} {label}" if own else label

    def zone(self):
        """The venue's time zone: the one submitted with the form (its field reports one that does not exist),
        else the page's (WorkshopPage.zone)."""
        submitted = self.data.get(self.add_prefix("time_zone")) if self.is_bound else None
        try:
            return zoneinfo.ZoneInfo(submitted) if submitted else self.instance.zone
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return self.instance.zone

    def is_valid(self):
        # Typed times are read in the venue's zone: Django's DateTimeField makes them aware in the current one.
        with timezone.override(self.zone()):
            return super().is_valid()
