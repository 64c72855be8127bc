"""Work redone from the whole of the content (the recommendations, the similar solutions), coalesced.

A committed change asks for a refresh: `request(name)` counts the request and queues the task. The task runs the
work through `run(name, compute)`, which runs it only when it can claim it: at most one runs at a time, a task
that finds it running or nothing new asked for returns at once, and the one running goes again as long as
requests came in while it computed. A burst of 50 edits thus gives one or two runs, the last one on the last
state. A request whose task could not be queued (the broker was down) or whose worker died is done by the next
task to run: Celery beat runs each of these tasks every minute, which costs one UPDATE when nothing is asked.
"""

import datetime

from django.db.models import F, Q
from django.utils import timezone

from ssn4psi.models import Refresh
from ssn4psi.tasks import enqueue

#: A claim this old belongs to a worker that died: the work may be claimed again.
STALE_CLAIM = datetime.timedelta(minutes=30)


def request(name, task):
    """Ask for the work `name` once more and queue `task`, which runs it (call after the change's commit)."""
    ask(name)
    enqueue(task)


def ask(name):
    """Count one more request of the work `name`."""
    Refresh.objects.get_or_create(name=name)
    Refresh.objects.filter(name=name).update(requested=F("requested") + 1)


def pending(name):
    """Whether some request of `name` is not done yet."""
    return Refresh.objects.filter(name=name, requested__gt=F("done")).exists()


def claim(name, now=None):
    """Take the work `name` when something is asked and nobody runs it: True for the one caller that gets it."""
    now = now or timezone.now()
    free = Q(running_since=None) | Q(running_since__lt=now - STALE_CLAIM)
    return bool(Refresh.objects.filter(free, name=name, requested__gt=F("done")).update(running_since=now))


def run(name, compute):
    """Run `compute()` for the requests of `name` when this caller can claim them, again while new requests come
    in, and give its last result; None when there was nothing to do or another task runs it."""
    if not claim(name):
        return None
    try:
        while True:
            target = Refresh.objects.filter(name=name).values_list("requested", flat=True).get()
            result = compute()
            Refresh.objects.filter(name=name).update(done=target, finished_at=timezone.now())
            # Released only when nothing was asked meanwhile; otherwise computed again, on the newer state.
            if Refresh.objects.filter(name=name, requested=target).update(running_since=None):
                return result
    except BaseException:
        Refresh.objects.filter(name=name).update(running_since=None)
        raise
