"""The public registration form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import country_choices
from workshops.models import Registration


class RegistrationForm(forms.Form):
    """What a person gives to register to a workshop, without an account."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We send the confirmation link there."))
    member = forms.ModelChoiceField(
        label=_("Organisation in the network"),
        queryset=None,
        required=False,
        empty_label=_("Not listed"),
        help_text=_("Or write its name below."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Registration.Role.choices, initial=Registration.Role.DELEGATE)
    sessions = forms.ModelMultipleChoiceField(
        label=_("Sessions"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree that the organisers keep these details to run the workshop (privacy notice)."),
        error_messages={"required": _("Registration needs your consent to the privacy notice.")},
    )
    public_listing = forms.BooleanField(label=_("Show my name on the public list of participants."), required=False)

    def __init__(self, *args, workshop, **kwargs):
        from members.models import MemberPage

        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.fields["member"].queryset = MemberPage.objects.live().order_by("title").only("title")
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["sessions"].queryset = workshop.sessions.all()
        if not workshop.pk or not self.fields["sessions"].queryset.exists():
            del self.fields["sessions"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("member") and not (cleaned.get("organisation") or "").strip():
            self.add_error("organisation", _("Choose your organisation in the list or write its name."))
        return cleaned

    def registration_details(self):
        """The cleaned data as keyword arguments of workshops.services.register."""
        data = dict(self.cleaned_data)
        data.setdefault("sessions", [])
        return data
