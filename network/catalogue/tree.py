"""New pages written in bulk: each placed in Wagtail's tree and saved once, live, and their inline rows, first
revisions and log entries written together at the end.

Wagtail's usual way, `parent.add_child(instance=page)` then `save_revision().publish()`, saves a page three times,
commits its inline rows one by one at each save and reads the parent again for each child: about 90 ms a
solution. An import creates hundreds of pages under parents it already holds, so it places them itself: the
tree's path after the parent's last child (materialised path, as django-treebeard writes it), the URL path from
the parent's, the parent's child count raised once at the end. The page is saved with `clean=False` (the
catalogue's validation has run) and published as Wagtail publishes: `live`, `first_published_at`, a revision
holding the page's content (`serializable_data()`, inline rows and their tags included) as `latest_revision` and
`live_revision`, and the "publish" entry of the page's history in the importing user's name.

Each inline row is created with `bulk_create` (their tags too), so a page's signals come from its own save only:
the search index, the recommendations and the similar solutions are refreshed once after the commit, for the
whole import, as after any transaction.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision

from search.indexing import queue_reindex


def path_step(number):
    """The tree path's step of a page's `number`th child (1-based) as django-treebeard writes it: `number` in
    the tree's alphabet (base 36 for Wagtail's pages), left-padded to the step's length."""
    base, digits = len(Page.alphabet), ""
    while number:
        number, digit = divmod(number, base)
        digits = Page.alphabet[digit] + digits
    if len(digits) > Page.steplen:
        raise ValueError(f"a page can have at most {base**Page.steplen - 1} children")
    return digits.rjust(Page.steplen, Page.alphabet[0])


def step_number(path):
    """The number of the last step of `path` (the inverse of path_step)."""
    number = 0
    for character in path[-Page.steplen :]:
        number = number * len(Page.alphabet) + Page.alphabet.index(character)
    return number


@dataclass
class Children:
    """What is known of one parent's children: the last step number used and the slugs taken."""

    last: int = 0
    slugs: set = field(default_factory=set)


@dataclass
class PendingRows:
    """Inline rows of a new page, created after it: `relation` is the page's child relation's name."""

    page: Page
    relation: str
    rows: list


class NewPages:
    """The new pages of one import (see the module's docstring). `place()` each page under its parent (parents
    first), give its inline rows (`add_rows()`) and tags (`add_tags()`), then `write()` them and `publish()`."""

    def __init__(self, user=None):
        self.user = user
        self.now = timezone.now()
        self.pages = []
        self.rows = []
        self.tags = []
        self._children = {}
        self._added = Counter()

    def _children_of(self, parent):
        children = self._children.get(parent.pk)
        if children is None:
            children = self._children[parent.pk] = Children()
            for path, slug in Page.objects.child_of(parent).values_list("path", "slug"):
                children.last = max(children.last, step_number(path))
                children.slugs.add(slug)
        return children

    def forget(self, parent):
        """Read `parent`'s children from the database again when next needed: a page was put under it otherwise."""
        self._children.pop(parent.pk, None)

    def slug_is_free(self, parent, slug):
        return slug not in self._children_of(parent).slugs

    def place(self, parent, page):
        """Save the new `page` as `parent`'s last child, live, without inline rows or tags (they come with
        `write()`)."""
        children = self._children_of(parent)
        children.last += 1
        children.slugs.add(page.slug)
        page.path = parent.path + path_step(children.last)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.owner = self.user
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = self.now
        page.save(clean=False, log_action=None)  # its history's entries are written by publish()
        self._children[page.pk] = Children()  # a page just made has no children yet: nothing to read
        self._added[parent.pk] += 1  # in the database at write(), and now on the instance, which treebeard reads
        parent.numchild += 1  # when it moves a page under it (a leaf's first child goes first, else after the last)
        self.pages.append(page)

    def add_rows(self, page, relation, rows):
        """Create `rows` of the placed `page`'s child relation `relation` (in the order given) at `write()`; each
        row's own ParentalManyToManyField values, set on it unsaved, are written too."""
        self.rows.append(PendingRows(page, relation, list(rows)))

    def add_tags(self, page, name, values):
        """Tag the placed `page` with `values` through its ParentalManyToManyField `name` at `write()`."""
        self.tags.append(PendingRows(page, name, list(values)))

    def write(self):
        """Write the inline rows, the tags and the parents' child counts; the pages then hold their rows and tags
        in memory as if read (for the revisions' content and what is derived from them)."""
        by_model = defaultdict(list)
        for pending in self.rows:
            foreign_key = pending.page._meta.get_field(pending.relation).field.name
            for position, row in enumerate(pending.rows):
                setattr(row, foreign_key, pending.page)
                if hasattr(row, "sort_order"):
                    row.sort_order = position
                by_model[type(row)].append(row)
        for model, rows in by_model.items():
            tags = [(relation.name, [list(getattr(row, relation.name).all()) for row in rows])
                    for relation in get_all_child_m2m_relations(model)]  # fmt: skip
            model.objects.bulk_create(rows, batch_size=500)
            for name, values in tags:
                _write_tags(model, name, rows, values)
            for row in rows:  # bulk_create sends no signal: the rows the site search indexes are queued here
                queue_reindex(row)
        by_field = defaultdict(list)
        for pending in self.tags:
            by_field[(type(pending.page), pending.relation)].append(pending)
        for (model, name), pendings in by_field.items():
            _write_tags(model, name, [p.page for p in pendings], [p.rows for p in pendings])
        # In memory: every child relation and tag field of a new page holds what was written (empty when nothing
        # was), so reading them queries nothing. The rows keep their tags as set.
        given = defaultdict(dict)
        for pending in self.rows + self.tags:
            given[pending.page.pk][pending.relation] = pending.rows
        for page in self.pages:
            names = [r.get_accessor_name() for r in get_all_child_relations(page)]
            names += [f.name for f in get_all_child_m2m_relations(page)]
            for name in names:
                setattr(page, name, given[page.pk].get(name, []))
        for count, parents in _grouped_by_count(self._added).items():
            Page.objects.filter(pk__in=parents).update(numchild=models.F("numchild") + count)
        self.rows, self.tags = [], []
        self._added.clear()

    def publish(self):
        """Each page's first revision (its content, rows and tags included) as its live and latest revision, and
        the "create" and "publish" entries of its history. Returns the pages and forgets them."""
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_object=page,
                    base_content_type=page.get_base_content_type(),
                    user=self.user,
                    content=page.serializable_data(),
                    object_str=str(page),
                    created_at=self.now,
                )
                for page in self.pages
            ],
            batch_size=500,
        )
        for page, revision in zip(self.pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        Page.objects.bulk_update(self.pages, ["latest_revision", "live_revision"], batch_size=500)
        PageLogEntry.objects.bulk_create(
            [
                PageLogEntry(
                    content_type=page.content_type,
                    page=page,
                    label=page.get_admin_display_title(),
                    action=action,
                    timestamp=self.now,
                    user=self.user,
                    revision=revision if action == "wagtail.publish" else None,
                    content_changed=True,
                )
                for page, revision in zip(self.pages, revisions, strict=True)
                for action in ("wagtail.create", "wagtail.publish")
            ],
            batch_size=500,
        )
        pages, self.pages = self.pages, []
        return pages


def _write_tags(model, name, objects, values):
    """The through rows of `model`'s many-to-many field `name`: objects[i] tagged with each of values[i]."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source_model = field.model  # the model that declares the field (a page's specific class or a parent)
    source = next(f.name for f in through._meta.get_fields() if f.many_to_one and f.related_model is source_model)
    target = next(
        f.name for f in through._meta.get_fields() if f.many_to_one and f.related_model is field.related_model
    )
    through.objects.bulk_create(
        [through(**{source: obj, target: value}) for obj, tags in zip(objects, values, strict=True) for value in tags],
        batch_size=500,
    )


def _grouped_by_count(added):
    grouped = defaultdict(list)
    for pk, count in added.items():
        grouped[count].append(pk)
    return grouped
