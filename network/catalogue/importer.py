"""Importing a catalogue document: atomic, idempotent by key, every problem named.

Members become member pages (under their parent member, or the directory), solutions become pages
under their owner, needs, key figures and adoptions are written inline, exchanges as rows, workshops
as pages under /workshops/ with their sessions, materials and outcomes inline. A record
whose fields already hold the file's values is left alone, so importing a file twice changes nothing.
Fields a record leaves out keep their current value on update and take their default on creation;
the lists it gives (needs, adoptions, key figures, tags) replace the current ones.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from matchmaking.models import Exchange, ExchangeStatusChange
from members.models import MemberPage, Need
from network.catalogue.schema import Problem, parse_moment, validate
from network.catalogue.tree import NewPages
from network.site import ensure_site
from solutions.models import Adoption, CatalogueSummary, KeyFigure, SolutionPage, record_goals
from solutions.summary import changed_once
from ssn4psi.models import SdgGoal, SdgTarget, Theme
from ssn4psi.page_cache import content_changed
from ssn4psi.richtext import markdown_to_html
from ssn4psi.sdg import parse_code
from workshops.models import Session, WorkshopPage
from workshops.records import WorkshopMaterial, WorkshopOutcome

#: What the importer reads of an adoption (and of its member) to compare it with the file and update it.
ADOPTION_FIELDS = ("solution", "member__key", "member__title", "year", "status", "sort_order")


class CatalogueError(Exception):
    """A document that cannot be imported; `problems` lists what is wrong with it, record by record."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass
class ImportSummary:
    """What an import did: for each kind of record, how many were created, updated and unchanged."""

    counts: dict = field(
        default_factory=lambda: {
            kind: Counter() for kind in ("members", "needs", "solutions", "exchanges", "workshops")
        }
    )

    def add(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    @property
    def changed(self):
        return any(counter["created"] or counter["updated"] for counter in self.counts.values())

    def lines(self):
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]


#: The largest catalogue file read (the demo is 60 kB; the whole DPG registry as one file about 2 MB): a bigger
#: one is refused before it is read, so that no file can take the memory of the process that imports it.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: How deep objects and lists may nest: the format needs 6 (document > workshops > workshop > outcomes >
#: outcome > members).
MAX_DEPTH = 8


class DuplicateKey(ValueError):
    def __init__(self, key, where=""):
        super().__init__(f"the key {key!r} appears twice in one object{where}: the second would replace the first")


def _object_without_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (PyYAML keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise DuplicateKey(key, f" (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _depth(value):
    """How deep `value` nests, counted without recursion (a hostile file may nest thousands of levels)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def load_document(path):
    """Read a catalogue file (JSON, or YAML for .yml/.yaml). A file that is too big, not valid, gives a key twice
    in one object or nests deeper than the format does is a CatalogueError, before anything is written."""
    path = Path(path)
    name = str(path)
    too_deep = Problem(name, "", f"nests deeper than the format does (at most {MAX_DEPTH})")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit, actual = filesizeformat(MAX_FILE_BYTES), filesizeformat(size)
            message = f"is {actual}: a catalogue file may be at most {limit} (split it into several files)"
            raise CatalogueError([Problem(name, "", message)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([Problem(name, "", f"cannot be read: {error}")]) from error
    try:
        if path.suffix.lower() in (".yml", ".yaml"):
            document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
        else:
            document = json.loads(text, object_pairs_hook=_object_without_duplicates)
    except json.JSONDecodeError as error:
        raise CatalogueError(
            [Problem(name, "", f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")]
        ) from error
    except yaml.YAMLError as error:
        raise CatalogueError([Problem(name, "", f"is not valid YAML: {error}")]) from error
    except DuplicateKey as error:
        raise CatalogueError([Problem(name, "", str(error))]) from error
    except RecursionError as error:  # deeper than the parser's recursion: deeper than the format too
        raise CatalogueError([too_deep]) from error
    if _depth(document) > MAX_DEPTH:
        raise CatalogueError([too_deep])
    return document


def split_sdg_codes(codes):
    """["16", "16.6", "5.b"] -> ({16}, {"16.6", "5.b"}): whole goals and targets."""
    goals, targets = set(), set()
    for code in codes:
        goal, target = parse_code(code)
        if target:
            targets.add(target)
        else:
            goals.add(goal)
    return goals, targets


class Importer:
    """One import run. Use `import_catalogue()`."""

    def __init__(self, document, user=None, progress=None):

        self.document = document
        self.user = user
        self.progress = progress
        self.summary = ImportSummary()
        self.members_in_file = {record["key"]: record for record in document.get("members", [])}
        self.solutions_in_file = {record["key"]: record for record in document.get("solutions", [])}
        referenced = set(self.members_in_file)
        for record in document.get("members", []):
            referenced.add(record.get("parent"))
        for record in document.get("solutions", []):
            referenced.add(record["owner"])
            referenced.update(adoption["member"] for adoption in record.get("adoptions", []))
        for record in document.get("exchanges", []):
            referenced.update((record["provider"], record["learner"], record.get("facilitator")))
        for record in document.get("workshops", []):
            referenced.update(record.get("organisers", []))
            for outcome in record.get("outcomes", []):
                referenced.update(outcome.get("members", []))
        # The records compared with the file come with what is compared, in a few queries whatever their number.
        members = MemberPage.objects.filter(key__in=referenced - {None}).prefetch_related(
            "needs__sdg_goals", "needs__sdg_targets", "needs__themes"
        )
        self.members = {page.key: page for page in members}
        solution_keys = set(self.solutions_in_file)
        for record in document.get("exchanges", []):
            solution_keys.update(record.get("solutions", []))
        solutions = SolutionPage.objects.filter(key__in=solution_keys).prefetch_related(
            "sdg_goals",
            "sdg_targets",
            "themes",
            "key_figures",
            Prefetch("adoptions", Adoption.objects.select_related("member").only(*ADOPTION_FIELDS)),
        )
        self.solutions = {page.key: page for page in solutions}
        self.targets = {target.code: target for target in SdgTarget.objects.all()}
        self.goals = {goal.number: goal for goal in SdgGoal.objects.all()}
        self.themes = {theme.key: theme for theme in Theme.objects.all()}

    # -- references -------------------------------------------------------------------------------

    def check_references(self):

        problems = []
        known_members = set(self.members) | set(self.members_in_file)
        known_solutions = set(self.solutions) | set(self.solutions_in_file)

        def need_member(name, field_name, key):
            if key and key not in known_members:
                problems.append(
                    Problem(name, field_name, f"no member has the key {key!r} (in this file or the database)")
                )

        for index, record in enumerate(self.document.get("members", [])):
            need_member(f"members[{index}] {record['key']!r}", "parent", record.get("parent"))
        for index, record in enumerate(self.document.get("solutions", [])):
            name = f"solutions[{index}] {record['key']!r}"
            need_member(name, "owner", record["owner"])
            for adoption in record.get("adoptions", []):
                need_member(name, "adoptions", adoption["member"])
                if adoption["member"] == record["owner"]:
                    problems.append(Problem(name, "adoptions", "the owner cannot adopt its own solution"))
        problems += self._workshop_references(known_members)
        for index, record in enumerate(self.document.get("exchanges", [])):
            name = f"exchanges[{index}] {record['key']!r}"
            for role in ("provider", "learner", "facilitator"):
                need_member(name, role, record.get(role))
            for key in record.get("solutions", []):
                if key not in known_solutions:
                    problems.append(Problem(name, "solutions", f"no solution has the key {key!r}"))
        # Needs belong to one member: a key used by another member's need is a clash, not a move.
        need_owner = {
            need["key"]: record["key"]
            for record in self.document.get("members", [])
            for need in record.get("needs", [])
        }
        for key, member_key in Need.objects.filter(key__in=need_owner).values_list("key", "member__key"):
            if member_key != need_owner[key]:
                problems.append(Problem(f"needs {key!r}", "key", f"belongs to a need of member {member_key!r}"))
        problems += self._parent_cycles()
        return problems

    def _workshop_references(self, known_members):
        """A workshop's organisers, exchanges and outcomes' exchanges and members must exist (file or database)."""

        workshops = self.document.get("workshops", [])
        wanted = {key for record in workshops for key in record.get("exchanges", [])}
        wanted |= {o["exchange"] for record in workshops for o in record.get("outcomes", []) if "exchange" in o}
        in_file = {record["key"] for record in self.document.get("exchanges", [])}
        known_exchanges = in_file | set(Exchange.objects.filter(key__in=wanted - in_file).values_list("key", flat=True))
        problems = []
        for index, record in enumerate(workshops):
            name = f"workshops[{index}] {record['key']!r}"
            for key in record.get("organisers", []):
                if key not in known_members:
                    problems.append(Problem(name, "organisers", f"no member has the key {key!r}"))
            for key in record.get("exchanges", []):
                if key not in known_exchanges:
                    problems.append(Problem(name, "exchanges", f"no exchange has the key {key!r}"))
            for child_index, outcome in enumerate(record.get("outcomes", [])):
                child = f"{name} outcomes[{child_index}]"
                if outcome.get("exchange") and outcome["exchange"] not in known_exchanges:
                    problems.append(Problem(child, "exchange", f"no exchange has the key {outcome['exchange']!r}"))
                for key in outcome.get("members", []):
                    if key not in known_members:
                        problems.append(Problem(child, "members", f"no member has the key {key!r}"))
        return problems

    def _parent_cycles(self):
        """Members that would end up under themselves, through the file's parents and, for the members the file
        does not place, the database's (a member of the file placed under a member that is under it in the
        database): the move would fail half-way, so it is a problem named before anything is written."""
        file_parent = {key: record.get("parent") for key, record in self.members_in_file.items()}
        db_parent = {}
        if any(parent and parent not in file_parent for parent in file_parent.values()):
            # Each member page's parent member, from the tree's paths: one query of two columns.
            path_key = dict(MemberPage.objects.values_list("path", "key"))
            db_parent = {key: path_key.get(path[: -MemberPage.steplen]) for path, key in path_key.items()}

        def parent_of(key):
            return file_parent[key] if key in file_parent else db_parent.get(key)

        problems = []
        for key in self.members_in_file:
            seen, current = [key], parent_of(key)
            while current is not None:
                if current in seen:
                    chain = " > ".join(seen + [current])
                    problems.append(Problem(f"members {key!r}", "parent", f"makes a cycle: {chain}"))
                    break
                seen.append(current)
                current = parent_of(current)
        return problems

    def members_parents_first(self):
        ordered, placed = [], set()

        def place(key):
            if key in placed or key not in self.members_in_file:
                return
            parent = self.members_in_file[key].get("parent")
            if parent:
                place(parent)
            placed.add(key)
            ordered.append(self.members_in_file[key])

        for key in self.members_in_file:
            place(key)
        return ordered

    # -- writing ----------------------------------------------------------------------------------

    def run(self):
        problems = self.check_references()
        if problems:
            raise CatalogueError(problems)
        self.site = ensure_site()
        # Wagtail refreshes a page's reference index on every save of it and of its inline rows; an import
        # saves each page several times, so the index is refreshed once per changed page at the end instead.
        self.published = []
        # New members and solutions are written in bulk (network.catalogue.tree); changed ones as editors do.
        self.new_pages = NewPages(self.user)
        with disable_reference_index_auto_update(), changed_once():
            for record in self._counted("members", self.members_parents_first()):
                self.import_member(record)
            for record in self._counted("solutions", self.document.get("solutions", [])):
                self.import_solution(record)
            self.new_pages.write()
            record_goals([page for page in self.new_pages.pages if isinstance(page, SolutionPage)])
            self.published += self.new_pages.publish()
            for record in self.document.get("exchanges", []):
                self.import_exchange(record)
            if self.document.get("workshops"):
                self.import_workshops(self.document["workshops"])
        for page in self.published:
            ReferenceIndex.create_or_update_for_object(page)
        return self.summary

    #: How often a long import says how far it is (records of one kind).
    PROGRESS_EVERY = 500

    def _counted(self, kind, records):
        """`records`, telling `progress(kind, done, total)` every PROGRESS_EVERY records and at the end."""
        total = len(records)
        for done, record in enumerate(records, start=1):
            yield record
            if self.progress and total >= self.PROGRESS_EVERY and (done % self.PROGRESS_EVERY == 0 or done == total):
                self.progress(kind, done, total)

    def _publish(self, page):
        revision = page.save_revision(user=self.user, log_action=True)
        revision.publish(user=self.user)
        self.published.append(page)

    def _new_slug(self, parent, name, key):
        slug = slugify(name)[:60].strip("-") or key
        if not self.new_pages.slug_is_free(parent, slug):
            slug = key
        return slug

    def _page_with_values(self, model, page, record, parent, values):
        """The page for `record` (a new one if `page` is None) under `parent`, with `values` set.
        Returns (page, created, changed); an existing page under another parent is moved."""
        created = page is None
        if created:
            page = model(key=record["key"], slug=self._new_slug(parent, record["name"], record["key"]))
        moved = False
        if not created and page.path[: -page.steplen] != parent.path:  # under another parent
            page.move(parent, pos="last-child", user=self.user)
            page.refresh_from_db()
            self.new_pages.forget(parent)
            moved = True
        changed = created or moved or any(getattr(page, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(page, name, value)
        return page, created, changed

    def import_member(self, record):

        parent = self.members[record["parent"]] if record.get("parent") else self.site.directory
        values = {"title": record["name"], "kind": record["kind"], "country": record["country"].upper()}
        optional = {
            "subdivision": lambda v: v.upper(),
            "languages": list,
            "summary": str,
            "description": markdown_to_html,
            "website": str,
        }
        values.update({name: convert(record[name]) for name, convert in optional.items() if name in record})
        page, created, changed = self._page_with_values(
            MemberPage, self.members.get(record["key"]), record, parent, values
        )

        if "needs" in record:
            current = {need.key: need for need in page.needs.all()} if not created else {}
            desired = [self._need_values(need) for need in record["needs"]]
            if created or self._needs_state(current.values()) != [self._need_state_from_values(v) for v in desired]:
                changed = True
                needs = []
                for position, values_ in enumerate(desired):
                    need = current.get(values_["key"]) or Need(key=values_["key"])
                    outcome = (
                        "created"
                        if need.pk is None
                        else (
                            "unchanged"
                            if self._need_state_from_values(values_) == self._need_state(need)
                            else "updated"
                        )
                    )
                    self.summary.add("needs", outcome)
                    for name in ("title", "description", "priority", "modalities"):
                        setattr(need, name, values_[name])
                    need.sort_order = position
                    need.sdg_targets = [self.targets[code] for code in sorted(values_["targets"])]
                    need.sdg_goals = [self.goals[number] for number in sorted(values_["goals"])]
                    need.themes = [self.themes[key] for key in sorted(values_["themes"])]
                    needs.append(need)
                if created:
                    new_needs = needs
                else:
                    page.needs = needs
            else:
                self.summary.add("needs", "unchanged", len(desired))

        if created:
            self.new_pages.place(parent, page)
            if "needs" in record:
                self.new_pages.add_rows(page, "needs", new_needs)
        elif changed:
            self._publish(page)
        self.members[record["key"]] = page
        self.summary.add("members", "created" if created else ("updated" if changed else "unchanged"))

    @staticmethod
    def _need_values(record):
        goals, targets = split_sdg_codes(record.get("sdg_targets", []))
        return {
            "key": record["key"],
            "title": record["title"],
            "description": record.get("description", ""),
            "priority": record.get("priority", "medium"),
            "modalities": list(record.get("modalities", [])),
            "goals": goals,
            "targets": targets,
            "themes": set(record.get("themes", [])),
        }

    @staticmethod
    def _need_state_from_values(values):
        return (
            values["key"],
            values["title"],
            values["description"],
            values["priority"],
            values["modalities"],
            sorted(values["goals"]),
            sorted(values["targets"]),
            sorted(values["themes"]),
        )

    def _need_state(self, need):
        return (
            need.key,
            need.title,
            need.description,
            need.priority,
            list(need.modalities),
            sorted(goal.pk for goal in need.sdg_goals.all()),
            sorted(target.code for target in need.sdg_targets.all()),
            sorted(theme.pk for theme in need.themes.all()),
        )

    def _needs_state(self, needs):
        return [self._need_state(need) for need in sorted(needs, key=lambda n: n.sort_order or 0)]

    def import_solution(self, record):

        owner = self.members[record["owner"]]
        values = {"title": record["name"]}
        optional = {
            "summary": str,
            "problem": markdown_to_html,
            "description": markdown_to_html,
            "maturity": str,
            "launched": lambda v: v,
            "website": lambda v: v or "",
            "licence": lambda v: v or "",
            "repository": lambda v: v or "",
            "dpg": bool,
            "languages": list,
            "resources": str,
        }
        values.update({name: convert(record[name]) for name, convert in optional.items() if name in record})
        page, created, changed = self._page_with_values(
            SolutionPage, self.solutions.get(record["key"]), record, owner, values
        )

        rows, tags = {}, {}  # set on a changed page; a new page's are written after it, in bulk
        if "sdg_targets" in record:
            goals, targets = split_sdg_codes(record["sdg_targets"])
            current = (
                set() if created else {goal.pk for goal in page.sdg_goals.all()},
                set() if created else {target.code for target in page.sdg_targets.all()},
            )
            if created or current != (goals, targets):
                changed = True
                tags["sdg_goals"] = [self.goals[number] for number in sorted(goals)]
                tags["sdg_targets"] = [self.targets[code] for code in sorted(targets)]
        if "themes" in record:
            themes = set(record["themes"])
            if created or {theme.pk for theme in page.themes.all()} != themes:
                changed = True
                tags["themes"] = [self.themes[key] for key in sorted(themes)]
        if "key_figures" in record:
            desired = [(figure["value"], figure["label"]) for figure in record["key_figures"]]
            if created or [(f.value, f.label) for f in page.key_figures.all()] != desired:
                changed = True
                rows["key_figures"] = [
                    KeyFigure(value=v, label=label, sort_order=i) for i, (v, label) in enumerate(desired)
                ]
        if "adoptions" in record:
            desired = [
                (adoption["member"], adoption.get("year"), adoption.get("status", "adopted"))
                for adoption in record["adoptions"]
            ]
            current = [] if created else [(a.member.key, a.year, a.status) for a in page.adoptions.all()]
            if created or sorted(current, key=str) != sorted(desired, key=str):
                changed = True
                existing = {} if created else {a.member.key: a for a in page.adoptions.all()}
                adoptions = []
                for position, (member_key, year, status) in enumerate(desired):
                    adoption = existing.get(member_key) or Adoption(member=self.members[member_key])
                    adoption.year, adoption.status, adoption.sort_order = year, status, position
                    adoptions.append(adoption)
                rows["adoptions"] = adoptions

        if created:
            page.member = owner
            self.new_pages.place(owner, page)
            for relation, children in rows.items():
                self.new_pages.add_rows(page, relation, children)
            for name, values in tags.items():
                self.new_pages.add_tags(page, name, values)
        else:
            for relation, children in {**rows, **tags}.items():
                setattr(page, relation, children)
            if changed:
                self._publish(page)
        self.solutions[record["key"]] = page
        self.summary.add("solutions", "created" if created else ("updated" if changed else "unchanged"))

    def import_exchange(self, record):
        import datetime

        from django.utils.translation import gettext

        values = {
            "provider": self.members[record["provider"]],
            "learner": self.members[record["learner"]],
        }
        if "facilitator" in record:
            values["facilitator"] = self.members[record["facilitator"]] if record["facilitator"] else None
        if "status" in record:
            values["status"] = record["status"]
        if "date" in record:
            values["date"] = datetime.date.fromisoformat(record["date"]) if record["date"] else None
        if "summary" in record:
            values["summary"] = record["summary"]
        exchange = Exchange.objects.filter(key=record["key"]).first()
        created = exchange is None
        if created:
            exchange = Exchange(key=record["key"])
        changed = created or any(
            getattr(exchange, name + "_id" if name in ("provider", "learner", "facilitator") else name)
            != (value.pk if name in ("provider", "learner", "facilitator") and value is not None else value)
            for name, value in values.items()
        )
        status_changed = created or ("status" in values and exchange.status != values["status"])
        for name, value in values.items():
            setattr(exchange, name, value)
        if changed:
            exchange.save()
        if status_changed:
            # The status history says where each status came from; an unchanged status adds nothing.
            ExchangeStatusChange.objects.create(
                exchange=exchange,
                status=exchange.status,
                note=gettext("Imported from the catalogue"),
                changed_by=self.user,
            )
        if "solutions" in record:
            desired = {self.solutions[key].pk for key in record["solutions"]}
            if created or set(exchange.solutions.values_list("pk", flat=True)) != desired:
                changed = True
                exchange.solutions.set(desired)
        self.summary.add("exchanges", "created" if created else ("updated" if changed else "unchanged"))

    # -- workshops (format version 2) -------------------------------------------------------------

    def import_workshops(self, records):

        keys = {key for record in records for key in record.get("exchanges", [])}
        keys |= {o["exchange"] for record in records for o in record.get("outcomes", []) if o.get("exchange")}
        self.exchanges = {exchange.key: exchange for exchange in Exchange.objects.filter(key__in=keys)}
        existing = {
            page.key: page
            for page in WorkshopPage.objects.filter(key__in=[r["key"] for r in records]).prefetch_related(
                "organisers", "exchanges", "sessions", "materials__document", "outcomes__members", "outcomes__exchange"
            )
        }
        for record in records:
            self.import_workshop(record, existing.get(record["key"]))

    def import_workshop(self, record, page):

        parent = self.site.workshops
        created = page is None
        if created:
            page = WorkshopPage(key=record["key"], slug=self._new_slug(parent, record["title"], record["key"]))
        zone = record.get("time_zone", "UTC" if created else page.time_zone)
        values = {"title": record["title"], "kind": record["kind"], "format": record["format"], "time_zone": zone}
        for name in ("venue", "online_link", "summary"):
            if name in record:
                values[name] = record[name]
        for name in ("capacity", "requires_approval"):
            if name in record:
                values[name] = record[name]
        if "start" in record:
            values["start"], values["whole_days"] = parse_moment(record["start"], zone)
            values["end"] = parse_moment(record["end"], zone, end=True)[0]
        changed = created or any(getattr(page, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(page, name, value)

        for relation, by_key in (("organisers", self.members), ("exchanges", self.exchanges)):
            if relation in record:
                desired = [by_key[key] for key in record[relation]]
                if created or {o.pk for o in getattr(page, relation).all()} != {o.pk for o in desired}:
                    changed = True
                    setattr(page, relation, desired)
        if "sessions" in record:
            desired = [
                (
                    s["title"],
                    s.get("track", ""),
                    parse_moment(s["start"], zone)[0] if "start" in s else None,
                    parse_moment(s["end"], zone)[0] if "end" in s else None,
                    s.get("capacity"),
                )
                for s in record["sessions"]
            ]
            current = [(s.title, s.track, s.start, s.end, s.capacity) for s in page.sessions.all()]
            if created or current != desired:
                changed = True
                page.sessions = [
                    Session(title=t, track=track, start=start, end=end, capacity=capacity, sort_order=i)
                    for i, (t, track, start, end, capacity) in enumerate(desired)
                ]
        if "materials" in record:
            current_materials = list(page.materials.all()) if not created else []
            desired = [
                (m["kind"], m["title"], m.get("url", ""), m.get("language", ""), _date_or_none(m.get("date")))
                for m in record["materials"]
            ]
            current = [(m.kind, m.title, m.absolute_link, m.language, m.date) for m in current_materials]
            if created or current != desired:
                changed = True
                # A document keeps its place when the file names its address (an export read back).
                documents = {m.absolute_link: m.document for m in current_materials if m.document_id}
                page.materials = [
                    WorkshopMaterial(
                        kind=kind,
                        title=title,
                        document=documents.get(url),
                        url="" if url in documents else url,
                        language=language,
                        date=date,
                        sort_order=i,
                    )
                    for i, (kind, title, url, language, date) in enumerate(desired)
                ]
        if "outcomes" in record:
            desired = [
                (
                    o["kind"],
                    o["text"],
                    _date_or_none(o.get("date")),
                    o.get("exchange"),
                    sorted(o.get("members", [])),
                )
                for o in record["outcomes"]
            ]
            current = [
                (
                    o.kind,
                    o.text,
                    o.date,
                    o.exchange.key if o.exchange_id else None,
                    sorted(m.key for m in o.members.all()),
                )
                for o in (page.outcomes.all() if not created else [])
            ]
            if created or current != desired:
                changed = True
                outcomes = []
                for i, (kind, text, date, exchange, members) in enumerate(desired):
                    outcome = WorkshopOutcome(
                        kind=kind,
                        text=text,
                        date=date,
                        exchange=self.exchanges[exchange] if exchange else None,
                        sort_order=i,
                    )
                    outcome.members = [self.members[key] for key in members]
                    outcomes.append(outcome)
                page.outcomes = outcomes

        if created:
            parent.add_child(instance=page)
            self.new_pages.forget(parent)  # placed by Wagtail: its slug is read again for the next workshop
        if changed:
            self._publish(page)
        self.summary.add("workshops", "created" if created else ("updated" if changed else "unchanged"))


def _date_or_none(value):
    import datetime

    return datetime.date.fromisoformat(value) if value else None


def import_catalogue(document, *, user=None, dry_run=False, progress=None):
    """Validate and import `document` in one transaction; return an ImportSummary.

    Raises CatalogueError, having written nothing, when any record is invalid. With `dry_run` the
    import runs and is then rolled back, so the summary says what it would do. `progress(kind, done, total)`, when
    given, hears how far a long import is.
    """
    problems = validate(document)
    if problems:
        raise CatalogueError(problems)
    with transaction.atomic():
        summary = Importer(document, user=user, progress=progress).run()
        if dry_run:
            transaction.set_rollback(True)
        else:
            content_changed()  # pages show what was imported, written partly without a signal (the reference index)
            CatalogueSummary.objects.changed()  # the catalogue's counts, likewise
    return summary
