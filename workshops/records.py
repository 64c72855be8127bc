"""What a workshop leaves behind: its materials (reports, videos, press releases, policy notes...) and its
outcomes (agreements signed, follow-up exchanges, pilots, policy changes), edited by its organisers in the
Wagtail editor after the event, and shown on the workshop's page, on the pages of the members involved and on
the exchange's admin view.

The read side is here too: `read_records()` reads the materials and outcomes of a list of workshops in a fixed
number of queries, whatever the number of workshops, materials or outcomes."""

import posixpath
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.documents.models import Document
from wagtail.models import Orderable, Page

from ssn4psi.fields import ChoiceLabels
from ssn4psi.languages import language_choices, localised_language_name
from ssn4psi.routing import PageLink, set_link
from ssn4psi.sql import placeholders, read


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


class WorkshopMaterial(ChoiceLabels, Orderable):
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


class WorkshopOutcome(ChoiceLabels, Orderable, ClusterableModel):
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

    @cached_property
    def members_involved(self):
        """The members involved, by name (read_records() sets them with the outcome)."""
        return list(self.members.all())


def read_records(workshops):
    """Sets `record_materials` and `record_outcomes` on each of `workshops` (a list of workshop pages): their
    materials (with their document) and outcomes (with their exchange's partners and the members involved), in
    the editor's order, from three hand-written queries whatever the number of workshops, materials or outcomes.
    The ORM's prefetches of the same took ten times as long as the database took to answer them."""
    from matchmaking.models import Exchange
    from members.models import MemberPage

    by_id = {workshop.pk: workshop for workshop in workshops}
    for workshop in workshops:
        workshop.record_materials, workshop.record_outcomes = [], []
    if not by_id:
        return workshops
    ids = list(by_id)
    for material in read(WorkshopMaterial, _materials_sql(len(ids)), ids):
        document = None
        if material.document_id is not None:
            document = Document.from_db(
                None,
                ["id", "title", "file", "file_size"],
                [material.document_id, material.document_title, material.document_file, material.document_file_size],
            )
        material._meta.get_field("document").set_cached_value(material, document)
        by_id[material.workshop_id].record_materials.append(material)
    outcomes = {}
    for outcome in read(WorkshopOutcome, _outcomes_sql(len(ids)), ids):
        exchange = None
        if outcome.exchange_id is not None:
            exchange = Exchange.from_db(
                None,
                ["id", "provider_id", "learner_id"],
                [outcome.exchange_id, outcome.provider_id, outcome.learner_id],
            )
            for role in ("provider", "learner"):
                set_link(
                    exchange,
                    role,
                    PageLink(MemberPage, id=getattr(outcome, f"{role}_id"), title=getattr(outcome, f"{role}_title")),
                )
        outcome._meta.get_field("exchange").set_cached_value(outcome, exchange)
        outcome.members_involved = []
        outcomes[outcome.pk] = outcome
        by_id[outcome.workshop_id].record_outcomes.append(outcome)
    if outcomes:
        with connection.cursor() as cursor:
            cursor.execute(_outcome_members_sql(len(outcomes)), list(outcomes))
            for outcome_id, pk, title, url_path, locale_id in cursor.fetchall():
                outcomes[outcome_id].members_involved.append(
                    PageLink(MemberPage, id=pk, page_ptr_id=pk, title=title, url_path=url_path, locale_id=locale_id)
                )
    return workshops


def _materials_sql(count):
    """read_records()'s materials of `count` workshops (their ids as parameters), with their document's title,
    file and size as document_title, document_file, document_file_size."""
    q = connection.ops.quote_name
    columns = ", ".join(
        f"m.{q(name)}"
        for name in ("id", "workshop_id", "sort_order", "kind", "title", "document_id", "url", "language", "date")
    )
    return (
        f"SELECT {columns}, d.{q('title')} AS document_title, d.{q('file')} AS document_file,"
        f" d.{q('file_size')} AS document_file_size FROM {q(WorkshopMaterial._meta.db_table)} m"
        f" LEFT OUTER JOIN {q(Document._meta.db_table)} d ON (m.{q('document_id')} = d.{q('id')})"
        f" WHERE m.{q('workshop_id')} IN ({placeholders(count)}) ORDER BY m.{q('sort_order')}, m.{q('id')}"
    )


def _outcomes_sql(count):
    """read_records()'s outcomes of `count` workshops (their ids as parameters), with their exchange's provider
    and learner as provider_id, provider_title, learner_id, learner_title."""
    from matchmaking.models import Exchange

    q = connection.ops.quote_name
    page = q(Page._meta.db_table)
    columns = ", ".join(
        f"o.{q(name)}" for name in ("id", "workshop_id", "sort_order", "kind", "text", "date", "exchange_id")
    )
    return (
        f"SELECT {columns}, e.{q('provider_id')} AS provider_id, pp.{q('title')} AS provider_title,"
        f" e.{q('learner_id')} AS learner_id, lp.{q('title')} AS learner_title"
        f" FROM {q(WorkshopOutcome._meta.db_table)} o"
        f" LEFT OUTER JOIN {q(Exchange._meta.db_table)} e ON (o.{q('exchange_id')} = e.{q('id')})"
        f" LEFT OUTER JOIN {page} pp ON (e.{q('provider_id')} = pp.{q('id')})"
        f" LEFT OUTER JOIN {page} lp ON (e.{q('learner_id')} = lp.{q('id')})"
        f" WHERE o.{q('workshop_id')} IN ({placeholders(count)}) ORDER BY o.{q('sort_order')}, o.{q('id')}"
    )


def _outcome_members_sql(count):
    """read_records()'s members involved in `count` outcomes (their ids as parameters): (outcome id, page id,
    title, url_path, locale_id) rows, by name."""
    q = connection.ops.quote_name
    through = q(WorkshopOutcome.members.through._meta.db_table)
    return (
        f"SELECT om.{q('workshopoutcome_id')}, p.{q('id')}, p.{q('title')}, p.{q('url_path')}, p.{q('locale_id')}"
        f" FROM {through} om INNER JOIN {q(Page._meta.db_table)} p ON (om.{q('memberpage_id')} = p.{q('id')})"
        f" WHERE om.{q('workshopoutcome_id')} IN ({placeholders(count)}) ORDER BY p.{q('title')}, p.{q('id')}"
    )


def workshops_involving(member, limit=20):
    """Live workshops with materials or outcomes that `member` organised, served an exchange of, or is named in
    an outcome of; records read (read_records()), latest first, at most `limit` (a list; four queries).

    The workshops are found by hand-written SQL (_involving_sql()): building and compiling the ORM's version
    of this query, five joins under a DISTINCT, took twenty times as long as SQLite took to answer it."""
    from workshops.models import WorkshopPage

    return read_records(read(WorkshopPage, _involving_sql(), [True] + [member.pk] * 5 + [limit]))


@lru_cache
def _involving_sql():
    """workshops_involving()'s query, for parameters (True, the member's id five times, the limit): the same
    live workshops that involve the member and have a material or an outcome: the columns a record's heading
    shows, latest first (undated last), then by title."""
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
    outcomes (read_records()), latest first: for the exchange's admin view (a list)."""
    from workshops.models import WorkshopPage

    ids = WorkshopPage.objects.filter(Q(exchanges=exchange) | Q(outcomes__exchange=exchange)).values("pk")
    return read_records(
        list(
            WorkshopPage.objects.filter(pk__in=ids)
            .order_by(F("start").desc(nulls_last=True), "title")
            .only("title", "live", "kind", "format", "start", "end", "time_zone", "whole_days")
        )
    )
