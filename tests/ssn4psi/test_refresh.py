"""Recomputes coalesced (ssn4psi.refresh): a burst of requests gives one run, at most one runs at a time, requests
that come in while it runs give one more run on the newer state, and what could not be queued is done by the
next task."""

import datetime

import pytest
from django.utils import timezone

from ssn4psi import refresh
from ssn4psi.models import Refresh

pytestmark = pytest.mark.django_db

NAME = "test-work"


class Work:
    """A computation that counts its runs and can ask for more work while it runs (an edit meanwhile)."""

    def __init__(self, asks_while_running=0):
        self.runs = 0
        self.asks_while_running = asks_while_running

    def __call__(self):
        self.runs += 1
        if self.asks_while_running:
            self.asks_while_running -= 1
            ask()
        return self.runs


def ask(times=1):
    """A request whose task could not be queued (as with the broker down)."""
    for _ in range(times):
        refresh.request(NAME, task=NotQueued())


class NotQueued:
    name = "not-queued"

    def delay(self, *args):
        from kombu.exceptions import OperationalError

        raise OperationalError("Connection refused.")


def test_nothing_asked_nothing_run():
    work = Work()
    assert refresh.run(NAME, work) is None
    assert work.runs == 0


def test_a_burst_gives_one_run_and_then_nothing_is_pending():
    ask(50)
    assert refresh.pending(NAME)
    work = Work()
    assert refresh.run(NAME, work) == 1
    assert work.runs == 1 and not refresh.pending(NAME)
    assert refresh.run(NAME, work) is None and work.runs == 1
    state = Refresh.objects.get(name=NAME)
    assert (state.requested, state.done, state.running_since) == (50, 50, None)
    assert state.finished_at is not None


def test_requests_while_running_give_one_more_run_on_the_newer_state():
    ask()
    work = Work(asks_while_running=1)
    assert refresh.run(NAME, work) == 2
    assert work.runs == 2 and not refresh.pending(NAME)


def test_at_most_one_runs_a_task_meanwhile_returns_at_once():
    ask()
    assert refresh.claim(NAME)  # another worker runs it
    work = Work()
    assert refresh.run(NAME, work) is None and work.runs == 0
    assert refresh.pending(NAME)


def test_the_claim_of_a_dead_worker_is_taken_again():
    ask()
    stale = timezone.now() - refresh.STALE_CLAIM - datetime.timedelta(minutes=1)
    Refresh.objects.filter(name=NAME).update(running_since=stale)
    work = Work()
    assert refresh.run(NAME, work) == 1 and not refresh.pending(NAME)


def test_a_failed_run_releases_its_claim_and_stays_pending():
    ask()

    def fail():
        raise RuntimeError("the matcher failed")

    with pytest.raises(RuntimeError):
        refresh.run(NAME, fail)
    state = Refresh.objects.get(name=NAME)
    assert state.running_since is None and refresh.pending(NAME)
    assert refresh.run(NAME, Work()) == 1


def test_fifty_edits_with_the_broker_down_give_one_recompute(
    small_world, monkeypatch, django_capture_on_commit_callbacks
):
    """Through the real signals and task: each edit commits and asks; nothing can be queued; the next task run
    (Celery beat's, once the broker is back) recomputes once."""
    from matchmaking import recommendations, tasks
    from members.models import MemberPage

    monkeypatch.setattr(tasks.refresh_recommendations, "delay", NotQueued().delay)
    runs = []
    original = recommendations.refresh_recommendations
    monkeypatch.setattr(recommendations, "refresh_recommendations", lambda: runs.append(1) or original())
    before = Refresh.objects.filter(name=tasks.REFRESH).values_list("requested", flat=True).first() or 0
    member = MemberPage.objects.get(key="phl-barmm")
    for _ in range(50):
        with django_capture_on_commit_callbacks(execute=True):
            MemberPage.objects.get(pk=member.pk).save_revision().publish()
    assert Refresh.objects.get(name=tasks.REFRESH).requested >= before + 50
    assert runs == []

    counts = tasks.refresh_recommendations()
    assert runs == [1] and set(counts) == {"learners", "partners", "solutions"}
    assert tasks.refresh_recommendations() is None and runs == [1]
