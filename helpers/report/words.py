"""Words added at display time: the sentences of findings and SMART letters, in the run's language.

The steps' computations hand on numbers and ids only (``findings.json``, ``goals.json`` are the
same for a French and an English run). A sentence is stored as a *phrase*: a catalogue key
(``message``), the raw values it quotes (``values``) and how each value is written
(``kinds``). :func:`phrase` writes it in a language. Kinds:

* ``text``: as it is (a brand or competitor name);
* ``percent:D`` with optional ``:signed`` and ``:abs``: a fraction as a percentage with D decimals;
* ``number:D``: a number with D decimals;
* ``channel``, ``format``, ``objective``: a label of the catalogue;
* ``emotion`` (``emotion:upper`` to open a sentence): an emotion's label;
* ``month``: the ISO date of a month's first day, as the month;
* ``window``: ``START/END``, two ISO dates, as a window of whole months (``Aug–Oct 2026``);
* ``weekday``: a weekday number (Monday 0), written in full;
* ``date``: an ISO date;
* ``scorecard``: a value of the scorecard column named by the phrase's ``kpi`` value;
* ``kpi:ID``: a value of the KPI ``ID`` in its unit;
* ``scorecard_name``: the scorecard's name of a KPI;
* ``phrase``: a nested phrase (a dict with ``message``, ``values``, ``kinds``), or empty.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from helpers import kpis
from helpers.report.i18n import (
    fmt_date,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_window,
    format_value,
    label,
    lower_first,
    t,
    unknown,
    upper_first,
    weekday_names,
)


def _number_kind(kind: str) -> tuple[int, set[str]]:
    parts = kind.split(":")
    decimals = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
    return decimals, set(parts[2:])


def _write_number(value: float, kind: str, lang: str) -> str:
    decimals, flags = _number_kind(kind)
    if kind.startswith("percent"):
        return fmt_percent(abs(value) if "abs" in flags else value, lang, decimals, signed="signed" in flags)
    return fmt_number(value, lang, decimals)


def _write_kpi(value: float, kind: str, lang: str, values: dict | None) -> str:
    """A KPI's value in the unit the registry gives it: ``kpi:ID``, or the phrase's ``kpi`` value."""
    kpi_id = (values or {}).get("kpi", "") if kind == "scorecard" else kind.removeprefix("kpi:")
    return format_value(kpi_id, value, lang)


#: Kinds written from the value and the language alone.
_WRITERS: dict[str, Any] = {
    "channel": lambda v, lang: label("channel", v, lang),
    "format": lambda v, lang: label("format", v, lang),
    "objective": lambda v, lang: label("objective", v, lang),
    "emotion": lambda v, lang: label("emotion", v, lang),
    "emotion:upper": lambda v, lang: upper_first(label("emotion", v, lang)),
    "weekday": lambda v, lang: weekday_names(lang, short=False)[int(v)],
    "date": lambda v, lang: fmt_date(dt.date.fromisoformat(v), lang),
    "month": lambda v, lang: fmt_month(dt.date.fromisoformat(v), lang),
    "window": lambda v, lang: fmt_window(*v.split("/"), lang),
    "scorecard_name": lambda v, lang: t(f"scorecard.{v}", lang),
}


def write_value(value: Any, kind: str, lang: str, values: dict | None = None) -> str:
    """One value of a phrase written as its ``kind`` says (see the module's docstring)."""
    if kind == "phrase":
        return phrase(value, lang) if value else ""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return unknown(lang)
    if kind.startswith(("percent", "number")):
        return _write_number(value, kind, lang)
    if kind == "scorecard" or kind.startswith("kpi:"):
        return _write_kpi(value, kind, lang, values)
    if kind in _WRITERS:
        return _WRITERS[kind](value, lang)
    return str(value)


def letter_text(letter: dict, lang: str) -> str:
    """A SMART letter's reason in ``lang``."""
    return phrase(letter, lang)


def phrase(stored: dict, lang: str, **extra: Any) -> str:
    """The sentence of a stored phrase (``message``, ``values``, ``kinds``) in ``lang``.

    ``extra`` adds values already written (such as the engagement rate's name for the brief).
    """
    values, kinds = stored.get("values", {}), stored.get("kinds", {})
    written = {k: write_value(v, kinds.get(k, "text"), lang, values) for k, v in values.items()}
    return t(stored["message"], lang, **written, **extra)


def finding_text(finding: Any, lang: str, conventions: Any) -> str:
    """A finding's sentence in ``lang``; ``conventions`` is the brief's ``kpi`` block, which names
    the engagement rate's variant."""
    stored = finding if isinstance(finding, dict) else finding.as_dict()
    er_name = kpis.for_conventions("engagement_rate", conventions).name(lang)
    return phrase(stored, lang, er=er_name, er_lc=lower_first(er_name))


def entry_text(entry: dict, lang: str, conventions: Any) -> str:
    """A SWOT or PESTEL entry in ``lang``: the strategist's own words, a finding or a phrase of the
    data, followed by its source."""
    if "text" in entry:
        body = entry["text"]
    elif "finding" in entry:
        body = finding_text(entry["finding"], lang, conventions)
    else:
        body = phrase(entry, lang)
    source = t(f"synthesis.source_{entry['source']}", lang)
    return f"{body} ({source})"
