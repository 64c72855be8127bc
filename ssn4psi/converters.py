"""URL converters of the site's own routes.

`id`: a database id: up to 18 digits, so every value fits a 64-bit integer column. Django's `int` accepts any
number of digits, and a number too large for the database (`/workshops/99999999999999999999.ics`) failed in
the database (500) instead of finding nothing (404).
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def register():
    register_converter(IdConverter, "id")
