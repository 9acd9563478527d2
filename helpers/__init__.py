"""Social media strategy workbook helpers."""
