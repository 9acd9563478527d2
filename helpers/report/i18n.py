"""Words and number formats of the deliverables, in French and English.

One message catalogue per language (``helpers/report/locales/<lang>.yaml``), with the same keys.
``t(key, lang, **values)`` fills a message; the ``fmt_*`` functions write numbers, percents
and dates the way a reader of that language expects (``12 345,6`` and ``4,5 %`` in French,
``12,345.6`` and ``4.5%`` in English).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

LANGS: tuple[str, ...] = ("fr", "en")
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before % and units in French

_MONTHS_FR = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip
_MONTHS_FR_LONG = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_EN_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat message catalogue of a language (``section.key`` → text)."""
    raw = yaml.safe_load((LOCALES_DIR / f"{_check_lang(lang)}.yaml").read_text(encoding="utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    walk("", raw)
    return flat


def t(key: str, lang: str, **values: Any) -> str:
    """The message ``key`` in ``lang``, filled with ``values``.

    Raises:
        KeyError: the key is in neither catalogue (a missing translation is a bug).
    """
    messages = catalogue(lang)
    if key not in messages:
        raise KeyError(f"message {key!r} missing from the {lang!r} catalogue")
    text = messages[key]
    return text.format(**values) if values else text


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """``12345.6`` → ``12 345,6`` (fr) or ``12,345.6`` (en); ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if _check_lang(lang) == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text.replace("-", "−")


def fmt_percent(value: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percent: ``0.045`` → ``4,5 %`` (fr) or ``4.5%`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = fmt_number(value * 100, lang, decimals)
    if signed and value > 0:
        number = "+" + number
    return f"{number}{NBSP}%" if lang == "fr" else f"{number}%"


def fmt_money(value: float | None, lang: str, currency: str = "EUR", decimals: int = 0) -> str:
    """``1234.5`` → ``1 235 €`` (fr) or ``€1,235`` (en)."""
    symbol = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}.get(currency, currency)
    number = fmt_number(value, lang, decimals)
    if number == "–":
        return number
    if lang == "fr":
        return f"{number}{NBSP}{symbol}"
    return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol} {number}"


def fmt_date(value: dt.date | dt.datetime | Any, lang: str, long: bool = False) -> str:
    """``23 nov. 2026`` (fr) or ``Nov 23, 2026`` (en); ``long`` spells the month out."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if _check_lang(lang) == "fr":
        month = (_MONTHS_FR_LONG if long else _MONTHS_FR)[value.month - 1]
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {month} {value.year}"
    month = (_MONTHS_EN_LONG if long else _MONTHS_EN)[value.month - 1]
    return f"{month} {value.day}, {value.year}"


def fmt_month(value: dt.date | Any, lang: str) -> str:
    """A month label: ``nov. 2026`` (fr) or ``Nov 2026`` (en)."""
    months = _MONTHS_FR if _check_lang(lang) == "fr" else _MONTHS_EN
    return f"{months[value.month - 1]} {value.year}"


def fmt_hours(value: float | None, lang: str) -> str:
    """A duration in hours: ``2,5 h`` (fr) or ``2.5 h`` (en)."""
    number = fmt_number(value, lang, 1)
    return number if number == "–" else f"{number}{NBSP}h"


def weekday_names(lang: str, short: bool = True) -> list[str]:
    """Monday first, as the ISO week and the heatmaps."""
    key = "weekdays_short" if short else "weekdays"
    return t(f"calendar.{key}", lang).split(",")


def lower_first(text: str) -> str:
    """``Taux d'engagement`` → ``taux d'engagement``: a name set inside a sentence."""
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """``joie`` → ``Joie``: a label that opens a sentence."""
    return text[:1].upper() + text[1:]


#: A goal's scope can be one of the brief's personas: ``persona:<name>``.
PERSONA_SCOPE = "persona:"


def label(kind: str, value: str, lang: str) -> str:
    """A translated label for a channel, format, sentiment, objective... (``kind.value``)."""
    key = f"{kind}.{value}"
    if kind == "channel" and str(value).startswith(PERSONA_SCOPE):
        return t("goals.persona_scope", lang, name=str(value).removeprefix(PERSONA_SCOPE))
    return t(key, lang) if key in catalogue(lang) else str(value)
