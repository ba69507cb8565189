"""The jobs the ribbon and the CLI share: report one workbook, run a batch, write the report
pair, the department roll-up, validate, feedback, convert, import, the population and QA sample of an export, a new
workbook, the demo.  No argument parsing and no printing here (``addin.commands`` does that
for the CLI, ``addin.excel`` for the ribbon); jobs read through ``addin.read`` and write
through ``addin.report`` and ``workbook_templates``."""
