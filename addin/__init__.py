"""CSQ's Excel-facing glue: the command line, reports, import/validate, ribbon and add-in build."""
