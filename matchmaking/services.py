"""Writes about exchanges: creating one from a pairing and following it through its life.

Every write opens its own transaction, records the step in `ExchangeStatusChange` and in Wagtail's
audit log (so the admin's history shows who did what), and raises `ExchangeError` when the request
breaks a rule of the network. The rules of the life cycle are in `allowed_transitions()`.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from matchmaking.models import Exchange, ExchangeStatusChange
from ssn4psi.vocabulary import ExchangeStatus

#: The audit-log action recorded when an exchange's status changes (registered in wagtail_hooks.py).
STATUS_CHANGE_LOG_ACTION = "matchmaking.exchange.change_status"

#: The life of an exchange, in order; moving forward may skip steps.
LIFE_CYCLE = (
    ExchangeStatus.PROPOSED,
    ExchangeStatus.AGREED,
    ExchangeStatus.KNOWLEDGE_SHARED,
    ExchangeStatus.AGREEMENT_SIGNED,
    ExchangeStatus.REPLICATING,
    ExchangeStatus.COMPLETED,
)
FINAL_STATUSES = frozenset({ExchangeStatus.COMPLETED, ExchangeStatus.DROPPED})

KEY_MAX_LENGTH = Exchange._meta.get_field("key").max_length


class ExchangeError(Exception):
    """An exchange cannot be written as asked; `message` says why, in words a user understands, and
    `field` names the field at fault when there is one (for forms)."""

    def __init__(self, message, *, field=None):
        self.message = message
        self.field = field
        super().__init__(message)

    def __str__(self):
        return str(self.message)


class InvalidTransition(ExchangeError):
    """The exchange cannot move from its current status to the one asked for."""


def allowed_transitions(status):
    """The statuses an exchange in `status` may move to, in life-cycle order.

    Forward along `LIFE_CYCLE` (skipping steps is fine); any status that is not final may be dropped;
    completed is final; dropped may only be reopened as proposed."""
    status = ExchangeStatus(status)
    if status == ExchangeStatus.COMPLETED:
        return []
    if status == ExchangeStatus.DROPPED:
        return [ExchangeStatus.PROPOSED]
    return [*LIFE_CYCLE[LIFE_CYCLE.index(status) + 1 :], ExchangeStatus.DROPPED]


def check_transition(current, new):
    """Raise `InvalidTransition` unless an exchange in `current` may move to `new`."""
    current, new = ExchangeStatus(current), ExchangeStatus(new)
    if new == current:
        raise InvalidTransition(_("The exchange is already “%(status)s”.") % {"status": current.label}, field="status")
    if new in allowed_transitions(current):
        return
    if current == ExchangeStatus.COMPLETED:
        message = _("A completed exchange is closed: its status cannot change any more.")
    elif current == ExchangeStatus.DROPPED:
        message = _("A dropped exchange can only be reopened as “%(proposed)s”.")
    else:
        message = _("An exchange cannot go back from “%(current)s” to “%(new)s”.")
    raise InvalidTransition(
        message % {"current": current.label, "new": new.label, "proposed": ExchangeStatus.PROPOSED.label},
        field="status",
    )


def check_pairing(*, provider, learner, facilitator=None, exchange=None):
    """Raise `ExchangeError` unless provider -> learner (with `facilitator`) may be an exchange.

    The provider and the learner are two members, the facilitator is a third one, and a pair has at
    most one exchange that is not dropped (`exchange`, when given, is the one being edited)."""
    if provider is None or learner is None:
        raise ExchangeError(_("An exchange needs a provider and a learner."))
    if provider.pk == learner.pk:
        raise ExchangeError(_("The provider and the learner must be two different members."), field="learner")
    if facilitator is not None and facilitator.pk in (provider.pk, learner.pk):
        raise ExchangeError(
            _("The facilitator must be a third member, neither the provider nor the learner."), field="facilitator"
        )
    others = Exchange.objects.active().filter(provider=provider, learner=learner)
    if exchange is not None and exchange.pk is not None:
        others = others.exclude(pk=exchange.pk)
    existing = others.first()
    if existing is not None:
        raise ExchangeError(
            _("%(provider)s and %(learner)s already have an exchange under way: %(key)s.")
            % {"provider": provider, "learner": learner, "key": existing.key}
        )


def new_exchange_key(provider, learner):
    """A key for a new exchange provider -> learner that no exchange has: "<learner>-<provider>",
    with "-2", "-3"... added when it is taken."""
    base = slugify(f"{learner.key}-{provider.key}")[: KEY_MAX_LENGTH - 4].strip("-") or "exchange"
    taken = set(Exchange.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def create_exchange(
    *,
    provider,
    learner,
    facilitator=None,
    solutions=(),
    status=ExchangeStatus.PROPOSED,
    date=None,
    summary="",
    note="",
    user,
):
    """Create the exchange provider -> learner around `solutions` and record its first status.

    The key is made from the learner's and the provider's keys. Raises `ExchangeError`, having
    written nothing, when the pairing breaks a rule (see `check_pairing()`)."""
    from members.models import MemberPage

    status = ExchangeStatus(status)
    with transaction.atomic():
        # Two people turning the same recommendation into an exchange at once: the second one waits
        # here, then sees the first one's exchange and is refused.
        list(MemberPage.objects.select_for_update().filter(pk__in=[provider.pk, learner.pk]).order_by("pk"))
        check_pairing(provider=provider, learner=learner, facilitator=facilitator)
        exchange = Exchange.objects.create(
            key=new_exchange_key(provider, learner),
            provider=provider,
            learner=learner,
            facilitator=facilitator,
            status=status,
            date=date,
            summary=summary,
        )
        if solutions:
            exchange.solutions.set(solutions)
        ExchangeStatusChange.objects.create(
            exchange=exchange, status=status, date=timezone.localdate(), note=note, changed_by=user
        )
        log(instance=exchange, action="wagtail.create", user=user, content_changed=True)
    return exchange


def change_status(exchange, status, *, date=None, note="", user):
    """Move `exchange` to `status` (on `date`, today by default) and record the step with `note`.

    Raises `InvalidTransition` when the life cycle does not allow it (see `allowed_transitions()`),
    including asking for the status it already has. Returns the recorded `ExchangeStatusChange`."""
    status = ExchangeStatus(status)
    with transaction.atomic():
        # Read the status under a lock: two changes at once are checked one after the other.
        current = Exchange.objects.select_for_update().values_list("status", flat=True).get(pk=exchange.pk)
        check_transition(current, status)
        exchange.status = status
        # save(), not update(): the matcher listens to saved exchanges (a dropped pair is recommended again).
        exchange.save(update_fields=["status"])
        change = ExchangeStatusChange.objects.create(
            exchange=exchange, status=status, date=date or timezone.localdate(), note=note, changed_by=user
        )
        log(
            instance=exchange,
            action=STATUS_CHANGE_LOG_ACTION,
            user=user,
            data={"from": current, "to": str(status), "note": note},
            content_changed=True,
        )
    return change
