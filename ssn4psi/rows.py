"""Rows derived from other data and kept in step with it on write (a solution's goals, a workshop's involvements)."""

import functools
import operator

from django.db.models import Q


def keep_rows(rows, fields, wanted):
    """Make `rows` (a queryset of one model) hold exactly the `wanted` tuples of values of `fields` (attribute
    names, such as "workshop_id"): deletes the rows no longer wanted and adds the missing ones, leaving the others
    untouched. One query to read, and one each to delete and to add when something changed."""

    def values(row):
        return dict(zip(fields, row, strict=True))

    wanted = set(wanted)
    kept = set(rows.values_list(*fields))
    if gone := kept - wanted:
        rows.filter(functools.reduce(operator.or_, (Q(**values(row)) for row in gone))).delete()
    if added := wanted - kept:
        rows.model.objects.bulk_create([rows.model(**values(row)) for row in sorted(added)])
