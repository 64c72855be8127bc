"""The catalogue format (docs/catalogue-format.md): validation, import and export.

Version 2 adds workshops to version 1 (members, solutions, exchanges); files of both versions are read,
and exports are written in the current one."""

FORMAT = "ssn4psi-catalogue/2"
FORMAT_V1 = "ssn4psi-catalogue/1"
#: Every version the importer reads, oldest first.
FORMATS = (FORMAT_V1, FORMAT)
