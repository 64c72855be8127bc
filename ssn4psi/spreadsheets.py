"""Cells of the spreadsheets the site exports (registrations, agendas), made safe to open.

What participants type ends up in files that organisers open in Excel or LibreOffice. A cell starting with
`=`, `+`, `-` or `@` (or a tab or carriage return before one) is read there as a formula, which can run
commands or send the sheet's data away (CSV injection): such text is written with a leading apostrophe, which
spreadsheet programs show as text and do not display. XLSX files cannot hold most control characters at all;
they are dropped instead of breaking the export.
"""

import re

#: What a spreadsheet program may read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters XLSX (XML 1.0) cannot hold: control characters but tab, line feed and carriage return.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_cell(value):
    """`value` as a CSV cell: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_cell(value):
    """`value` as an XLSX cell: text without the control characters the format cannot hold."""
    if isinstance(value, str):
        return XLSX_ILLEGAL.sub("", value)
    return value
