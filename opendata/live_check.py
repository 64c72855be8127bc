"""The open-data API against a live server, as its clients will meet it: schemathesis (from PyPI) reads
/api/openapi.json and sends every GET operation generated requests, valid and invalid, and checks each answer:
no server error, every response conforming to the schema (status, content type, body), the documented headers.

A fresh SQLite database gets the demo content (`setup_site --demo`), `runserver` serves it on a free port of
127.0.0.1 with the throttle raised, and the run's exit status is schemathesis's (or 1 when the server logged an
error). NUL characters are not generated: the site refuses them in any request with a JSON 400 before any view,
which the schema's string parameters do not say. `make api-check`; CI runs it.

    python -m opendata.live_check [--max-examples 40] [--keep DIRECTORY]
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"api-check: the server did not answer {url} within {seconds} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=40, help="generated requests per operation and phase")
    parser.add_argument("--keep", help="a directory for the database and schemathesis's report (default: temporary)")
    options = parser.parse_args()
    workdir = Path(options.keep or tempfile.mkdtemp(prefix="ssn4psi-api-check-"))
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ssn4psi.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'api-check.sqlite3'}",
        "API_THROTTLE_RATE": "1000000/minute",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):  # the embedded defaults: eager tasks, per-process cache
        env.pop(name, None)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "setup_site", "--demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    try:
        schema = f"http://127.0.0.1:{port}/api/openapi.json"
        wait_for(schema)
        run = subprocess.run(
            [
                str(Path(PYTHON).with_name("schemathesis")),
                "run",
                schema,
                "--include-method",
                "GET",
                "--checks",
                "all",
                "--max-examples",
                str(options.max_examples),
                "--seed",
                "1",
                # NUL characters are refused with a JSON 400 before any view (RefuseNullCharactersMiddleware),
                # which the schema's string parameters do not say.
                "--generation-allow-x00",
                "false",
                "--workers",
                "2",
                "--report",
                "junit",
                "--report-dir",
                str(workdir),
            ],
            cwd=workdir,
            env={**os.environ, "NO_COLOR": "1"},
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = (workdir / "server.log").read_text(encoding="utf-8", errors="replace")
    if "Internal Server Error" in errors or "Traceback" in errors:
        print(errors[-5000:])
        print("api-check: the server logged an error (above)")
        return 1
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
