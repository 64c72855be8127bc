"""Bulk downloads of the public catalogue: the whole of it in the catalogue format (the file `import_catalogue`
reads back to the same public catalogue), and CSV tables of solutions, members, adoptions and exchanges.

Each file is built from the same public rows as the API (opendata.queries) and kept, with its ETag, in the page
cache's store under the current generation (ssn4psi.page_cache), which every content change moves: a file is
built once per change, and never served stale. Without a page cache (PAGE_CACHE=0) each request builds it."""

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from network.catalogue.exporter import export_catalogue
from opendata import records
from opendata.queries import Public
from ssn4psi import page_cache


@dataclass(frozen=True)
class Download:
    name: str
    title: str
    description: str
    content_type: str

    @property
    def url_name(self):
        """The name of its URL (opendata:download_solutions_csv)."""
        return "download_" + self.name.replace(".", "_")


DOWNLOADS = (
    Download(
        "catalogue.json",
        _("The whole catalogue"),
        _(
            "Members with their needs, solutions with their adoptions, exchanges and workshops, in the catalogue "
            "format (JSON): the file the platform's own import reads."
        ),
        "application/json",
    ),
    Download("solutions.csv", _("Solutions"), _("One row per solution."), "text/csv"),
    Download("members.csv", _("Members"), _("One row per member."), "text/csv"),
    Download("adoptions.csv", _("Adoptions"), _("One row per solution adopted by a member."), "text/csv"),
    Download("exchanges.csv", _("Exchanges"), _("One row per exchange between two members."), "text/csv"),
)
BY_NAME = {download.name: download for download in DOWNLOADS}


@dataclass(frozen=True)
class Built:
    content: bytes
    etag: str

    @property
    def size(self):
        return len(self.content)


def build(name):
    """The file `name` (one of DOWNLOADS) as the content is now: built once per content change (kept in the page
    cache's store, ssn4psi.page_cache.kept_until_changed())."""

    def make():
        content = BUILDERS[name]()
        return Built(content, f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"')

    return page_cache.kept_until_changed(f"download:{name}", make)


def _catalogue():
    return json.dumps(export_catalogue(public=True), ensure_ascii=False, indent=1).encode()


def _csv(columns, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else _cell(row.get(column)) for column in columns])
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark lets spreadsheets read UTF-8


def _cell(value):
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _solutions():
    rows = Public().solution_rows()
    return _csv(
        [
            "key",
            "name",
            "owner",
            "owner_name",
            "country",
            "region",
            "maturity",
            "dpg",
            "launched",
            "sdg_targets",
            "themes",
            "summary",
            "url",
            "updated",
        ],
        (
            {**payload, "owner_name": payload["labels"]["owner"]}
            for payload in (records.solution_summary(row, None) for row in rows)
        ),
    )


def _members():
    rows = Public().member_rows()
    return _csv(
        [
            "key",
            "name",
            "kind",
            "country",
            "subdivision",
            "region",
            "parent",
            "languages",
            "summary",
            "website",
            "url",
            "updated",
        ],
        (records.member_summary(row, None) for row in rows),
    )


def _adoptions():
    rows = Public().adoptions().order_by("solution__key", "member__key")
    return _csv(
        ["solution", "solution_name", "member", "member_name", "country", "region", "year", "status"],
        (
            {**payload, "solution_name": payload["labels"]["solution"], "member_name": payload["labels"]["member"]}
            for payload in (records.adoption_payload(row) for row in rows)
        ),
    )


def _exchanges():
    rows = Public().exchange_records()
    return _csv(
        [
            "key",
            "provider",
            "provider_name",
            "learner",
            "learner_name",
            "facilitator",
            "facilitator_name",
            "solutions",
            "status",
            "date",
            "summary",
        ],
        (
            {
                **payload,
                "provider_name": payload["labels"]["provider"],
                "learner_name": payload["labels"]["learner"],
                "facilitator_name": payload["labels"].get("facilitator"),
            }
            for payload in (records.exchange_payload(row) for row in rows)
        ),
    )


BUILDERS = {
    "catalogue.json": _catalogue,
    "solutions.csv": _solutions,
    "members.csv": _members,
    "adoptions.csv": _adoptions,
    "exchanges.csv": _exchanges,
}
