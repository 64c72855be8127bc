"""Registration views: the form on a workshop page, and the signed links of people without an account
(confirm, manage and cancel, accept a freed place); calendar files. Thin: the work is in services."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ssn4psi.antispam import too_many_message, wait_for
from workshops import services
from workshops.calendar import upcoming_calendar, workshop_calendar
from workshops.feedback import feedback_problem
from workshops.forms import LinksForm, RegistrationForm
from workshops.models import HOLDING_A_PLACE, WorkshopPage
from workshops.tokens import InvalidToken, make_token, read_token

TOKEN_PROBLEMS = {
    "forged": _("This link is not valid. Please use the link from your e-mail as it is."),
    "expired": _("This link has expired."),
    "used": _("This link was already used."),
    "unknown": _("This registration no longer exists."),
}


def register(request, workshop):
    """POST on a workshop page: validate, register, then show what happens next. An address already registered
    gets the same answer as a new one, and its links by e-mail (services.send_links): the page never tells who
    is registered."""
    form = RegistrationForm(request.POST, workshop=workshop)
    valid = form.is_valid()
    if wait := wait_for(request, "registration", *([form.cleaned_data["email"]] if valid else [])):
        form.add_error(None, too_many_message(wait))
        return _workshop_page(request, workshop, form, status=429, wait=wait)
    if valid and form.is_robot():  # the honeypot was filled in: answered as for a person, nothing done
        return TemplateResponse(
            request, "workshops/registration_received.html", {"page": workshop, "email": form.cleaned_data["email"]}
        )
    if valid:
        details = form.registration_details()
        try:
            services.register(workshop, language=get_language() or "en", **details)
        except services.AlreadyRegistered:
            services.send_links(workshop, details["email"])
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            return _workshop_page(request, workshop, form)
        return TemplateResponse(
            request, "workshops/registration_received.html", {"page": workshop, "email": details["email"]}
        )
    return _workshop_page(request, workshop, form)


def links(request, pk):
    """/workshops/<pk>/links/: "Send me my links". The same answer whether the address is registered or not; the
    address, when registered, gets its links (services.send_links). A page of its own, so that the workshop page
    holds no form once registration is closed and can be kept in the cache."""
    workshop = _public_workshop(request, pk)
    form = LinksForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        valid = form.is_valid()
        if wait := wait_for(request, "links", *([form.cleaned_data["email"]] if valid else [])):
            form.add_error(None, too_many_message(wait))
            status = 429
        elif valid:
            if not form.is_robot():
                services.send_links(workshop, form.cleaned_data["email"])
            return TemplateResponse(
                request, "workshops/links_sent.html", {"page": workshop, "email": form.cleaned_data["email"]}
            )
        else:
            status = 400
    response = TemplateResponse(request, "workshops/links.html", {"page": workshop, "form": form}, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _public_workshop(request, pk):
    """The live workshop `pk`, 404 when it is not or when its view restrictions refuse the request (a
    group-restricted workshop stays hidden)."""
    workshop = get_object_or_404(WorkshopPage.objects.live(), pk=pk)
    if not all(restriction.accept_request(request) for restriction in workshop.get_view_restrictions()):
        raise Http404
    return workshop


def _workshop_page(request, workshop, form, status=400, wait=None):
    """The workshop page again, with the form that was sent and its errors (400), or refused for now (429, with
    `wait` seconds in Retry-After)."""
    context = workshop.get_context(request)
    context["form"] = form
    response = TemplateResponse(request, workshop.get_template(request), context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _registration_or_problem(request, token, purpose):
    try:
        return read_token(token, purpose), None
    except InvalidToken as error:
        return None, TemplateResponse(
            request, "workshops/registration_link.html", {"problem": TOKEN_PROBLEMS[error.reason]}, status=400
        )


def _step(request, token, purpose, step):
    """A link that leads to one step (confirm, accept an offer): a button on GET, the step on POST. Mail
    scanners follow links; only a person presses the button."""
    registration, problem = _registration_or_problem(request, token, purpose)
    if problem:
        return problem
    if request.method == "POST":
        try:
            step(registration)
        except services.ConsentRequired as error:
            return _link_page(request, registration, action=purpose, problem=error.message)
        except services.RegistrationError as error:
            return _link_page(request, registration, problem=error.message)
        return redirect("registration_manage", make_token(registration, "manage"))
    return _link_page(request, registration, action=purpose)


def confirm(request, token):
    """The link of the confirmation e-mail. A delegate registered by a focal point also gives their own
    consent to the privacy notice here (and may choose to appear on the public list)."""

    def step(registration):
        services.confirm(
            registration,
            privacy_consent=request.POST.get("privacy_consent") == "on",
            public_listing=request.POST.get("public_listing") == "on",
        )

    return _step(request, token, "confirm", step)


def accept(request, token):
    """The link of a freed-place offer."""
    return _step(request, token, "accept", services.accept_offer)


#: What the participant's own page can do, by the `action` its forms post.
MANAGE_STEPS = {"cancel": services.cancel, "accept": services.accept_offer}


def manage(request, token):
    """The participant's own page: status, details, calendar file; accept a place offered, cancel (after a
    confirmation page: `?action=cancel` asks, its form posts)."""
    registration, problem = _registration_or_problem(request, token, "manage")
    if problem:
        return problem
    step = MANAGE_STEPS.get(request.POST.get("action")) if request.method == "POST" else None
    if step is not None:
        try:
            step(registration)
        except services.RegistrationError as error:
            return _link_page(request, registration, problem=error.message)
        return redirect("registration_manage", token)
    asked = "confirm_cancel" if request.GET.get("action") == "cancel" else None
    return _link_page(request, registration, action=asked, token=token)


def participant_calendar(request, token):
    """The .ics of a confirmed participant's workshop, with the online link."""
    registration, problem = _registration_or_problem(request, token, "manage")
    if problem:
        return problem
    workshop = registration.workshop
    with_link = registration.status in HOLDING_A_PLACE
    return _ics(workshop_calendar(workshop, request.build_absolute_uri(workshop.url), with_link=with_link))


def workshop_ics(request, pk):
    """The public .ics of one live and public workshop (no online link); 404 for any other."""
    workshop = WorkshopPage.objects.live().public().filter(pk=pk, start__isnull=False).first()
    if workshop is None:  # or its date is not recorded
        raise Http404
    return _ics(workshop_calendar(workshop, request.build_absolute_uri(workshop.url)))


def upcoming_ics(request):
    """A calendar feed of the upcoming workshops that are live and public."""
    workshops = WorkshopPage.objects.live().public().filter(end__gte=timezone.now()).order_by("start")
    return _ics(upcoming_calendar(workshops, request.build_absolute_uri("/").rstrip("/")))


def _ics(content):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="workshop.ics"'
    return response


def _link_page(request, registration, *, action=None, problem=None, token=None):
    context = {
        "registration": registration,
        "workshop": registration.workshop,
        "action": action,
        "problem": problem,
        "manage_token": token or make_token(registration, "manage"),
        "holds_a_place": registration.status in HOLDING_A_PLACE,
        "feedback_open": feedback_problem(registration) is None,
    }
    return TemplateResponse(request, "workshops/registration_link.html", context, status=400 if problem else 200)


def delegation(request, pk):
    """/workshops/<pk>/delegation/: a member's focal point registers several of its people at once.
    Anonymous visitors go to the login page; anyone who is no member's focal point is refused (403)."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    from workshops import delegations
    from workshops.forms import DelegateFormSet, DelegationForm
    from workshops.permissions import members_represented_by

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "wagtailadmin_login")
    workshop = _public_workshop(request, pk)
    members = members_represented_by(request.user).order_by("title").only("title", "key", "country")
    represented = list(members)
    if not represented:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    member_form = DelegationForm(data, members=members, initial={"member": represented[0]})
    formset = DelegateFormSet(data, workshop=workshop, prefix="people")
    context = {"page": workshop, "workshop": workshop, "member_form": member_form, "formset": formset}
    context["registration_open"] = workshop.registration_is_open()
    context["ask_member"] = len(represented) > 1
    context["only_member"] = represented[0]
    status = 200
    if data is not None:
        status = 400
        if member_form.is_valid() and formset.is_valid():
            rows = formset.people()
            try:
                registrations = delegations.register_delegation(
                    workshop,
                    member_form.cleaned_data["member"],
                    [person for _form, person in rows],
                    user=request.user,
                    language=get_language() or "en",
                )
            except delegations.DelegationError as error:
                context["problem"] = error.message
                for index, (field, message) in error.rows.items():
                    rows[index][0].add_error(field, message)
            except services.RegistrationError as error:
                context["problem"] = error.message
            else:
                context["registrations"] = registrations
                context["member"] = member_form.cleaned_data["member"]
                return TemplateResponse(request, "workshops/delegation_received.html", context)
    return TemplateResponse(request, "workshops/delegation.html", context, status=status)
