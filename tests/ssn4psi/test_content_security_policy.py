"""Every response carries a Content-Security-Policy: no inline script anywhere and nothing from another host; on the
public pages, the kept ones and the error pages included, no inline style either; the admin's allows the inline
styles Wagtail's interface sets (its inline scripts reach the browser as data: test_admin_scripts.py)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_public_pages_have_the_strict_policy(small_world, client, make_workshop):
    workshop = make_workshop()  # its page holds the registration form
    for path in ("/", "/solutions/", "/members/", "/workshops/", workshop.url, "/no-such-page/"):
        first, kept = client.get(path), client.get(path)  # built, then from the page cache
        for response in (first, kept):
            policy = directives(response)
            assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", path
            assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
            assert policy["frame-ancestors"] == "'self'" and policy["form-action"] == "'self'"


def test_the_admin_has_its_own_policy(client, secretary):
    client.force_login(secretary)
    policy = directives(client.get("/admin/"))
    assert policy["script-src"] == "'self'"  # Wagtail's inline scripts are rewritten as data (ssn4psi.admin_scripts)
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # Wagtail's interface sets inline styles
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert directives(client.get("/admin/login/")) == policy


def test_no_template_of_the_site_has_inline_script_or_style():
    """What the strict policy would block: checked in the templates the public pages use."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    # Printable pages served under /admin/agendas/ (the admin's policy), self-contained for printing.
    printable = {"agenda_print.html", "agenda_print_style.html", "agenda_schedules.html"}
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if "/admin/" in str(template) or '{% extends "wagtailadmin/' in text or template.name in printable:
            continue  # admin pages: the admin's policy
        if "<script>" in text or "<style" in text or ' style="' in text or " onclick=" in text:
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
