"""Every export format the workbook reads. The workbook's own templates come last."""

from __future__ import annotations

from helpers.client.imports.core import Format
from helpers.client.imports.formats import (
    facebook_insights,
    linkedin,
    listening,
    meta,
    meta_account,
    templates,
    tiktok,
    x,
    youtube,
)

FORMATS: list[Format] = [
    *meta.FORMATS,
    *meta_account.FORMATS,
    *facebook_insights.FORMATS,
    *linkedin.FORMATS,
    *x.FORMATS,
    *tiktok.FORMATS,
    *youtube.FORMATS,
    *listening.FORMATS,
    *templates.FORMATS,
]
