"""Words and number formats of the deliverables, in French and English.

One message catalogue per language (``helpers/report/locales/<lang>.yaml``), with the same keys.
``t(key, lang, **values)`` fills a message; the ``fmt_*`` functions write numbers, percents
and dates the way a reader of that language expects (``12 345,6`` and ``4,5 %`` in French,
``12,345.6`` and ``4.5%`` in English), with the locale data of Babel (CLDR): separators, the
place of the percent and currency signs, month names. :func:`format_value` writes a KPI's value
in the unit the KPI registry gives it (``helpers/kpis/registry.yaml``).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from babel import Locale
from babel.dates import get_month_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from helpers import kpis
from helpers.client.brief import PERSONA_SCOPE

LANGS: tuple[str, ...] = ("fr", "en")
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before % and units in French


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
    if values and "|" in text:
        text = _PLURAL.sub(lambda m: _plural_form(m, values, lang), text)
    return text.format(**values) if values else text


#: ``{n|objectif|objectifs}`` in a message: the word agreeing with the count ``n``.
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _count(value: Any, lang: str) -> float | None:
    """A count given as a number or as a number already written in ``lang`` (``1 234``, ``1,234``)."""
    if isinstance(value, numbers.Number):
        return None if _missing(value) else float(value)
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    decimal, group = (",", ".") if lang == "fr" else (".", ",")
    whole, _, fraction = text.replace(group, "").partition(decimal)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return float(f"{whole}.{fraction or 0}")


def _plural_form(match: re.Match, values: dict[str, Any], lang: str) -> str:
    """The singular or plural word of a ``{count|one|other}`` form, by the language's CLDR rule
    (French: 0 and 1 take the singular; English: 1 only)."""
    name, one, other = match.groups()
    if name not in values:
        raise KeyError(f"plural form names {name!r}, which the message is not given")
    count = _count(values[name], lang)
    if count is None:
        return other
    return one if _locale(lang).plural_form(abs(count)) == "one" else other


def unknown(lang: str) -> str:
    """How a value that is not known is written: ``n.d.`` (fr), ``n/a`` (en). Never ``0``, ``nan``
    or ``<NA>``: unknown is not zero."""
    return t("deliverable.unknown", lang)


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA: written ``–``."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _decimals(decimals: int) -> str:
    """A Babel number pattern's digits: ``#,##0`` and ``decimals`` fixed decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _exact(value: float | int) -> Decimal:
    """The number's exact value (a float's binary one), so Babel rounds it as Python's ``format``."""
    return Decimal(int(value)) if isinstance(value, numbers.Integral) else Decimal(float(value))


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_check_lang(lang))


def _minus(text: str) -> str:
    """The typographic minus sign (U+2212) for the hyphen CLDR gives."""
    return text.replace("-", "−")


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """``12345.6`` → ``12 345,6`` (fr) or ``12,345.6`` (en); ``–`` when missing."""
    _check_lang(lang)
    if _missing(value):
        return unknown(lang)
    return _minus(format_decimal(_exact(value), format=_decimals(decimals), locale=lang))


def fmt_percent(value: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percent: ``0.045`` → ``4,5 %`` (fr) or ``4.5%`` (en)."""
    if _missing(value):
        return unknown(lang)
    number = fmt_number(value * 100, lang, decimals)
    if signed and value > 0:
        number = "+" + number
    pattern = _locale(lang).percent_formats[None]
    return f"{pattern.prefix[0]}{number}{pattern.suffix[0]}"


def fmt_money(value: float | None, lang: str, currency: str = "EUR", decimals: int = 0) -> str:
    """``1234.5`` → ``1 235 €`` (fr) or ``€1,235`` (en), with the locale's currency symbol."""
    _check_lang(lang)
    if _missing(value):
        return unknown(lang)
    pattern = _locale(lang).currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("#,##0.00", _decimals(decimals))
    text = format_currency(_exact(value), currency, format=pattern, locale=lang, currency_digits=False)
    return _minus(text)


def fmt_list(items: list[str], lang: str) -> str:
    """``Facebook, Instagram et X`` (fr) or ``Facebook, Instagram, and X`` (en)."""
    return format_list([str(i) for i in items], locale=_check_lang(lang)) if items else ""


def month_names(lang: str, long: bool = False) -> list[str]:
    """The twelve month names, January first: abbreviated (``janv.``, ``Jan``) or spelled out."""
    names = get_month_names("wide" if long else "abbreviated", locale=_check_lang(lang))
    return [names[m] for m in range(1, 13)]


def fmt_date(value: dt.date | dt.datetime | Any, lang: str, long: bool = False) -> str:
    """``23 nov. 2026`` (fr) or ``Nov 23, 2026`` (en); ``long`` spells the month out."""
    if _missing(value):
        return unknown(lang)
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    month = month_names(lang, long)[value.month - 1]
    if lang == "fr":
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {month} {value.year}"
    return f"{month} {value.day}, {value.year}"


def fmt_month(value: dt.date | Any, lang: str) -> str:
    """A month label: ``nov. 2026`` (fr) or ``Nov 2026`` (en); ``n.d.`` / ``n/a`` when missing."""
    if _missing(value):
        return unknown(lang)
    return f"{month_names(lang)[value.month - 1]} {value.year}"


def fmt_window(start: dt.date | Any, end: dt.date | Any, lang: str) -> str:
    """A window of whole months: ``août–oct. 2026`` (fr), ``Aug–Oct 2026`` (en), across years
    ``Nov 2025–Jan 2026``, one month ``Aug 2026``; ``n.d.`` / ``n/a`` when a bound is missing.
    Dates may be ISO strings."""
    if _missing(start) or _missing(end):
        return unknown(lang)
    start, end = (dt.date.fromisoformat(v) if isinstance(v, str) else v for v in (start, end))
    names = month_names(lang)
    if (start.year, start.month) == (end.year, end.month):
        return fmt_month(start, lang)
    if start.year == end.year:
        return f"{names[start.month - 1]}\u2013{names[end.month - 1]} {end.year}"
    return f"{fmt_month(start, lang)}\u2013{fmt_month(end, lang)}"


def fmt_hours(value: float | None, lang: str, decimals: int = 1) -> str:
    """A duration in hours: ``2,5 h`` (fr) or ``2.5 h`` (en)."""
    number = fmt_number(value, lang, decimals)
    return number if number == unknown(lang) else f"{number}{NBSP}h"


def value_unit(what: str | kpis.KpiDef) -> str:
    """The unit a value is written in: a KPI's (record or id, its percent flag first) or a unit.

    Raises:
        KeyError: neither a KPI of the registry nor one of its units.
    """
    if isinstance(what, str) and what not in kpis.KPIS:
        if what not in kpis.REGISTRY.units:
            raise KeyError(f"{what!r} is neither a KPI nor a unit of the registry")
        return what
    record = kpis.KPIS[what] if isinstance(what, str) else what
    return "percent" if record.percent else record.unit


def format_value(
    what: str | kpis.KpiDef,
    value: float | None,
    lang: str,
    decimals: int | None = None,
    signed: bool = False,
    currency: str = "EUR",
) -> str:
    """A KPI's value written in its unit (from the registry) and the reader's language.

    The one formatter of KPI values (goals, scorecard, pages): percent ``4,52 %`` / ``4.52%``
    (2 decimals under 10 %, else 1), hours ``2,5 h``, currency ``1 234 €`` / ``€1,234``, other
    units ``12 345`` (no decimal from 100 on or for a whole number, else 1); ``–`` when missing.

    Args:
        what: a KPI id, a KPI record (a variant's) or a unit of the registry.
        value: the value (a fraction for percents).
        lang: "fr" or "en".
        decimals: decimals to show instead of the unit's default.
        signed: put a "+" before a positive percent.
        currency: ISO code for the currency unit (the client's).

    Returns:
        The text.
    """
    unit = value_unit(what)
    if _missing(value):
        return unknown(lang)
    if unit == "percent":
        chosen = decimals if decimals is not None else (2 if abs(value) < 0.1 else 1)
        return fmt_percent(value, lang, chosen, signed)
    if unit == "hours":
        return fmt_hours(value, lang, 1 if decimals is None else decimals)
    if unit == "currency":
        return fmt_money(value, lang, currency, decimals or 0)
    whole = float(value).is_integer()  # a count of posts, followers or leads: no ",0"
    chosen = decimals if decimals is not None else (0 if abs(value) >= 100 or whole else 1)
    return fmt_number(value, lang, chosen)


def weekday_names(lang: str, short: bool = True) -> list[str]:
    """Monday first, as the ISO week and the heatmaps."""
    key = "weekdays_short" if short else "weekdays"
    return t(f"calendar.{key}", lang).split(",")


def lower_first(text: str) -> str:
    """``Taux d'engagement`` → ``taux d'engagement``: a name set inside a sentence. An acronym
    (``ROI``, ``SQLs``) keeps its capitals."""
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """``joie`` → ``Joie``: a label that opens a sentence."""
    return text[:1].upper() + text[1:]


def label(kind: str, value: str, lang: str) -> str:
    """A translated label for a channel, format, sentiment, objective... (``kind.value``, else
    ``layout.kind.value``), else the value as it is."""
    if kind == "channel" and str(value).startswith(PERSONA_SCOPE):
        return t("goals.persona_scope", lang, name=str(value).removeprefix(PERSONA_SCOPE))
    words = catalogue(lang)
    for key in (f"{kind}.{value}", f"layout.{kind}.{value}"):
        if key in words:
            return t(key, lang)
    return str(value)
