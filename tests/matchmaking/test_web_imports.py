"""A web worker does not load the matcher's libraries (networkx, numpy, scipy: about 80 MB a process) until it
runs the matcher: pages read the stored results (matchmaking.listings), and the admin views that run the matcher
or the agenda's optimiser import them when they are used."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("networkx", "numpy", "scipy", "matchmaking.graph", "matchmaking.scoring", "matchmaking.pairing")

# What a web worker does before its first request, and then some: the WSGI application, every URL, every
# wagtail_hooks module (hooks.get_hooks() loads them all), and each app's models, views, hooks and URLs.
WORKER = f"""
import importlib, sys
import django
django.setup()
from ssn4psi.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns
from wagtail import hooks
hooks.get_hooks("any")
for app in ("ssn4psi", "members", "solutions", "matchmaking", "workshops", "search"):
    for name in ("models", "views", "wagtail_hooks", "urls", "listings", "explain"):
        try:
            importlib.import_module(app + "." + name)
        except ModuleNotFoundError as error:
            if error.name != app + "." + name:
                raise
print("loaded:", ",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_a_web_worker_does_not_import_the_matchers_libraries():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ssn4psi.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", WORKER], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: ", result.stdout
