"""Workshops (knowledge-sharing sessions, learning-exchange visits, matchmaking workshops...), their sessions,
and the registrations of their participants.

A registration holds a place only once its e-mail address is confirmed (and, where the workshop asks for it,
once an organiser approves it): places are taken in workshops.services, in one transaction that locks the
workshop row, counts and writes. The rest wait in a first-come list and are offered a freed place in turn."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ssn4psi.richtext import sanitise_html


class WorkshopKind(models.TextChoices):
    KNOWLEDGE_SHARING = "knowledge_sharing", _("Knowledge-sharing session")
    LEARNING_VISIT = "learning_visit", _("Learning-exchange visit")
    NATIONAL_WORKSHOP = "national_workshop", _("National workshop")
    MATCHMAKING = "matchmaking", _("Matchmaking workshop")
    WEBINAR = "webinar", _("Capacity-building webinar")
    POLICY_CONSULTATION = "policy_consultation", _("Policy consultation")


class WorkshopFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class RegistrationStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("Pending confirmation of the e-mail address")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTED = "promoted", _("Offered a freed place")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


#: Registrations that hold a place (counted against the capacity).
HOLDING_A_PLACE = (RegistrationStatus.CONFIRMED, RegistrationStatus.PROMOTED, RegistrationStatus.ATTENDED)
#: Registrations that are over: a person may register again.
ENDED = (RegistrationStatus.DECLINED, RegistrationStatus.CANCELLED)


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class WorkshopIndexPage(Page):
    """/workshops/: the upcoming workshops, then the past ones."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["workshops.WorkshopPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        workshops = (
            WorkshopPage.objects.live()
            .descendant_of(self)
            .only("title", "url_path", "locale_id", "kind", "format", "start", "end", "time_zone", "venue")
        )
        now = timezone.now()
        context["upcoming"] = workshops.filter(end__gte=now).order_by("start")
        context["past"] = workshops.filter(end__lt=now).order_by("-start")[:50]
        return context


class WorkshopPage(Page):
    """A workshop: its kind and format, dates in the venue's time zone, venue or online link (shown only to
    confirmed participants), the members organising it and the exchanges it serves, its sessions, and its
    registration rules (capacity, window, approval). Registrations are in `registrations`."""

    kind = models.CharField(_("kind"), max_length=24, choices=WorkshopKind.choices)
    format = models.CharField(_("format"), max_length=12, choices=WorkshopFormat.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=time_zone_choices, help_text=_("The venue's.")
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to confirmed participants, and in their e-mails.")
    )
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True)
    organisers = ParentalManyToManyField(
        "members.MemberPage", blank=True, related_name="workshops_organised", verbose_name=_("organising members")
    )
    exchanges = ParentalManyToManyField(
        "matchmaking.Exchange", blank=True, related_name="workshops", verbose_name=_("exchanges it serves")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places for participants; empty for no limit.")
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requires_approval = models.BooleanField(
        _("registrations need approval"), default=False, help_text=_("An organiser approves each registration.")
    )
    promotion_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed place"), default=48, help_text=_("For people on the waiting list.")
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("time_zone")]),
                FieldPanel("venue"),
                FieldPanel("online_link"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("organisers"),
        FieldPanel("exchanges"),
        InlinePanel("sessions", heading=_("Sessions"), label=_("Session")),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldRowPanel([FieldPanel("requires_approval"), FieldPanel("promotion_hours")]),
            ],
            heading=_("Registration"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("venue"),
    ]
    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The workshop cannot end before it starts.")
        if self.registration_opens and self.registration_closes and self.registration_closes < self.registration_opens:
            errors["registration_closes"] = _("Registration cannot close before it opens.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.description = sanitise_html(self.description)
        super().save(*args, **kwargs)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.zone)

    def registration_is_open(self, now=None):
        """Whether people may register now: within the window, and before the workshop ends."""
        now = now or timezone.now()
        if self.registration_opens and now < self.registration_opens:
            return False
        if self.registration_closes and now > self.registration_closes:
            return False
        return now <= self.end

    def get_context(self, request, *args, **kwargs):
        from workshops.forms import RegistrationForm

        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", RegistrationForm(workshop=self))
        context["sessions"] = self.sessions.all()
        context["organising_members"] = self.organisers.only("title", "url_path", "locale_id")
        context["places_left"] = self.places_left()
        context["public_participants"] = self.public_participants()
        context["registration_open"] = self.registration_is_open()
        return context

    def public_participants(self):
        """Confirmed participants who agreed to appear on the public list: name and organisation only."""
        return (
            self.registrations.filter(status__in=HOLDING_A_PLACE, public_listing=True)
            .select_related("member")
            .only("workshop", "name", "organisation", "member__title")
            .order_by("name")
        )

    def places_left(self):
        """Places not yet taken, or None when there is no limit."""
        if self.capacity is None:
            return None
        taken = self.registrations.filter(status__in=HOLDING_A_PLACE).count()
        return max(self.capacity - taken, 0)

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from workshops.views import register

            return register(request, self)
        return super().serve(request, *args, **kwargs)


class Session(Orderable):
    """A session of a workshop's timetable, in a track, with its own capacity if it has one."""

    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=255)
    track = models.CharField(_("track"), max_length=120, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("track"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("capacity")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that are not over (not declined, not cancelled)."""
        return self.exclude(status__in=ENDED)

    def waiting(self):
        """The waiting list, first come first."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")


class Registration(models.Model):
    """A person's registration to a workshop, with its status and its place on the waiting list.

    People register without an account: their links carry a signed token (workshops.tokens) naming this
    registration. Personal data is visible only to the workshop's organisers and to staff."""

    class Role(models.TextChoices):
        DELEGATE = "delegate", _("Delegate")
        SPEAKER = "speaker", _("Speaker")
        OBSERVER = "observer", _("Observer")
        ORGANISER = "organiser", _("Organiser")

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    member = models.ForeignKey(
        "members.MemberPage",
        verbose_name=_("organisation in the network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=3, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.DELEGATE)
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations", verbose_name=_("sessions"))
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    privacy_consent = models.BooleanField(_("consent to the privacy notice"), default=False)
    public_listing = models.BooleanField(_("appear on the public participant list"), default=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=24, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING_CONFIRMATION
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One active registration per e-mail address per workshop (PostgreSQL and SQLite partial indexes).
            models.UniqueConstraint(
                fields=["workshop", "email"],
                condition=~Q(status__in=ENDED),
                name="one_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["workshop", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.name} – {self.workshop}"

    @property
    def holds_a_place(self):
        return self.status in HOLDING_A_PLACE
