"""What a workshop leaves behind: its materials (reports, videos, press releases, policy notes...) and its
outcomes (agreements signed, follow-up exchanges, pilots, policy changes), edited by its organisers in the
Wagtail editor after the event, and shown on the workshop's page, on the pages of the members involved and on
the exchange's admin view.

The read side is here too: `prefetch_records()` loads a list of workshops with their materials and outcomes in
a fixed number of queries, whatever the number of workshops, materials or outcomes."""

import posixpath
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, Page

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
    language = models.CharField(_("language"), max_length=2, blank=True, choices=language_choices)
    date = models.DateField(_("date"), null=True, blank=True)

    objects = WorkshopMaterialQuerySet.as_manager()

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


class WorkshopOutcomeQuerySet(models.QuerySet):
    def for_display(self):
        """Outcomes in the editor's order, with their exchange's partners and their members, in two queries."""
        from members.models import MemberPage

        return (
            self.select_related("exchange__provider", "exchange__learner")
            # The partners' names only, where whole pages (three of them, 96 columns) cost more than the rest.
            .only(
                "workshop",
                "sort_order",
                "kind",
                "text",
                "date",
                "exchange__provider__title",
                "exchange__learner__title",
            )
            .prefetch_related(
                Prefetch(
                    "members", queryset=MemberPage.objects.only("title", "url_path", "locale_id").order_by("title")
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


def prefetch_records(workshops):
    """`workshops` (a WorkshopPage queryset) with their materials and outcomes: three queries in all."""
    return workshops.prefetch_related(*RECORD_PREFETCHES())


def workshops_with_records(workshops):
    """Only the workshops of `workshops` that have a material or an outcome, records prefetched, latest first."""
    return prefetch_records(
        workshops.filter(Q(materials__isnull=False) | Q(outcomes__isnull=False))
        .distinct()
        .order_by(F("start").desc(nulls_last=True), "title")
        .only("title", "url_path", "locale_id", "kind", "format", "start", "end", "time_zone", "whole_days")
    )


def workshops_involving(member, limit=20):
    """Live workshops with materials or outcomes that `member` organised, served an exchange of, or is named in
    an outcome of; records prefetched, latest first, at most `limit` (a list; four queries).

    The workshops are found by hand-written SQL (_involving_sql()): building and compiling the ORM's version
    of this query, five joins under a DISTINCT, took twenty times as long as SQLite took to answer it."""
    from workshops.models import WorkshopPage

    workshops = list(WorkshopPage.objects.raw(_involving_sql(), [True] + [member.pk] * 5 + [limit]))
    prefetch_related_objects(workshops, *RECORD_PREFETCHES())
    return workshops


def RECORD_PREFETCHES():  # noqa: N802 - reads as a constant at its call sites
    """A workshop's materials and outcomes, as its records are shown."""
    return (
        Prefetch("materials", queryset=WorkshopMaterial.objects.for_display()),
        Prefetch("outcomes", queryset=WorkshopOutcome.objects.for_display()),
    )


@lru_cache
def _involving_sql():
    """workshops_involving()'s query, for parameters (True, the member's id five times, the limit): the same
    rows, columns and order as workshops_with_records() on the live workshops that involve the member."""
    from matchmaking.models import Exchange
    from workshops.models import WorkshopPage

    q = connection.ops.quote_name
    workshop, page = q(WorkshopPage._meta.db_table), q(Page._meta.db_table)
    organisers = q(WorkshopPage.organisers.through._meta.db_table)
    served = q(WorkshopPage.exchanges.through._meta.db_table)
    outcome_members = q(WorkshopOutcome.members.through._meta.db_table)
    outcome, material, exchange = (q(model._meta.db_table) for model in (WorkshopOutcome, WorkshopMaterial, Exchange))
    columns = ", ".join(
        [f"p.{q('id')}", f"w.{q('page_ptr_id')}"]
        + [f"p.{q(name)}" for name in ("title", "url_path", "locale_id")]
        + [f"w.{q(name)}" for name in ("kind", "format", "start", "end", "time_zone", "whole_days")]
    )
    member = f"{q('memberpage_id')} = %s"
    return (
        f"SELECT {columns} FROM {workshop} w INNER JOIN {page} p ON (w.{q('page_ptr_id')} = p.{q('id')})"
        f" WHERE p.{q('live')} = %s AND ("
        f"EXISTS (SELECT 1 FROM {organisers} o WHERE o.{q('workshoppage_id')} = p.{q('id')} AND o.{member})"
        f" OR EXISTS (SELECT 1 FROM {outcome} oc INNER JOIN {outcome_members} om"
        f" ON (om.{q('workshopoutcome_id')} = oc.{q('id')})"
        f" WHERE oc.{q('workshop_id')} = p.{q('id')} AND om.{member})"
        f" OR EXISTS (SELECT 1 FROM {served} s INNER JOIN {exchange} e ON (s.{q('exchange_id')} = e.{q('id')})"
        f" WHERE s.{q('workshoppage_id')} = p.{q('id')}"
        f" AND (e.{q('provider_id')} = %s OR e.{q('learner_id')} = %s OR e.{q('facilitator_id')} = %s)))"
        f" AND (EXISTS (SELECT 1 FROM {material} m WHERE m.{q('workshop_id')} = p.{q('id')})"
        f" OR EXISTS (SELECT 1 FROM {outcome} oc WHERE oc.{q('workshop_id')} = p.{q('id')}))"
        f" ORDER BY w.{q('start')} IS NULL, w.{q('start')} DESC, p.{q('title')} ASC LIMIT %s"
    )


def workshops_for_exchange(exchange):
    """Workshops (live or not) that serve `exchange` or record an outcome of it, with their materials and
    outcomes, latest first: for the exchange's admin view."""
    from workshops.models import WorkshopPage

    ids = WorkshopPage.objects.filter(Q(exchanges=exchange) | Q(outcomes__exchange=exchange)).values("pk")
    return prefetch_records(
        WorkshopPage.objects.filter(pk__in=ids)
        .order_by(F("start").desc(nulls_last=True), "title")
        .only("title", "live", "kind", "format", "start", "end", "time_zone", "whole_days")
    )
