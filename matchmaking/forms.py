"""Admin forms for exchanges: creating one, editing its description and outcomes, changing its status.

The forms only parse input; the rules live in `matchmaking.services` and come back as form errors."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from matchmaking.models import Exchange
from matchmaking.services import ExchangeError, allowed_transitions, check_pairing
from ssn4psi.vocabulary import ExchangeStatus


def members():
    """Every member, by name, for the provider, learner and facilitator choices."""
    from members.models import MemberPage

    return MemberPage.objects.order_by("title")


def live_solutions():
    """The solutions an exchange may be about: the published ones, by name."""
    from solutions.models import SolutionPage

    return SolutionPage.objects.live().order_by("title")


class ExchangeForm(WagtailAdminModelForm):
    """The descriptive fields of an exchange; the pairing is checked by `check_pairing()`."""

    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=members(), help_text=_("The member sharing its solutions.")
    )
    learner = forms.ModelChoiceField(
        label=_("Learner"), queryset=members(), help_text=_("The member learning from the provider.")
    )
    facilitator = forms.ModelChoiceField(
        label=_("Facilitator"),
        queryset=members(),
        required=False,
        help_text=_("A third member supporting the exchange (triangular cooperation), if any."),
    )
    solutions = forms.ModelMultipleChoiceField(
        label=_("Solutions"),
        queryset=live_solutions(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The provider's solutions the exchange is about."),
    )

    class Meta:
        model = Exchange
        fields = ["provider", "learner", "facilitator", "solutions", "date", "summary"]
        labels = {"date": _("Date"), "summary": _("Summary")}
        widgets = {"date": AdminDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            from solutions.models import SolutionPage

            # A solution unpublished since stays selectable on the exchanges that already name it.
            self.fields["solutions"].queryset = SolutionPage.objects.filter(
                Q(live=True) | Q(pk__in=self.instance.solutions.values("pk"))
            ).order_by("title")

    def clean(self):
        cleaned_data = super().clean()
        provider, learner = cleaned_data.get("provider"), cleaned_data.get("learner")
        if provider is not None and learner is not None:
            try:
                check_pairing(
                    provider=provider,
                    learner=learner,
                    facilitator=cleaned_data.get("facilitator"),
                    exchange=self.instance,
                )
            except ExchangeError as error:
                # On the field at fault, so Django's own check of the same rule is not shown twice.
                self.add_error(error.field, error.message)
        return cleaned_data


class ExchangeCreateForm(ExchangeForm):
    """A new exchange, usually from a recommended pairing; the note goes into its first status change."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this exchange is proposed; kept in its status history."),
    )

    class Meta(ExchangeForm.Meta):
        fields = [*ExchangeForm.Meta.fields, "note"]


class ExchangeStatusForm(forms.Form):
    """A step in an exchange's life: the new status, when it happened, and a note."""

    status = forms.ChoiceField(label=_("New status"), choices=ExchangeStatus.choices)
    date = forms.DateField(
        label=_("Date"), required=False, widget=AdminDateInput, help_text=_("When it happened; today if left empty.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, exchange, **kwargs):
        self.exchange = exchange
        allowed = allowed_transitions(exchange.status)
        kwargs.setdefault("initial", {"status": allowed[0] if allowed else None})
        super().__init__(*args, **kwargs)
        if allowed:
            self.fields["status"].help_text = _("From “%(current)s” the exchange may move to: %(allowed)s.") % {
                "current": exchange.get_status_display(),
                "allowed": ", ".join(str(ExchangeStatus(status).label) for status in allowed),
            }
        else:
            self.fields["status"].help_text = _("This exchange is closed: its status cannot change any more.")
