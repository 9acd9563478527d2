"""Formatting shared by the pages: column headers, number formats, KPI captions."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from helpers import kpis
from helpers.report.display import Block, heading, link, say, stylesheet
from helpers.report.i18n import (
    fmt_date,
    fmt_hours,
    fmt_month,
    fmt_number,
    fmt_percent,
    format_value,
    label,
    unknown,
)
from helpers.report.words import finding_text
from helpers.run.context import Run


def headers(run: Run, columns) -> dict[str, str]:
    """Translated headers for table columns (``col.<name>`` in the catalogue)."""
    return {c: run.t(f"col.{c}") for c in columns}


def pct(run: Run, decimals: int = 1, signed: bool = False) -> Callable[[object], str]:
    return lambda v: fmt_percent(v, run.lang, decimals, signed)


def num(run: Run, decimals: int = 0) -> Callable[[object], str]:
    return lambda v: fmt_number(v, run.lang, decimals)


def hours(run: Run) -> Callable[[object], str]:
    return lambda v: fmt_hours(v, run.lang)


def date(run: Run) -> Callable[[object], str]:
    return lambda v: fmt_date(v, run.lang)


def month(run: Run) -> Callable[[object], str]:
    return lambda v: fmt_month(v, run.lang)


def lab(run: Run, kind: str) -> Callable[[object], str]:
    """A column formatter for labels (a channel, a status...); a missing value reads ``n/a``."""
    return lambda v: (
        unknown(run.lang)
        if v is None or (not isinstance(v, str) and pd.isna(v))
        else label(kind, str(v), run.lang)
    )


def definition(run: Run, kpi_def: kpis.KpiDef) -> str:
    """``Engagement rate (by reach): interactions / reach, ratio of the totals.``

    The KPI also goes into the run's glossary. The client report states a definition once, in the
    glossary: pages write :func:`kpi_note` (links) under their tables and charts, not this.
    """
    run.record_kpi(kpi_def)
    return (
        f"{kpi_def.name(run.lang)} : {kpi_def.definition(run.lang)}"
        if run.lang == "fr"
        else f"{kpi_def.name(run.lang)}: {kpi_def.definition(run.lang)}"
    )


def kpi_link(run: Run, item: str | kpis.KpiDef) -> str:
    """A KPI's name linking to its glossary entry (``#kpi-<id>``); the KPI goes into the glossary."""
    kpi_def = run.kpi(item) if isinstance(item, str) else item
    run.record_kpi(kpi_def)
    return link("kpi", kpi_def.id, kpi_def.name(run.lang))


def kpi_note(run: Run, *kpi_ids_or_defs) -> str:
    """A caption that points each KPI shown to its definition, once, in the glossary."""
    names = [kpi_link(run, item) for item in kpi_ids_or_defs]
    return run.t("method.kpi_note", kpis=", ".join(names))


def method_link(run: Run, topic: str) -> str:
    """``How this is measured``, linking to a topic of the method appendix (``#method-<topic>``).

    Raises:
        KeyError: ``topic`` is not one of :data:`helpers.report.method.TOPICS`.
    """
    from helpers.report.method import TOPICS

    if topic not in TOPICS:
        raise KeyError(f"method topic {topic!r}: expected one of {', '.join(TOPICS)}")
    return link("method", topic, run.t("method.how"))


def finding(run: Run, found: Any) -> str:
    """A finding of 02 (a ``Finding`` or its ``findings.json`` record) as a sentence in the run's language."""
    return finding_text(found, run.lang, run.brief.kpi)


def kpi_value(run: Run, kpi_id: str, value: float) -> str:
    """A KPI's value written in its unit (the registry's), the run's language and currency."""
    return format_value(run.kpi(kpi_id), value, run.lang, currency=run.brief.client.currency)


def kpi_fmt(
    run: Run, kpi_id: str, decimals: int | None = None, signed: bool = False
) -> Callable[[object], str]:
    """A column formatter for a KPI's values: its unit from the registry, ``decimals`` for the table."""
    record = run.kpi(kpi_id)
    currency = run.brief.client.currency
    return lambda v: format_value(record, v, run.lang, decimals, signed, currency)


def rated_posts(run: Run) -> pd.DataFrame:
    """The run's posts that every ranking and trend of the engagement rate receives, selected
    once per run (:func:`helpers.kpis.rated_posts`: feed posts, organic where the export flags
    paid ones)."""
    return run.cached(("rated_posts",), lambda: kpis.rated_posts(run.table("posts")))


def title(run: Run, step: str) -> Block:
    """The step's title and its question, in the run's language, with the blocks' stylesheet (so
    the notebook's tables, cards and marks read in JupyterLab as in the report)."""
    return stylesheet() + heading(run.t(f"parts.{step}"), 1) + say(run.t(f"questions.{step}"))


def action_text(run: Run, action: Any) -> str:
    """An action of :mod:`helpers.method.actions` (an ``Action`` or its record) as a sentence in
    the run's language: the verb, what, the network, by when, the goal it serves and the figure
    behind it (that network's own), each figure in its KPI's unit."""
    rec = action.record() if hasattr(action, "record") else dict(action)
    fig = rec.get("figure", {})
    kpi = fig.get("kpi")

    def value(name: str) -> str:
        raw = fig.get(name)
        return kpi_value(run, kpi, math.nan if raw is None else raw) if kpi else fmt_number(raw, run.lang)

    words = {
        "network": label("channel", rec["network"], run.lang),
        "by": fmt_date(dt.date.fromisoformat(rec["by"]), run.lang),
        "goal": rec.get("goal_label") or rec.get("goal") or "",
    }
    verb = rec["verb"]
    key = f"actions.{verb}"
    if verb == "publish":
        posts, before = int(fig.get("posts", 0)), int(fig.get("posts_before", 0))
        key += "_cut" if before > posts else ""
        words |= {
            "posts": posts,
            "before": before,
            "start": fmt_date(dt.date.fromisoformat(fig["start"]), run.lang),
            "end": words["by"],
        }
    elif verb == "find_hours":
        words |= {
            "hours": fmt_hours(fig.get("hours"), run.lang),
            "role": run.t(f"planning.role_{rec['what']}"),
        }
    elif verb == "schedule":
        from helpers.report.i18n import weekday_names

        words |= {
            "day": weekday_names(run.lang, False)[int(fig["weekday"])],
            "hour": int(fig["hour"]),
            "value": value("value"),
            "posts": int(fig["posts"]) if fig.get("posts") is not None else 0,
            "low": value("low"),
            "high": value("high"),
        }
        if fig.get("low") is None or fig.get("high") is None:
            key += "_bare"
    elif verb == "shift_format":
        words |= {
            "format": label("format", rec["what"], run.lang),
            "share": fmt_percent(fig.get("share"), run.lang, 0),
            "value": value("value"),
            "reference": value("reference"),
            "posts": int(fig["posts"]) if fig.get("posts") is not None else 0,
        }
    else:  # reply, add_links: the goal's own figures
        words |= {"value": value("value"), "forecast": value("forecast"), "target": value("target")}
    return run.t(key, **words)
