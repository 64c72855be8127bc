"""The catalogue format (DESIGN.md, "ssn4psi-catalogue/1"): validation, import and export."""

FORMAT = "ssn4psi-catalogue/1"
