"""Every export format the workbook reads."""

from __future__ import annotations

from helpers.imports.core import Format
from helpers.imports.formats import meta, templates

FORMATS: list[Format] = [*meta.FORMATS, *templates.FORMATS]
