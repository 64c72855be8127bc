"""What a workshop leaves behind: its materials (reports, videos, press releases, policy notes...) and its
outcomes (agreements signed, follow-up exchanges, pilots, policy changes), edited by its organisers in the
Wagtail editor after the event, and shown on the workshop's page, on the pages of the members involved and on
the exchange's admin view.

The read side is here too: `records_prefetch()` reads the materials and outcomes of any number of workshops in a
fixed number of queries (WorkshopPage.objects.with_records() uses it)."""

import posixpath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from matchmaking.models import LINK_FIELDS
from members.models import MemberPage
from ssn4psi.fields import choice_display
from ssn4psi.languages import language_choices, localised_language_name


class MaterialKind(models.TextChoices):
    REPORT = "report", _("Report")
    VIDEO = "video", _("Video")
    PRESS_RELEASE = "press_release", _("Press release")
    POLICY_NOTE = "policy_note", _("Policy note")
    PRESENTATION = "presentation", _("Presentation")
    PHOTO_ALBUM = "photo_album", _("Photo album")


class OutcomeKind(models.TextChoices):
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    FOLLOW_UP_EXCHANGE = "follow_up_exchange", _("Follow-up exchange")
    PILOT_LAUNCHED = "pilot_launched", _("Pilot launched")
    POLICY_CHANGE = "policy_change", _("Policy change")
    REPLICATION = "replication", _("Solution replicated")
    OTHER = "other", _("Other")


class WorkshopMaterialQuerySet(models.QuerySet):
    def for_display(self):
        """Materials in the editor's order, with their document (title, file, size) in the same query."""
        return self.select_related("document").order_by("sort_order", "pk")


class WorkshopMaterial(Orderable):
    """A material of a workshop: a Wagtail document or an external link (or neither, when a material is known
    to exist but has no copy online yet), with its kind, language and date."""

    workshop = ParentalKey("workshops.WorkshopPage", on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("external link"), max_length=500, blank=True, help_text=_("When there is no document."))
    language = models.CharField(_("language"), max_length=3, blank=True, choices=language_choices)
    date = models.DateField(_("date"), null=True, blank=True)

    objects = WorkshopMaterialQuerySet.as_manager()

    get_kind_display = choice_display("kind", MaterialKind)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("document"), FieldPanel("url")]),
        FieldRowPanel([FieldPanel("language"), FieldPanel("date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.document_id and self.url:
            raise ValidationError({"url": _("Give a document or an external link, not both.")})

    @property
    def link(self):
        """Where the material can be read: the document's address, or the external link ("" for neither)."""
        if self.document_id:
            return self.document.url
        return self.url

    @property
    def absolute_link(self):
        """The link as a full address (documents are served by this site), as the catalogue format writes it."""
        link = self.link
        if link.startswith("/"):
            return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + link
        return link

    @property
    def file_type(self):
        """ "PDF", "DOCX"... from the document's or the link's file name, or "" when it has none."""
        name = self.document.file.name if self.document_id else urlsplit(self.url).path
        extension = posixpath.splitext(name)[1].lstrip(".")
        return extension.upper() if extension and extension.isalnum() and len(extension) <= 5 else ""

    @property
    def file_size(self):
        """The document's size in bytes as recorded at upload, where known (external links: unknown)."""
        return self.document.file_size if self.document_id else None

    @property
    def language_name(self):
        return localised_language_name(self.language) if self.language else ""


#: What an outcome shows of its exchange: the partners' names.
OUTCOME_FIELDS = (
    "workshop",
    "sort_order",
    "kind",
    "text",
    "date",
    "exchange__provider__title",
    "exchange__learner__title",
)


class WorkshopOutcomeQuerySet(models.QuerySet):
    def for_display(self):
        """Outcomes in the editor's order, with their exchange's partners and all their members, in two queries:
        for the admin and the editor's preview, which show everything."""
        return (
            self.select_related("exchange__provider", "exchange__learner")
            # The partners' names only, where whole pages (three of them, 96 columns) cost more than the rest.
            .only(*OUTCOME_FIELDS)
            .prefetch_related(
                Prefetch("members", queryset=MemberPage.objects.only(*LINK_FIELDS).order_by("title", "pk"))
            )
            .order_by("sort_order", "pk")
        )

    def with_listed_exchange(self, members):
        """Each outcome with `provider_listed` and `learner_listed`: whether its exchange's partners are among
        `members` (the live and public ones), read by `listed_exchange`."""
        return self.annotate(
            provider_listed=Exists(members.filter(pk=OuterRef("exchange__provider_id"))),
            learner_listed=Exists(members.filter(pk=OuterRef("exchange__learner_id"))),
        )

    def for_public_page(self, members=None):
        """for_display() as public pages show it: of the members involved, only the live and public ones (as
        `members_involved`); the exchange only when its provider and learner both are (`provider_listed` and
        `learner_listed`, read by `listed_exchange`). `members`: MemberPage.objects.live().public(), when the
        caller has it already (building one reads the view restrictions). Three queries, with the view
        restrictions."""
        members = MemberPage.objects.live().public() if members is None else members
        return (
            self.select_related("exchange__provider", "exchange__learner")
            .only(*OUTCOME_FIELDS)
            .with_listed_exchange(members)
            .prefetch_related(
                Prefetch(
                    "members",
                    queryset=members.only(*LINK_FIELDS).order_by("title", "pk"),
                    to_attr="members_involved",
                )
            )
            .order_by("sort_order", "pk")
        )

    def involving(self, member):
        """Outcomes naming `member` among the members involved, or as a partner of their exchange."""
        return self.filter(
            Q(members=member)
            | Q(exchange__provider=member)
            | Q(exchange__learner=member)
            | Q(exchange__facilitator=member)
        ).distinct()


class WorkshopOutcome(Orderable, ClusterableModel):
    """What came out of a workshop: an agreement, a follow-up exchange, a pilot, a policy change... with its date,
    the exchange it belongs to and the members involved, where known."""

    workshop = ParentalKey("workshops.WorkshopPage", on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=24, choices=OutcomeKind.choices)
    text = models.TextField(_("what happened"))
    date = models.DateField(_("date"), null=True, blank=True)
    exchange = models.ForeignKey(
        "matchmaking.Exchange",
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_outcomes",
    )
    members = ParentalManyToManyField(
        "members.MemberPage", blank=True, related_name="workshop_outcomes", verbose_name=_("members involved")
    )

    objects = WorkshopOutcomeQuerySet.as_manager()

    get_kind_display = choice_display("kind", OutcomeKind)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("text"),
        FieldPanel("exchange"),
        FieldPanel("members"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    # Django's cached_property, which prefetch_related() recognises: for_public_page() sets the attribute.
    @cached_property
    def members_involved(self):
        """The members involved, by name (for_public_page() sets the live and public ones instead)."""
        return list(self.members.all())

    @property
    def listed_exchange(self):
        """The exchange as pages show it: None when for_public_page() found a partner of it that is not live and
        public (the admin and the preview show it always)."""
        listed = getattr(self, "provider_listed", True) and getattr(self, "learner_listed", True)
        return self.exchange if listed else None


def records_prefetch(*, public=True, members=None):
    """The prefetches that read workshops' materials (with their document) and outcomes in the editor's order,
    as `record_materials` and `record_outcomes`: as public pages show them (WorkshopOutcome.objects.
    for_public_page()), or everything for the admin (`public=False`). Four queries whatever the number of
    workshops, materials or outcomes, with the view restrictions for a public page."""
    outcomes = WorkshopOutcome.objects.for_public_page(members) if public else WorkshopOutcome.objects.for_display()
    return [
        Prefetch("materials", queryset=WorkshopMaterial.objects.for_display(), to_attr="record_materials"),
        Prefetch("outcomes", queryset=outcomes, to_attr="record_outcomes"),
    ]
