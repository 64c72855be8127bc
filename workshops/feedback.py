"""Participants' feedback on a workshop, through their manage link, and its summary for the organisers.

Once the workshop has started, a participant who held a place (confirmed) or attended gives one feedback:
a rating from 1 to 5, what was most useful, what they will do next, and whether they want a follow-up
exchange. They can change it until WORKSHOPS_FEEDBACK_DAYS (14 by default) after the workshop ends."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workshops.checkin import organiser_view
from workshops.forms import LONG_TEXT
from workshops.models import Feedback, RegistrationStatus
from workshops.services import RegistrationError

#: Who may give feedback: people who held a place and those checked in.
MAY_GIVE_FEEDBACK = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)


class FeedbackClosed(RegistrationError):
    """Feedback is not open for this registration (too early, too late, or not a participant)."""


def feedback_days():
    return int(getattr(settings, "WORKSHOPS_FEEDBACK_DAYS", 14))


def feedback_problem(registration, now=None):
    """Why `registration` may not give or change feedback now, or None when it may."""
    now = now or timezone.now()
    workshop = registration.workshop
    if registration.status not in MAY_GIVE_FEEDBACK or registration.anonymised_at:
        return _("Only participants of the workshop can give feedback.")
    if now < workshop.start:
        return _("Feedback opens when the workshop starts.")
    if now > workshop.end + timedelta(days=feedback_days()):
        return _("Feedback for this workshop is closed.")
    return None


def save_feedback(registration, *, rating, most_useful="", next_steps="", wants_follow_up=False, user=None):
    """Give or change the feedback of `registration`. Raises FeedbackClosed outside the window."""
    problem = feedback_problem(registration)
    if problem:
        raise FeedbackClosed(problem)
    with transaction.atomic():
        feedback, created = Feedback.objects.select_for_update().get_or_create(
            registration=registration,
            defaults={
                "rating": rating,
                "most_useful": most_useful,
                "next_steps": next_steps,
                "wants_follow_up": wants_follow_up,
            },
        )
        if not created:
            feedback.rating, feedback.most_useful, feedback.next_steps = rating, most_useful, next_steps
            feedback.wants_follow_up = wants_follow_up
            feedback.updated_at = timezone.now()
            feedback.save()
    return feedback


class FeedbackForm(forms.ModelForm):
    """The participant's feedback: every field labelled, the rating as radio buttons (no empty choice)."""

    rating = forms.TypedChoiceField(
        label=_("Overall, how useful was the workshop for your work?"),
        choices=Feedback.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = ["rating", "most_useful", "next_steps", "wants_follow_up"]
        widgets = {
            "most_useful": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "most_useful": _("What was most useful?"),
            "next_steps": _("What will you do next with what you learnt?"),
            "wants_follow_up": _("I would like a follow-up exchange with the presenters"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("most_useful", "next_steps"):  # refused beyond the limit, not only cut by the browser
            field = self.fields[name]
            field.max_length = LONG_TEXT
            field.validators.append(MaxLengthValidator(LONG_TEXT))
            field.widget.attrs["maxlength"] = str(LONG_TEXT)


def feedback_summary(workshop):
    """Count, average rating, how many gave each rating, how many want a follow-up, and the answers."""
    feedback = Feedback.objects.filter(registration__workshop=workshop)
    totals = feedback.aggregate(
        count=Count("pk"), average=Avg("rating"), follow_up=Count("pk", filter=Q(wants_follow_up=True))
    )
    by_rating = dict(feedback.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    totals["distribution"] = [(value, label, by_rating.get(value, 0)) for value, label in Feedback.Rating.choices]
    totals["answers"] = feedback.select_related("registration").order_by("-updated_at")
    return totals


def participant_feedback(request, token):
    """GET the form (or the reason it is closed), POST to give or change the feedback."""
    from workshops.views import _registration_or_problem

    registration, problem = _registration_or_problem(request, token, "manage")
    if problem:
        return problem
    existing = Feedback.objects.filter(registration=registration).first()
    closed = feedback_problem(registration)
    form = FeedbackForm(request.POST if request.method == "POST" else None, instance=existing)
    status, saved = 200, False
    if request.method == "POST" and not closed:
        if form.is_valid():
            try:
                save_feedback(registration, **form.cleaned_data)
            except FeedbackClosed as error:
                closed = error.message
            else:
                saved = True
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "registration": registration,
        "workshop": registration.workshop,
        "form": form,
        "closed": closed,
        "saved": saved,
        "manage_token": token,
    }
    return TemplateResponse(request, "workshops/feedback.html", context, status=status)


@organiser_view
def feedback_summary_view(request, workshop):
    """The admin page with the workshop's feedback, for its organisers."""
    context = {"workshop": workshop, "summary": feedback_summary(workshop), "header_title": _("Feedback")}
    return TemplateResponse(request, "workshops/admin/feedback_summary.html", context)
