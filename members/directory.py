"""Filtering the member directory by region, kind and country."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ssn4psi.regions import REGIONS
from ssn4psi.vocabulary import MemberKind


def _country_choices():
    from members.models import country_choices

    return country_choices()


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string."""

    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *REGIONS])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *MemberKind.choices])
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=lambda: [("", _("All countries")), *_country_choices()]
    )

    def cleaned_filters(self):
        """ORM lookups for the valid, non-empty filters; an invalid one is reported and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
