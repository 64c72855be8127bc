"""The public registration form, and the sessions field shared with the delegation form."""

from django import forms
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.models import MemberPage, country_choices
from ssn4psi import site_pages
from ssn4psi.antispam import HONEYPOT_FIELD, HoneypotMixin
from ssn4psi.fields import IdChoiceField, IdMultipleChoiceField
from ssn4psi.models import InformationPageRole
from workshops.models import Registration, Session
from workshops.questions import QuestionsMixin


class SessionCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes grouped by track; a full session is shown, disabled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.full = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.full:
            option["attrs"]["disabled"] = True
        return option


class SessionsField(IdMultipleChoiceField):
    """The sessions of a workshop to choose from, grouped by track, each with its day, local time and places
    left. A full session cannot be chosen: the field says which one is full."""

    widget = SessionCheckboxes

    def __init__(self, workshop, **kwargs):
        sessions = list(Session.objects.filter(workshop=workshop).with_places_left().order_by("start", "sort_order"))
        super().__init__(queryset=Session.objects.filter(workshop=workshop), required=False, **kwargs)
        self.sessions = {session.pk: session for session in sessions}
        tracks = {}
        for session in sessions:
            tracks.setdefault(session.track or str(_("All participants")), []).append(
                (session.pk, self.describe(session, workshop.zone))
            )
        self.widget.choices = list(tracks.items())
        self.widget.full = {str(session.pk) for session in sessions if session.places_left == 0}

    @staticmethod
    def describe(session, zone):
        label = session.title
        if session.start:
            start = timezone.localtime(session.start, zone)
            label += f" — {formats.date_format(start, 'D j M, H:i')}"
            if session.end:
                label += f"–{formats.time_format(timezone.localtime(session.end, zone), 'H:i')}"
        left = session.places_left
        if left is None:
            return label
        if left == 0:
            return f"{label} ({_('full')})"
        places = ngettext("%(count)d place left", "%(count)d places left", left) % {"count": left}
        return f"{label} ({places})"

    def clean(self, value):
        chosen = super().clean(value)
        for session in chosen:
            if self.sessions.get(session.pk) and self.sessions[session.pk].places_left == 0:
                raise forms.ValidationError(
                    _("The session “%(title)s” is full: choose another one."), params={"title": session.title}
                )
        return chosen


def privacy_consent_label():
    """The consent box's label, its "privacy notice" a link to the privacy notice in the reader's language (safe
    HTML; the same words as registration_link.html's, so one translation serves both), or plain words while no
    privacy notice is live and public."""
    url = site_pages.url_of(InformationPageRole.PRIVACY)
    if not url:
        return gettext("I agree that the organisers keep these details to run the workshop (privacy notice).")
    label = gettext(
        'I agree that the organisers keep these details to run the workshop (<a href="%(privacy_url)s">privacy '
        "notice</a>)."
    )
    return mark_safe(label % {"privacy_url": escape(url)})


#: The most a free-text answer may hold (a few paragraphs), so that no one can store megabytes through a form.
LONG_TEXT = 2000


class LinksForm(HoneypotMixin, forms.Form):
    """ "Send me my links": the address a person registered with."""

    email = forms.EmailField(
        label=_("E-mail address you registered with"), help_text=_("We send your links to it again.")
    )


class RegistrationForm(HoneypotMixin, QuestionsMixin, forms.Form):
    """What a person gives to register to a workshop, without an account."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We send the confirmation link there."))
    member = IdChoiceField(
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
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree that the organisers keep these details to run the workshop (privacy notice)."),
        error_messages={"required": _("Registration needs your consent to the privacy notice.")},
    )
    public_listing = forms.BooleanField(label=_("Show my name on the public list of participants."), required=False)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        # A public form: it offers the members whose pages are live and public.
        self.fields["member"].queryset = MemberPage.objects.live().public().order_by("title").only("title")
        self.fields["country"].choices = [("", "—"), *country_choices()]
        if workshop.pk:
            sessions = SessionsField(workshop, label=_("Sessions"))
            if sessions.sessions:
                # After the role, before accessibility needs: where a person looks for it.
                fields = list(self.fields.items())
                at = [name for name, _field in fields].index("accessibility_needs")
                self.fields = dict(fields[:at] + [("sessions", sessions)] + fields[at:])
        self.fields["privacy_consent"].label = privacy_consent_label()
        self.add_questions(workshop.questions.all() if workshop.pk else ())
        for name in ("privacy_consent", "public_listing"):  # the consent last, after the questions
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("member") and not (cleaned.get("organisation") or "").strip():
            self.add_error("organisation", _("Choose your organisation in the list or write its name."))
        return cleaned

    def registration_details(self):
        """The cleaned data as keyword arguments of workshops.services.register."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith("question_") and name != HONEYPOT_FIELD
        }
        data.setdefault("sessions", [])
        data["answers"] = self.answers()
        return data


class DelegateForm(QuestionsMixin, forms.Form):
    """One person of a delegation, as the member's focal point gives it. The delegate consents to the privacy
    notice themselves, when they confirm their e-mail address."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Registration.Role.choices, initial=Registration.Role.DELEGATE)
    language = forms.ChoiceField(label=_("Language of the e-mails"))
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, workshop, sessions_field=None, questions=(), **kwargs):
        from django.conf import settings
        from django.utils.translation import get_language

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].initial = (get_language() or "en").split("-")[0]
        if sessions_field is not None:
            # One copy per row of the field built once for the formset (one query for all rows).
            import copy

            field = copy.deepcopy(sessions_field)
            # Deep-copying a model choice field resets its choices to a query: keep the ones already built.
            field.sessions, field.widget.choices = sessions_field.sessions, sessions_field.widget.choices
            field.widget.full = sessions_field.widget.full
            self.fields["sessions"] = field
        self.add_questions(questions)

    def person(self):
        """The cleaned row as one person of workshops.delegations.register_delegation."""
        data = {name: value for name, value in self.cleaned_data.items() if not name.startswith("question_")}
        data.setdefault("sessions", [])
        data["answers"] = self.answers()
        return data


class BaseDelegateFormSet(forms.BaseFormSet):
    """The rows of a delegation: blank rows are skipped; an e-mail address given twice is an error on the
    second row."""

    def __init__(self, *args, workshop, **kwargs):
        sessions = SessionsField(workshop, label=_("Sessions"))
        questions = list(workshop.questions.all())
        kwargs["form_kwargs"] = {
            "workshop": workshop,
            "sessions_field": sessions if sessions.sessions else None,
            "questions": questions,
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        seen = set()
        for form in self.forms:
            email = (form.cleaned_data.get("email") or "").strip().lower() if form.has_changed() else ""
            if not email:
                continue
            if email in seen:
                form.add_error("email", _("This e-mail address is already in the delegation."))
            seen.add(email)
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Give at least one person."))

    def people(self):
        """(form, person) for each filled row, in order."""
        return [(form, form.person()) for form in self.forms if form.has_changed()]


DelegateFormSet = forms.formset_factory(DelegateForm, formset=BaseDelegateFormSet, extra=3, max_num=60)


class DelegationForm(forms.Form):
    """Which member the delegation represents (asked only of focal points of several members)."""

    member = IdChoiceField(
        label=_("Member"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("You can register a delegation only for a member whose focal point you are.")
        },
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
