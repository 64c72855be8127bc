"""Forms of the meeting agenda: creating a matchmaking workshop from pairings, proposing its agenda again,
and moving or adding a meeting by hand. They only parse input; workshops.agenda writes."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from ssn4psi.fields import IdMultipleChoiceField
from workshops.agenda_models import MeetingAgenda


def _limits(field_name):
    field = MeetingAgenda._meta.get_field(field_name)
    bounds = {type(v).__name__: v.limit_value for v in field.validators}
    return {"min_value": bounds["MinValueValidator"], "max_value": bounds["MaxValueValidator"]}


class AgendaSettingsForm(forms.Form):
    """The settings the optimiser works with: tables, meetings per delegation, slot length."""

    tables = forms.IntegerField(label=_("Number of tables"), initial=10, **_limits("tables"))
    max_per_learner = forms.IntegerField(
        label=_("Meetings per learner delegation, at most (k)"),
        initial=3,
        **_limits("max_meetings_per_learner"),
    )
    max_per_provider = forms.IntegerField(
        label=_("Meetings per provider delegation, at most (c)"),
        initial=3,
        **_limits("max_meetings_per_provider"),
    )
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"),
        initial=30,
        help_text=_("Slots follow each other from the workshop's start to its end."),
        **_limits("slot_minutes"),
    )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MatchmakingWorkshopForm(AgendaSettingsForm):
    """A new matchmaking workshop: what, when, where, and the exchanges and recommendations it pairs.
    Start and end are read as the venue's local time (in `time_zone`)."""

    title = forms.CharField(label=_("Title"), max_length=255)
    start = forms.DateTimeField(label=_("Start (venue's local time)"), widget=LocalDateTimeInput())
    end = forms.DateTimeField(label=_("End (venue's local time)"), widget=LocalDateTimeInput())
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="UTC")
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    exchanges = IdMultipleChoiceField(
        label=_("Exchanges"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    recommendations = IdMultipleChoiceField(
        label=_("Recommended pairings (each becomes a proposed exchange)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["title", "start", "end", "time_zone", "venue"]

    #: Recommendations offered network-wide: each learner's first ones (others come preselected by id).
    RANKS_OFFERED = 3

    def __init__(self, *args, selected_recommendations=(), **kwargs):
        from matchmaking.models import Exchange, PartnerRecommendation
        from workshops.models import time_zone_choices

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["exchanges"].queryset = (
            Exchange.objects.active()
            .select_related("provider", "learner")
            .order_by("provider__title", "learner__title")
        )
        self.fields["exchanges"].label_from_instance = lambda e: (
            _("%(provider)s → %(learner)s (%(status)s)")
            % {
                "provider": e.provider.title,
                "learner": e.learner.title,
                "status": e.get_status_display(),
            }
        )
        self.fields["recommendations"].queryset = (
            (
                PartnerRecommendation.objects.filter(rank__lte=self.RANKS_OFFERED)
                | PartnerRecommendation.objects.filter(
                    pk__in=[int(pk) for pk in selected_recommendations if str(pk).isdigit()]
                )
            )
            .select_related("provider", "learner")
            .order_by("-score", "learner__title", "rank")
        )
        self.fields["recommendations"].label_from_instance = lambda r: (
            _("%(provider)s → %(learner)s (score %(score).2f)")
            % {"provider": r.provider.title, "learner": r.learner.title, "score": r.score}
        )

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("start", "end"):
                if data.get(name):  # the wall-clock time typed, at the venue
                    data[name] = data[name].replace(tzinfo=None).replace(tzinfo=zone)
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The workshop must end after it starts."))
        if not data.get("exchanges") and not data.get("recommendations") and not self.has_error("exchanges"):
            self.add_error("exchanges", _("Select at least one exchange or recommended pairing."))
        return data


class ProposeAgainForm(AgendaSettingsForm):
    """The settings again, and a confirmation: the proposal replaces every meeting, hand edits included."""

    confirm = forms.BooleanField(
        label=_("Replace the current meetings, hand edits included"),
        error_messages={"required": _("Tick this box to confirm that the current meetings are replaced.")},
    )


def slot_choices(agenda):
    """(0-based slot, "Slot 1 · 09:00–09:30") for every slot of the agenda."""
    return [
        (
            slot,
            _("Slot %(number)s · %(start)s–%(end)s")
            % {
                "number": slot + 1,
                "start": agenda.slot_start(slot).strftime("%H:%M"),
                "end": agenda.slot_end(slot).strftime("%H:%M"),
            },
        )
        for slot in range(agenda.slot_count)
    ]


class MeetingPlaceForm(forms.Form):
    """Where a meeting goes: a slot and a table of the agenda."""

    slot = forms.TypedChoiceField(label=_("Slot"), coerce=int)
    table = forms.TypedChoiceField(label=_("Table"), coerce=int)

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices(agenda)
        self.fields["table"].choices = [(n, str(n)) for n in range(1, agenda.tables + 1)]


class AddMeetingForm(MeetingPlaceForm):
    """A meeting added by hand: a provider delegation, a learner delegation, a slot and a table."""

    provider = forms.ModelChoiceField(label=_("Provider delegation"), queryset=None)
    learner = forms.ModelChoiceField(label=_("Learner delegation"), queryset=None)
    field_order = ["provider", "learner", "slot", "table"]

    def __init__(self, *args, **kwargs):
        from members.models import MemberPage

        super().__init__(*args, **kwargs)
        members = MemberPage.objects.order_by("title").only("pk", "title")
        self.fields["provider"].queryset = members
        self.fields["learner"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("provider") and data.get("learner") and data["provider"].pk == data["learner"].pk:
            self.add_error("learner", _("A delegation cannot meet itself."))
        return data
