"""One module per ``csq`` command: parses its arguments, calls the job (``addin.jobs``) and
prints; ``addin.cli`` wires them.  Only ``addin.cli`` imports this package."""
