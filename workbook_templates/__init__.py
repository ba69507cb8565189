"""Declarative definitions of the CSQ standard workbook and the code that writes it."""
