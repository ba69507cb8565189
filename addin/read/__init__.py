"""Reading untrusted files: safety checks, the workbook readers, ticket exports."""
