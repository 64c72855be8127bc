"""Model instances from hand-written SQL, for the hot read paths whose queries are written by hand.

QuerySet.raw() works out on every query which column loads which field and how to convert it: for a page
type's eighty columns, that took longer than SQLite took to answer the query. `read()` gives the same instances
and works that out once per query text and database."""

from functools import lru_cache

from django.db import connections, router, transaction


def read(model, sql, params=(), using=None):
    """`model` instances from `sql`, as `model.objects.raw(sql, params)` gives them (a list): a column named after
    one of the model's fields loads that field (converted as the ORM converts it), the others become attributes
    as the database gave them; the primary key must be among the columns."""
    alias = using or router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    names, positions, converters, extras = _plan(model, alias, columns)
    instances = []
    for row in rows:
        values = [row[position] for position in positions]
        for index, field_converters in converters:
            value = values[index]
            for converter, expression in field_converters:
                value = converter(value, expression, connection)
            values[index] = value
        instance = model.from_db(alias, names, values)
        for name, position in extras:
            setattr(instance, name, row[position])
        instances.append(instance)
    return instances


@lru_cache(maxsize=256)
def _plan(model, alias, columns):
    """For rows of `columns`: the field names to load in the model's field order, the column of each, the
    converters of each field that has some, and the (attribute, column) of the columns that are not fields."""
    connection = connections[alias]
    by_column = {
        connection.introspection.identifier_converter(field.column): field for field in model._meta.concrete_fields
    }
    found = {}
    extras = []
    for position, column in enumerate(columns):
        field = by_column.get(connection.introspection.identifier_converter(column))
        if field is None:
            extras.append((column, position))
        elif field.attname not in found:
            found[field.attname] = (field, position)
    if model._meta.pk.attname not in found:
        raise ValueError(f"The query for {model.__name__} must include its primary key ({model._meta.pk.column}).")
    ordered = [found[field.attname] for field in model._meta.concrete_fields if field.attname in found]
    converters = []
    for index, (field, _position) in enumerate(ordered):
        expression = field.get_col(field.model._meta.db_table)
        field_converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if field_converters:
            converters.append((index, [(converter, expression) for converter in field_converters]))
    names = [field.attname for field, _position in ordered]
    positions = [position for _field, position in ordered]
    return names, positions, converters, extras


def placeholders(count):
    """`count` parameter markers for an IN (...) list: "%s, %s, %s"; "NULL" for none, which matches nothing."""
    return ", ".join(["%s"] * count) or "NULL"


def descendant_range(node):
    """(lower, upper): the descendants of `node` (a treebeard node, such as a Wagtail page) are exactly the nodes
    whose path lies strictly between them, a range the index on path answers where `path LIKE 'prefix%'` had
    SQLite read every page. The upper bound is the path up to its last character that can be raised, raised by
    one (the alphabet's order is the database's for these characters)."""
    path, alphabet = node.path, node.alphabet
    for index in range(len(path) - 1, -1, -1):
        position = alphabet.index(path[index])
        if position + 1 < len(alphabet):
            return path, path[:index] + alphabet[position + 1]
    return path, path + alphabet[-1] * (node._meta.get_field("path").max_length + 1)


def refresh_statistics(using="default"):
    """Have the database measure its tables and indexes again (ANALYZE), once a bulk load has committed. SQLite
    gathers the statistics its planner chooses indexes by only when asked: without them it read every page to
    find one member's solutions (PostgreSQL's autovacuum gets there by itself, later)."""

    def analyze():
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")

    transaction.on_commit(analyze, using=using)
