"""Admin login lockout, production settings, and what a fresh installation ships."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_ENV = {
    "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ!@#$%^&*()_+" * 2,
    "ALLOWED_HOSTS": "ssn4psi.example.org",
    "DATABASE_URL": "sqlite:////tmp/ssn4psi-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # `check` does not connect to it
}


def run_manage(*args, env):
    unwanted = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set the last one
    clean = {key: value for key, value in os.environ.items() if key not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ssn4psi.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_admin_login_locks_out_after_five_wrong_passwords(client):
    get_user_model().objects.create_user("officer", "officer@example.org", "the-right-password-123")
    for _attempt in range(4):
        response = client.post("/admin/login/", {"username": "officer", "password": "guess"})
        assert response.status_code == 200  # the form again, with an error
    assert client.post("/admin/login/", {"username": "officer", "password": "guess"}).status_code == 429

    locked = client.post("/admin/login/", {"username": "officer", "password": "the-right-password-123"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert not locked.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_lockout_is_per_user_name_and_address(client):
    get_user_model().objects.create_user("officer", "officer@example.org", "the-right-password-123")
    get_user_model().objects.create_user("other", "other@example.org", "the-right-password-456")
    for _attempt in range(5):
        client.post("/admin/login/", {"username": "officer", "password": "guess"})

    response = client.post("/admin/login/", {"username": "other", "password": "the-right-password-456"})

    assert response.status_code == 302  # another account from the same address still logs in


@pytest.mark.django_db
def test_no_account_ships_with_the_site(site):
    assert not get_user_model().objects.exists()


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", env={"ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env={"SECRET_KEY": DEPLOY_ENV["SECRET_KEY"]})
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_redis_url():
    env = {key: value for key, value in DEPLOY_ENV.items() if key != "REDIS_URL"}
    result = run_manage("check", env={**env, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "Set REDIS_URL to the Redis server every web process and worker shares" in result.stderr


def test_check_deploy_passes_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=DEPLOY_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_spreadsheet_cells_are_made_safe():
    from ssn4psi.spreadsheets import csv_cell, xlsx_cell

    for typed in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(typed) == "'" + typed
    assert [csv_cell(value) for value in ("Amina", "a=b", 42, None)] == ["Amina", "a=b", 42, None]
    assert xlsx_cell("A\x00m\x07ina\tD\niallo\r") == "Amina\tD\niallo\r"
    assert xlsx_cell(7) == 7


def test_the_admin_loads_nothing_from_an_external_host(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    # Loaded from elsewhere: images and scripts (src), stylesheets and icons (<link href>). Plain links may point out.
    loaded = re.findall(r'src="(https?://[^"]+)"', html) + re.findall(r'<link[^>]+href="(https?://[^"]+)"', html)
    assert [url for url in loaded if "testserver" not in url] == []
