"""Workshops (knowledge-sharing sessions, learning-exchange visits, matchmaking workshops...), their sessions,
and the registrations of their participants.

A registration holds a place only once its e-mail address is confirmed (and, where the workshop asks for it,
once an organiser approves it): places are taken in workshops.services, in one transaction that locks the
workshop row, counts and writes. The rest wait in a first-come list and are offered a freed place in turn."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from matchmaking.models import LINK_FIELDS
from members.models import MemberPage
from ssn4psi.fields import choice_display
from ssn4psi.page_cache import cache_until
from ssn4psi.richtext import sanitise_html
from ssn4psi.rows import keep_rows

# Materials and outcomes live in their own module; imported here so that Django registers their models.
from workshops.admin_forms import WorkshopPageForm
from workshops.records import WorkshopOutcome, records_prefetch


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

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["workshops.WorkshopPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        workshops = WorkshopPage.objects.live().public().descendant_of(self).only(*LISTED_FIELDS, "format", "venue")
        now = timezone.now()
        context["upcoming"] = upcoming = list(workshops.filter(end__gte=now).order_by("start"))
        if upcoming:  # the page changes when the first of them ends and becomes past, which no write announces
            cache_until(request, min(workshop.end for workshop in upcoming))
        context["past"] = workshops.filter(end__lt=now).order_by("-start")[:50]
        context["undated"] = workshops.filter(start__isnull=True).order_by("title")[:50]
        return context


#: What a listing of workshops shows of each: its link, kind and dates.
LISTED_FIELDS = (*LINK_FIELDS, "kind", "start", "end", "whole_days", "time_zone")


class WorkshopPageQuerySet(PageQuerySet):
    def involving(self, member):
        """Workshops `member` organised, served an exchange of, or is named in an outcome of: read from the
        involvements kept on write (WorkshopInvolvement), one join."""
        return self.filter(involvements__member=member)

    def involving_any(self, members):
        """Workshops that involve (involving()) at least one of `members` (a MemberPage queryset), each once."""
        return self.filter(pk__in=WorkshopInvolvement.objects.filter(member__in=members).values("workshop"))

    def serving(self, exchanges):
        """Workshops that serve at least one of `exchanges` (an Exchange queryset), each once."""
        served = WorkshopPage.exchanges.through.objects.filter(exchange__in=exchanges)
        return self.filter(pk__in=served.values("workshoppage"))

    def attendance(self):
        """{"workshops": how many, "participants": how many registrations hold a place in them} (confirmed,
        promoted or attended; an anonymised registration still counts): one aggregate query, counts only."""
        return self.order_by().aggregate(
            workshops=Count("pk", distinct=True),
            participants=Count("registrations", filter=Q(registrations__status__in=HOLDING_A_PLACE)),
        )

    def refresh_involvements(self):
        """Rewrite the involvements (WorkshopInvolvement) of these workshops from what they record now: their
        organisers, the members named in their outcomes, and the provider, learner and facilitator of each
        exchange they serve. Five queries to read, and one to delete and one to insert what changed."""
        ids = list(self.values_list("pk", flat=True))
        if not ids:
            return
        wanted = set(
            WorkshopPage.organisers.through.objects.filter(workshoppage__in=ids).values_list(
                "workshoppage", "memberpage"
            )
        )
        wanted |= set(
            WorkshopOutcome.members.through.objects.filter(workshopoutcome__workshop__in=ids).values_list(
                "workshopoutcome__workshop", "memberpage"
            )
        )
        served = WorkshopPage.exchanges.through.objects.filter(workshoppage__in=ids).values_list(
            "workshoppage", "exchange__provider", "exchange__learner", "exchange__facilitator"
        )
        wanted |= {(workshop, member) for workshop, *partners in served for member in partners if member}
        keep_rows(WorkshopInvolvement.objects.filter(workshop__in=ids), ("workshop_id", "member_id"), wanted)

    def with_records(self, *, public=True, members=None):
        """Workshops with their materials and outcomes read in the same go, as `record_materials` and
        `record_outcomes` (workshops.records.records_prefetch(): as public pages show them, or everything for
        the admin with `public=False`)."""
        return self.prefetch_related(*records_prefetch(public=public, members=members))

    def latest_first(self):
        """Latest first, undated last, then by title."""
        return self.order_by(F("start").desc(nulls_last=True), "title")

    def for_member_page(self, member, members=None):
        """The workshops a member page shows: live and public ones that involve `member` and have a material or
        an outcome, latest first, with their records (records_of()). Six queries whatever the numbers: the
        workshops, their materials, outcomes and members involved, the view restrictions twice (once when
        `members`, MemberPage.objects.live().public(), is given)."""
        return self.live().public().records_of(member, members=members)

    def records_of(self, member, members=None):
        """Those of these workshops that involve `member` (involving()) and have a material or an outcome,
        latest first, with their records (with_records()): for_member_page() without its live().public(), for
        a queryset that is already live and public (ssn4psi.sections.public_pages())."""
        return (
            self.involving(member)
            .filter(has_records=True)
            .only(*LISTED_FIELDS, "format")
            .latest_first()
            .with_records(members=members)
        )

    def for_exchange_admin(self, exchange):
        """The workshops, live or not, that serve `exchange` or record an outcome of it, latest first, with all
        their records (with_records(public=False)): for the exchange's admin view. Four queries."""
        served = Q(exchanges=exchange) | Q(outcomes__exchange=exchange)
        return (
            self.filter(pk__in=WorkshopPage.objects.filter(served).values("pk"))
            .only(*LISTED_FIELDS, "format", "live")
            .latest_first()
            .with_records(public=False)
        )


class WorkshopPage(Page):
    """A workshop: its kind and format, dates in the venue's time zone, venue or online link (shown only to
    confirmed participants), the members organising it and the exchanges it serves, its sessions, and its
    registration rules (capacity, window, approval). Registrations are in `registrations`."""

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    kind = models.CharField(_("kind"), max_length=24, choices=WorkshopKind.choices)
    format = models.CharField(_("format"), max_length=12, choices=WorkshopFormat.choices)
    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Names the workshop in catalogue files (lowercase letters, digits and hyphens)."),
    )
    # Empty only for a past workshop whose date is not recorded: it cannot be registered to.
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    whole_days = models.BooleanField(
        _("dates only"), default=False, help_text=_("Show the days, not the times (when the times are not known).")
    )
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
    # Whether it has a material or an outcome, set on save from what it records: member pages list only those.
    has_records = models.BooleanField(default=False, editable=False)

    objects = PageManager.from_queryset(WorkshopPageQuerySet)()

    get_kind_display = choice_display("kind", WorkshopKind)
    get_format_display = choice_display("format", WorkshopFormat)

    base_form_class = WorkshopPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("time_zone")]),
                FieldPanel("whole_days"),
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
        InlinePanel(
            "questions",
            heading=_("Questions on the registration form"),
            label=_("Question"),
            help_text=_("Asked to every registrant, after the usual details."),
        ),
        MultiFieldPanel(
            [
                InlinePanel("materials", label=_("Material")),
                InlinePanel("outcomes", label=_("Outcome")),
            ],
            heading=_("After the workshop: materials and outcomes"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldRowPanel([FieldPanel("requires_approval"), FieldPanel("promotion_hours")]),
            ],
            heading=_("Registration"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("key")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("venue"),
    ]
    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types = []
    # A copy is another workshop: the catalogue key names the original only (a copy with it could not be saved).
    exclude_fields_in_copy = ["key"]

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The workshop cannot end before it starts.")
        if bool(self.start) != bool(self.end):
            errors["end" if self.start else "start"] = _("Give both the start and the end, or neither.")
        if self.registration_opens and self.registration_closes and self.registration_closes < self.registration_opens:
            errors["registration_closes"] = _("Registration cannot close before it opens.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.description = sanitise_html(self.description)
        self.key = self.key or None  # blank keys are not unique
        # A save that writes the page's relations (not a draft's revision, which writes a few fields) updates what
        # is derived from them: whether it has records, and who it involves (WorkshopInvolvement).
        update_fields = kwargs.get("update_fields")
        writes = None if update_fields is None else set(update_fields)
        if writes is None or writes & {"materials", "outcomes"}:
            self.has_records = self.materials.all().exists() or self.outcomes.all().exists()
            if writes is not None:
                kwargs["update_fields"] = writes | {"has_records"}
        super().save(*args, **kwargs)
        if writes is None or writes & {"organisers", "exchanges", "outcomes"}:
            WorkshopPage.objects.filter(pk=self.pk).refresh_involvements()

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.zone) if self.start else None

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.zone) if self.end else None

    @property
    def is_dated(self):
        return self.start is not None and self.end is not None

    def registration_is_open(self, now=None):
        """Whether people may register now: within the window, and before the workshop ends."""
        now = now or timezone.now()
        if self.registration_opens and now < self.registration_opens:
            return False
        if self.registration_closes and now > self.registration_closes:
            return False
        return self.end is not None and now <= self.end

    def get_context(self, request, *args, **kwargs):
        from workshops.forms import RegistrationForm

        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", RegistrationForm(workshop=self))
        context["timetable"] = self.timetable()
        context["places_left"] = self.places_left()
        context["registration_open"] = self.registration_is_open()
        # Registration opens or closes with time alone, which no write announces.
        moments = [self.registration_opens, self.registration_closes, self.end]
        upcoming = [moment for moment in moments if moment is not None and moment > timezone.now()]
        if upcoming:
            cache_until(request, min(upcoming))
        if getattr(request, "is_preview", False):  # the page being edited, as its editor set it
            context["organising_members"] = self.organisers.only(*LINK_FIELDS)
            context["public_participants"] = self.public_participants()
            context["materials"] = self.materials.for_display()
            context["outcomes"] = self.outcomes.for_display()
        else:
            # Other pages named here are shown only when live and public; the view restrictions are read once.
            members = MemberPage.objects.live().public()
            context["organising_members"] = members.filter(workshops_organised=self).only(*LINK_FIELDS)
            context["public_participants"] = self.public_participants(members)
            context["materials"] = self.materials.for_display()
            context["outcomes"] = WorkshopOutcome.objects.filter(workshop=self).for_public_page(members)
        return context

    def public_participants(self, members=None):
        """Confirmed participants who agreed to appear on the public list: name and organisation only. Their
        member is named when it is live and public (`member_listed`; `members` is MemberPage.objects.live().
        public() when the caller has it), else the organisation they typed."""
        members = MemberPage.objects.live().public() if members is None else members
        return (
            self.registrations.filter(status__in=HOLDING_A_PLACE, public_listing=True)
            .select_related("member")
            .only("workshop", "name", "organisation", "member__title")
            .annotate(member_listed=Exists(members.filter(pk=OuterRef("member_id"))))
            .order_by("name")
        )

    def timetable(self):
        """The sessions by day then track, in the venue's local time, each with its places left:
        [(date, [(track, [session, ...]), ...]), ...]. One query."""
        days = {}
        sessions = Session.objects.filter(workshop=self).with_places_left()
        for session in sessions.order_by("start", "track", "sort_order"):
            # A programme may name a session without its time (the seeds' 2018 tracks): listed under no day.
            session.local_start = session.start and timezone.localtime(session.start, self.zone)
            session.local_end = session.end and timezone.localtime(session.end, self.zone)
            day = session.local_start.date() if session.local_start else None
            days.setdefault(day, {}).setdefault(session.track, []).append(session)
        ordered = sorted(days.items(), key=lambda item: (item[0] is None, item[0] or datetime.date.min))
        return [(day, list(tracks.items())) for day, tracks in ordered]

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


class WorkshopInvolvement(models.Model):
    """A member involved in a workshop: an organiser, a member named in one of its outcomes, or a partner (provider,
    learner, facilitator) of an exchange it serves. Derived, never edited: written by
    WorkshopPageQuerySet.refresh_involvements() when a workshop is saved with its relations and when an exchange
    it serves changes (workshops.signals), so that a member page finds its workshops with one join."""

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="involvements")
    member = models.ForeignKey("members.MemberPage", on_delete=models.CASCADE, related_name="workshop_involvements")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "workshop"], name="workshop_involvement_unique")]

    def __str__(self):
        return f"{self.member_id} in {self.workshop_id}"


class SessionQuerySet(models.QuerySet):
    def with_places_left(self):
        """Sessions annotated with `taken` (registrations holding a place in them); `places_left` reads it."""
        return self.annotate(
            taken=models.Count("registrations", filter=Q(registrations__status__in=HOLDING_A_PLACE), distinct=True)
        )


class Session(Orderable):
    """A session of a workshop's timetable, in a track, with its own capacity if it has one.

    A registration that holds a place at the workshop holds a place in each session it chose: both are taken
    together in workshops.services, with the workshop's row and these sessions' rows locked."""

    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=255)
    track = models.CharField(_("track"), max_length=120, blank=True)
    # Empty when the programme names the session but not its time.
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places in this session; empty for the workshop's.")
    )

    objects = SessionQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("track"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("capacity")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The session cannot end before it starts.")})

    def __str__(self):
        return self.title

    @property
    def places_left(self):
        """Places not yet taken (None when the session has no capacity of its own); needs `with_places_left`."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Single choice")
    YES_NO = "yes_no", _("Yes or no")


class Question(Orderable):
    """A question an organiser adds to a workshop's registration form (workshops.questions builds its field).
    Answers are kept on the registration with the label copied, so editing a question later does not
    change what people answered."""

    workshop = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("label"), max_length=255)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SHORT_TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("For a single choice: one choice a line."))
    required = models.BooleanField(_("required"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("help_text"),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        """The choices of a single-choice question, one a line, blank lines left out."""
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("A single-choice question needs at least two choices.")})


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that are not over (not declined, not cancelled)."""
        return self.exclude(status__in=ENDED)

    def waiting(self):
        """The waiting list, first come first."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")

    def not_anonymised(self):
        """Registrations that still hold a person's data."""
        return self.filter(anonymised_at__isnull=True)


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
    anonymised_at = models.DateTimeField(
        _("anonymised"), null=True, blank=True, help_text=_("Personal data wiped (workshops.privacy).")
    )
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, help_text=_("{question id: {label, answer}}, the label as asked.")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The focal point who registered this person in a delegation."),
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

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

    def answer_list(self):
        """[(label, answer), ...] in the order they were asked."""
        return [(item.get("label", ""), item.get("answer", "")) for item in (self.answers or {}).values()]

    def answers_text(self):
        """The answers on one line ("Label: answer; ..."), for the CSV export."""
        return "; ".join(f"{label}: {answer}" for label, answer in self.answer_list())

    answers_text.short_description = _("answers")


class Feedback(models.Model):
    """A participant's feedback on a workshop, one per registration (workshops.feedback): a rating from 1 to
    5, what was most useful, what they will do next, and whether they want a follow-up exchange."""

    class Rating(models.IntegerChoices):
        POOR = 1, _("1 – Poor")
        FAIR = 2, _("2 – Fair")
        GOOD = 3, _("3 – Good")
        VERY_GOOD = 4, _("4 – Very good")
        EXCELLENT = 5, _("5 – Excellent")

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("registration")
    )
    rating = models.PositiveSmallIntegerField(_("overall rating"), choices=Rating.choices)
    most_useful = models.TextField(_("what was most useful"), blank=True, max_length=2000)
    next_steps = models.TextField(_("what you will do next"), blank=True, max_length=2000)
    wants_follow_up = models.BooleanField(_("wants a follow-up exchange"), default=False)
    created_at = models.DateTimeField(_("given"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]

    def __str__(self):
        return f"{self.registration_id}: {self.rating}/5"


# The meeting agenda of matchmaking workshops lives in its own module; imported here so Django finds it.
from workshops.agenda_models import Meeting, MeetingAgenda  # noqa: E402, F401


class OutboxEmail(models.Model):
    """An e-mail a registration's step owes its participant, written in the same transaction as the step
    (workshops.outbox). The Celery task marks it sent; a periodic task sends again what stayed unsent, so a
    broker or mail server that was down for a while delays an e-mail but never loses it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="outbox")
    event = models.CharField(_("event"), max_length=32)
    status = models.CharField(_("status when queued"), max_length=24, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set by the one task sending it (workshops.outbox.claim), cleared if sending fails.
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    done_at = models.DateTimeField(_("sent or no longer due"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail to send")
        verbose_name_plural = _("e-mails to send")
        indexes = [models.Index(fields=["done_at", "created_at"])]

    def __str__(self):
        return f"{self.registration_id}: {self.event}"
