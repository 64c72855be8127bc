"""Writes about the meeting agenda of a matchmaking workshop: creating the workshop from pairings,
proposing its meetings, and editing them by hand.

The agenda is planned by the pure matcher (matchmaking.pairing): `choose_meetings` picks the pairs (each
learner meets at most k providers, each provider at most c learners, largest total score), `schedule` and
`spread` place them in slots and at tables so that no delegation and no table is double-booked. Every hand
edit is checked again with `check_agenda` before anything is written; an edit that breaks a guarantee raises
`AgendaConflict`, naming the delegation and the slot, and writes nothing. Every write holds a lock on the
workshop's MeetingAgenda row, so two people editing at once are checked one after the other."""

import dataclasses
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from matchmaking import pairing
from ssn4psi.slugs import free_slug
from workshops.agenda_models import AGENDA_LOG_ACTION, Meeting, MeetingAgenda

#: The score of a pair the matcher does not recommend (an exchange staff chose): as good as its best.
UNRECOMMENDED_SCORE = 1.0


class AgendaRefused(Exception):
    """The agenda cannot be written as asked; `message` says why in words a user understands, and `field`
    names the form field at fault when there is one."""

    def __init__(self, message, *, field=None, problems=()):
        self.message = message
        self.field = field
        self.problems = list(problems)
        super().__init__(message)

    def __str__(self):
        return str(self.message)


class AgendaConflict(AgendaRefused):
    """A hand edit would double-book a delegation or a table, pair two delegations twice, leave the
    slots or tables, or give a delegation more meetings than allowed. `problems` lists each one."""


class CannotPropose(AgendaRefused):
    """The optimiser cannot propose an agenda (no slot fits, a delegation on both sides...)."""


@dataclasses.dataclass(frozen=True)
class Proposal:
    """What `propose_agenda` did: the meetings it placed and the workshop's exchanges it left out."""

    meetings: int
    left_out: list
    slots: int


def delegation_labels(members):
    """{member pk: its name}, the key added where two members share a name: how the agenda's messages
    name a delegation."""
    members = list(members)
    count = Counter(member.title for member in members)
    return {m.pk: m.title if count[m.title] == 1 else f"{m.title} ({m.key})" for m in members}


def agenda_of(workshop, *, lock=False):
    """The workshop's MeetingAgenda (created with the defaults when it has none), locked when asked."""
    agenda, _created = MeetingAgenda.objects.get_or_create(workshop=workshop)
    if lock:
        agenda = MeetingAgenda.objects.select_for_update().get(pk=agenda.pk)
    agenda.workshop = workshop
    return agenda


def candidate_pairs(workshop):
    """The pairs the workshop could seat: its exchanges that are not dropped, each with the matcher's
    score and reasons when it recommends the pair (UNRECOMMENDED_SCORE otherwise). Two queries."""
    from matchmaking.models import PartnerRecommendation

    exchanges = list(
        workshop.exchanges.active().select_related("provider", "learner").order_by("provider__title", "learner__title")
    )
    if not exchanges:
        return []
    recommended = {}
    pairs = Q()
    for exchange in exchanges:
        pairs |= Q(provider_id=exchange.provider_id, learner_id=exchange.learner_id)
    for row in PartnerRecommendation.objects.filter(pairs).only("provider_id", "learner_id", "score", "reasons"):
        recommended[(row.provider_id, row.learner_id)] = row
    candidates, seen = [], set()
    for exchange in exchanges:
        pair = (exchange.provider_id, exchange.learner_id)
        if pair in seen:  # a pair meets once, even with two exchanges
            continue
        seen.add(pair)
        row = recommended.get(pair)
        score = row.score if row is not None and row.score > 0 else UNRECOMMENDED_SCORE
        candidates.append({"exchange": exchange, "score": score, "reasons": row.reasons if row is not None else []})
    return candidates


def propose_agenda(workshop, *, tables=None, max_per_learner=None, max_per_provider=None, slot_minutes=None, user):
    """Replace the workshop's meetings with the optimiser's proposal, after updating the settings given.

    Nobody gets more meetings than there are slots; when the chosen meetings outnumber the places (slots ×
    tables), the lowest scores are left out. Raises CannotPropose, having written nothing, when no slot
    fits in the workshop or a member is both a learner and a provider among its exchanges."""
    with transaction.atomic():
        agenda = agenda_of(workshop, lock=True)
        for field, value in (
            ("tables", tables),
            ("max_meetings_per_learner", max_per_learner),
            ("max_meetings_per_provider", max_per_provider),
            ("slot_minutes", slot_minutes),
        ):
            if value is not None:
                setattr(agenda, field, value)
        slots = agenda.slot_count
        if slots < 1:
            raise CannotPropose(
                _("The workshop is shorter than one slot of %(minutes)s minutes.") % {"minutes": agenda.slot_minutes},
                field="slot_minutes",
            )
        candidates = candidate_pairs(workshop)
        by_pair = {(str(c["exchange"].learner_id), str(c["exchange"].provider_id)): c for c in candidates}
        scores = {pair: c["score"] for pair, c in by_pair.items()}
        k = min(agenda.max_meetings_per_learner, slots)
        c = min(agenda.max_meetings_per_provider, slots)
        chosen = pairing.choose_meetings(scores, k, c)[: slots * agenda.tables]  # best first
        try:
            placed = pairing.spread(pairing.schedule(chosen, slots), slots, agenda.tables)
        except pairing.AgendaError:
            members = {}
            for candidate in candidates:
                members[candidate["exchange"].learner_id] = candidate["exchange"].learner
                members[candidate["exchange"].provider_id] = candidate["exchange"].provider
            both = {m.learner for m in chosen} & {m.provider for m in chosen}
            labels = delegation_labels(members.values())
            names = ", ".join(sorted(labels[int(pk)] for pk in both)) or "?"
            raise CannotPropose(
                _(
                    "%(names)s would be both a learner and a provider in this workshop: an agenda needs each "
                    "delegation on one side. Remove one of its exchanges from the workshop."
                )
                % {"names": names}
            ) from None
        agenda.proposed_at = timezone.now()
        agenda.save()
        Meeting.objects.filter(workshop=workshop).delete()
        Meeting.objects.bulk_create(
            Meeting(
                workshop=workshop,
                slot=m.slot,
                table=m.table,
                provider_id=int(m.provider),
                learner_id=int(m.learner),
                exchange=by_pair[(m.learner, m.provider)]["exchange"],
                score=m.score,
                reasons=by_pair[(m.learner, m.provider)]["reasons"],
            )
            for m in placed
        )
        met = {(m.learner, m.provider) for m in placed}
        left_out = [c["exchange"] for pair, c in by_pair.items() if pair not in met]
        _log(workshop, user, "propose", meetings=len(placed))
    return Proposal(meetings=len(placed), left_out=left_out, slots=slots)


def move_meeting(meeting, *, slot, table, user):
    """Move `meeting` to `slot` (0-based) at `table`; AgendaConflict, nothing written, when that breaks
    a guarantee of the agenda."""
    with transaction.atomic():
        agenda = agenda_of(meeting.workshop, lock=True)
        rows = _rows(meeting.workshop)
        if meeting.pk not in {row.pk for row in rows}:
            raise AgendaRefused(_("This meeting is no longer on the agenda."))
        edited = [dataclasses.replace(row, slot=slot, table=table) if row.pk == meeting.pk else row for row in rows]
        _check(agenda, rows, edited)
        Meeting.objects.filter(pk=meeting.pk).update(slot=slot, table=table)
        meeting.slot, meeting.table = slot, table
        _log(meeting.workshop, user, "move", meeting=str(meeting))
    return meeting


def remove_meeting(meeting, *, user):
    """Take `meeting` off the agenda (always possible)."""
    with transaction.atomic():
        agenda_of(meeting.workshop, lock=True)
        description = str(meeting)
        deleted, _rows_deleted = Meeting.objects.filter(pk=meeting.pk).delete()
        if not deleted:
            raise AgendaRefused(_("This meeting is no longer on the agenda."))
        _log(meeting.workshop, user, "remove", meeting=description)


def add_meeting(workshop, *, provider, learner, slot, table, user):
    """Add a meeting provider – learner in `slot` (0-based) at `table`. It is linked to the workshop's
    exchange for that pair when there is one, with the matcher's score and reasons when it recommends the
    pair. AgendaConflict, nothing written, when it breaks a guarantee of the agenda."""
    from matchmaking.models import PartnerRecommendation

    if provider.pk == learner.pk:
        raise AgendaConflict(_("A delegation cannot meet itself."), field="learner")
    with transaction.atomic():
        agenda = agenda_of(workshop, lock=True)
        rows = _rows(workshop)
        new = _Row(pk=None, learner=learner.pk, provider=provider.pk, slot=slot, table=table)
        _check(agenda, rows, [*rows, new], extra_members=[provider, learner])
        exchange = workshop.exchanges.active().filter(provider=provider, learner=learner).first()
        recommendation = PartnerRecommendation.objects.filter(provider=provider, learner=learner).first()
        score = recommendation.score if recommendation else (UNRECOMMENDED_SCORE if exchange else 0.0)
        meeting = Meeting.objects.create(
            workshop=workshop,
            slot=slot,
            table=table,
            provider=provider,
            learner=learner,
            exchange=exchange,
            score=score,
            reasons=recommendation.reasons if recommendation else [],
        )
        _log(workshop, user, "add", meeting=str(meeting))
    return meeting


def create_matchmaking_workshop(
    *,
    title,
    start,
    end,
    time_zone,
    venue="",
    exchanges=(),
    recommendations=(),
    tables=10,
    max_per_learner=3,
    max_per_provider=3,
    slot_minutes=30,
    user,
):
    """A draft matchmaking workshop under the workshop index, serving `exchanges` and the pairs of
    `recommendations` (each becomes a proposed exchange through matchmaking.services.create_exchange, or
    reuses the pair's exchange already under way), with its agenda proposed. Returns (page, Proposal).
    Raises AgendaRefused, having written nothing, when there is nothing to pair or no agenda fits."""
    from matchmaking.models import Exchange
    from matchmaking.services import create_exchange
    from members.models import MemberPage
    from solutions.models import SolutionPage
    from workshops.models import WorkshopFormat, WorkshopIndexPage, WorkshopKind, WorkshopPage

    if not exchanges and not recommendations:
        raise AgendaRefused(_("Select at least one exchange or recommendation."), field="exchanges")
    if end <= start:
        raise AgendaRefused(_("The workshop must end after it starts."), field="end")
    with transaction.atomic():
        index = WorkshopIndexPage.objects.first()
        if index is None:
            raise AgendaRefused(_("There is no workshop index page to add the workshop to."))
        attached = list(exchanges)
        for recommendation in recommendations:
            pair = {"provider": recommendation.provider, "learner": recommendation.learner}
            existing = Exchange.objects.active().filter(**pair).first()
            if existing is None:
                facilitator_keys = [f["key"] for f in recommendation.facilitators if f.get("key")]
                facilitator = MemberPage.objects.filter(key__in=facilitator_keys[:1]).first()
                existing = create_exchange(
                    provider=recommendation.provider,
                    learner=recommendation.learner,
                    facilitator=facilitator,
                    solutions=list(SolutionPage.objects.filter(key__in=recommendation.solutions)),
                    note=str(_("Proposed for the matchmaking workshop “%(title)s”.") % {"title": title}),
                    user=user,
                )
            attached.append(existing)
        page = WorkshopPage(
            title=title,
            slug=_free_slug(index, title),
            kind=WorkshopKind.MATCHMAKING,
            format=WorkshopFormat.IN_PERSON,
            start=start,
            end=end,
            time_zone=time_zone,
            venue=venue,
            live=False,
            owner=user,
        )
        index.add_child(instance=page)
        page.exchanges.set({exchange.pk: exchange for exchange in attached}.values())
        page.save()
        page.save_revision(user=user)
        log(instance=page, action="wagtail.create", user=user)
        MeetingAgenda.objects.create(
            workshop=page,
            tables=tables,
            max_meetings_per_learner=max_per_learner,
            max_meetings_per_provider=max_per_provider,
            slot_minutes=slot_minutes,
        )
        proposal = propose_agenda(page, user=user)
    return page, proposal


# --- inside the services -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Row:
    pk: int | None
    learner: int
    provider: int
    slot: int
    table: int


def _rows(workshop):
    return [
        _Row(pk, learner, provider, slot, table)
        for pk, learner, provider, slot, table in Meeting.objects.filter(workshop=workshop).values_list(
            "pk", "learner_id", "provider_id", "slot", "table"
        )
    ]


def _check(agenda, before, after, extra_members=()):
    """Raise AgendaConflict when `after` has a problem `before` did not have (check_agenda's guarantees,
    and tables within the agenda's number of tables)."""
    from members.models import MemberPage

    ids = {row.learner for row in after} | {row.provider for row in after}
    members = {m.pk: m for m in MemberPage.objects.filter(pk__in=ids).only("pk", "title", "key")}
    members.update({m.pk: m for m in extra_members})
    labels = delegation_labels(members.values())

    def problems(rows):
        meetings = [pairing.Meeting(labels[r.learner], labels[r.provider], 0.0, r.slot, r.table) for r in rows]
        found = pairing.check_agenda(
            meetings, agenda.max_meetings_per_learner, agenda.max_meetings_per_provider, agenda.slot_count
        )
        for r in rows:
            if not 1 <= r.table <= agenda.tables:
                found.append(
                    str(
                        _("%(provider)s – %(learner)s is at table %(table)s, outside 1–%(tables)s")
                        % {
                            "provider": labels[r.provider],
                            "learner": labels[r.learner],
                            "table": r.table,
                            "tables": agenda.tables,
                        }
                    )
                )
        return Counter(found)

    new = problems(after) - problems(before)
    if new:
        found = sorted(new.elements())
        raise AgendaConflict(
            _("Not saved: %(problems)s.") % {"problems": "; ".join(found)},
            problems=found,
        )


def _free_slug(index, title):
    return free_slug(index, slugify(title)[:70].strip("-") or "matchmaking-workshop")


def _log(workshop, user, change, **data):
    log(instance=workshop, action=AGENDA_LOG_ACTION, user=user, data={"change": change, **data})
