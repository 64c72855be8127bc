"""Benchmark of registration under load, over HTTP: 1,000 people register and confirm at once for 30 places.

    python bench/registrations.py [--people 1000] [--places 30] [--clients 50] [--workers 4]

The site runs under gunicorn (production settings, every cache off: bench/settings_uncached.py) on the page
benchmark's database, or BENCH_DATABASE_URL=postgres://... (the bar is measured on PostgreSQL; SQLite serialises
every write and takes one worker by default). A workshop is added for the run and deleted afterwards. Each
person, in its own thread among `--clients`, does what a browser does: opens the workshop page (CSRF cookie),
sends the registration form, then, once everyone has registered, opens the confirmation link of its e-mail and
presses the button. E-mails go through the real path (outbox, Celery in eager mode, Django's file backend) into a
temporary folder, where they are counted.

Checks (the issue's bar): exactly `places` confirmed and the rest on the waiting list, no HTTP error, every
registration stored (none lost), each person's confirmation e-mail and status e-mail sent once, nothing left in
the outbox. Exit status 1 when a check fails.
"""

import argparse
import email
import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402 (bench/pages.py: database preparation, gunicorn)

SETUP = """
import datetime, json, time
from django.utils import timezone
from network.site import ensure_site
from workshops.models import WorkshopPage
start = timezone.now() + datetime.timedelta(days=30)
workshop = WorkshopPage(title="Registration benchmark", slug=f"bench-{time.time_ns()}", kind="matchmaking",
                        format="in_person", start=start, end=start + datetime.timedelta(hours=8),
                        capacity=PARAMS["places"], time_zone="Asia/Dhaka")
ensure_site().workshops.add_child(instance=workshop)
print(json.dumps({"pk": workshop.pk, "url": workshop.url}))
"""

RESULT = """
import json
from workshops.models import OutboxEmail, Registration
registrations = Registration.objects.filter(workshop_id=PARAMS["pk"])
statuses = {}
for status in registrations.values_list("status", flat=True):
    statuses[status] = statuses.get(status, 0) + 1
owed = OutboxEmail.objects.filter(registration__workshop_id=PARAMS["pk"])
print(json.dumps({"stored": registrations.count(), "statuses": statuses, "emails_owed": owed.count(),
                  "emails_not_done": owed.filter(done_at=None).count()}))
"""

CLEANUP = """
from workshops.models import Registration, WorkshopPage
Registration.objects.filter(workshop_id=PARAMS["pk"]).delete()
WorkshopPage.objects.get(pk=PARAMS["pk"]).delete()
"""

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_LINK = re.compile(r"https?://[^\s]+/registrations/confirm/[^\s/]+/")


def shell(code, params, env, answer=True):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"PARAMS = {params!r}\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise pages.BenchError("a manage.py step failed:\n" + result.stderr.strip()[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1]) if answer else None


class BehindHttps(http.cookiejar.DefaultCookiePolicy):
    """Sends the cookies production marks Secure over the benchmark's plain HTTP, as a browser does over the
    HTTPS of the proxy in front of gunicorn."""

    def return_ok_secure(self, cookie, request):
        return True


class Person:
    """One browser: its own cookies, its own connections."""

    def __init__(self, number, base):
        self.number, self.base = number, base
        self.email = f"person{number}@bench.example"
        cookies = http.cookiejar.CookieJar(BehindHttps())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    def _open(self, path, data=None):
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode() if data else None)
        if data:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def _form(self, path, fields, expected):
        """GET `path` for its CSRF token, then POST `fields`: None, or what went wrong."""
        status, html = self._open(path)
        token = CSRF.search(html)
        if status != 200 or not token:
            return f"GET {path}: {status}"
        status, html = self._open(path, {"csrfmiddlewaretoken": token.group(1), **fields})
        if status != 200 or expected not in html:
            return f"POST {path}: {status}"
        return None

    def register(self, workshop_path):
        fields = {
            "name": f"Person {self.number}",
            "email": self.email,
            "organisation": "Benchmark ministry",
            "role": "delegate",
            "privacy_consent": "on",
        }
        return self._form(workshop_path, fields, "Check your e-mail")

    def confirm(self, link_path):
        return self._form(link_path, {}, "")


def sent_mail(folder):
    """Every message the file backend wrote: [(to, subject, body)]."""
    messages = []
    for path in Path(folder).iterdir():
        # The file backend writes messages one after the other, each followed by a line of 79 dashes.
        for chunk in path.read_text(encoding="utf-8").split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                message = email.message_from_string(chunk)
                body = message.get_payload(decode=True) if not message.is_multipart() else None
                if body is None and message.is_multipart():
                    body = message.get_payload(0).get_payload(decode=True)
                messages.append((message["To"], message["Subject"], (body or b"").decode("utf-8", "replace")))
    return messages


def timed(pool, function, items):
    started = time.perf_counter()
    outcomes = list(pool.map(function, items))
    return time.perf_counter() - started, outcomes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--places", type=int, default=30)
    parser.add_argument("--clients", type=int, default=50, help="people acting at the same moment (threads)")
    parser.add_argument("--workers", type=int, help="gunicorn sync workers (default 4; 1 on SQLite)")
    options = parser.parse_args()
    if not (1 <= options.people <= 10_000 and 0 <= options.places <= options.people and 1 <= options.clients <= 200):
        parser.error("--people 1..10000, --places 0..people, --clients 1..200")
    database = pages.databases(())[0]
    engine = database.url.split(":", 1)[0]
    workers = options.workers or (1 if engine == "sqlite" else 4)
    RESULTS.mkdir(parents=True, exist_ok=True)
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    mail_folder = tempfile.mkdtemp(prefix="bench-mail-")
    env = pages.base_env(database.url, static_root)
    pages.prepare_database(database, env, rebuild=False)
    pages.manage(["collectstatic", "--noinput", "-v0"], env)
    env.update(EMAIL_URL=f"file://{mail_folder}", WAGTAILADMIN_BASE_URL="http://127.0.0.1")
    workshop = shell(SETUP, {"places": options.places}, env)
    gunicorn = None
    try:
        gunicorn = pages.start_gunicorn(env, workers)
        port = pages.wait_until_ready(gunicorn, workers)
        base = f"http://127.0.0.1:{port}"
        people = [Person(number, base) for number in range(options.people)]
        print(f"{options.people} people, {options.places} places, {options.clients} at once, {workers} workers")
        with ThreadPoolExecutor(max_workers=options.clients) as pool:
            register_seconds, register_errors = timed(pool, lambda p: p.register(workshop["url"]), people)
            links = {}
            for to, _subject, body in sent_mail(mail_folder):
                if found := CONFIRM_LINK.search(body):
                    links.setdefault(to, urllib.parse.urlsplit(found.group(0)).path)
            missing = [person for person in people if person.email not in links]

            def confirm(person):
                return person.confirm(links[person.email]) if person.email in links else "no confirmation e-mail"

            confirm_seconds, confirm_errors = timed(pool, confirm, people)
    finally:
        if gunicorn is not None:
            pages.stop(gunicorn)
    found = shell(RESULT, {"pk": workshop["pk"]}, env)
    shell(CLEANUP, {"pk": workshop["pk"]}, env, answer=False)
    messages = sent_mail(mail_folder)
    shutil.rmtree(mail_folder, ignore_errors=True)
    shutil.rmtree(static_root, ignore_errors=True)
    per_person = Counter(to for to, _subject, _body in messages)
    errors = [error for error in register_errors + confirm_errors if error]
    expected = {"confirmed": options.places, "waitlisted": options.people - options.places}
    checks = {
        f"exactly {options.places} confirmed, the rest waiting": {k: v for k, v in expected.items() if v}
        == found["statuses"],
        "no HTTP error": not errors,
        "none lost (every registration stored)": found["stored"] == options.people,
        "every confirmation e-mail arrived": not missing,
        "each e-mail sent once (2 per person)": set(per_person.values()) == {2} and len(per_person) == options.people,
        "nothing left in the outbox": found["emails_not_done"] == 0,
    }
    report = {
        "people": options.people,
        "places": options.places,
        "clients": options.clients,
        "workers": workers,
        "engine": engine,
        "register_seconds": round(register_seconds, 1),
        "confirm_seconds": round(confirm_seconds, 1),
        "registrations_per_second": round(options.people / register_seconds, 1),
        "statuses": found["statuses"],
        "stored": found["stored"],
        "emails_sent": len(messages),
        "emails_owed": found["emails_owed"],
        "errors": Counter(errors).most_common(5),
        "checks": checks,
    }
    print(
        f"register: {register_seconds:.1f} s ({options.people / register_seconds:.0f}/s); "
        f"confirm: {confirm_seconds:.1f} s; outcome {found['statuses']}; {found['stored']} stored; "
        f"{len(messages)} e-mails for {len(per_person)} people"
    )
    for check, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {check}")
    if errors:
        print(f"  errors: {Counter(errors).most_common(5)}")
    (RESULTS / "registrations.json").write_text(json.dumps(report, indent=2) + "\n")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    try:
        main()
    except pages.BenchError as error:
        sys.exit(f"bench: {error}")
