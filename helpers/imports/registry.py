"""Every export format the workbook reads."""

from __future__ import annotations

from helpers.imports.core import Format
from helpers.imports.formats import linkedin, listening, meta, templates

FORMATS: list[Format] = [*meta.FORMATS, *linkedin.FORMATS, *listening.FORMATS, *templates.FORMATS]
