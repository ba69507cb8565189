"""CSQ's version, recorded in every report, summary and add-in (keep equal to pyproject.toml)."""

__version__ = "0.1.0"
