"""Words and number formats of the deliverables, in French and English.

One message catalogue per language (``helpers/report/locales/<lang>.yaml``), with the same keys.
``t(key, lang, **values)`` fills a message; the ``fmt_*`` functions write numbers, percents
and dates the way a reader of that language expects (``12 345,6`` and ``4,5 %`` in French,
``12,345.6`` and ``4.5%`` in English), with the locale data of Babel (CLDR): separators, the
place of the percent and currency signs, month names. :func:`format_value` writes a KPI's value
in the unit the KPI registry gives it (``helpers/kpis/registry.yaml``).

The locale: the language comes from each call (``lang``), the country from the client's brief
(``client.country``), set once per process by :func:`set_country` (``open_run`` in a notebook's
kernel, the runner before it writes the deliverables). A run serves one client, and a batch runs
each client in its own process, so a process-wide setting is enough and no formatter needs a new
argument. The locale is ``<lang>_<country>`` when the language is an official one of the country
in CLDR (``en`` + ``GB`` → ``en_GB``: ``1 Sept 2025``, ``18:30``; ``fr`` + ``CA`` → ``fr_CA``),
else the language's default (``fr_FR``, ``en_US``: ``Sep 1, 2025``, ``6:30 PM``).

French typography is applied once, where text is written: every message ``t()`` fills and every
table cell (:func:`typography`): a narrow no-break space before ``: ; ! ?`` and inside « », and
elision before an interpolated name (``de {brand}`` → ``d'Atelier Sève``, :func:`elide`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import numbers
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from babel import Locale
from babel.dates import format_date, format_time, get_month_names
from babel.languages import get_official_languages
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from helpers import kpis
from helpers.client.brief import PERSONA_SCOPE

LANGS: tuple[str, ...] = ("fr", "en")
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before units in French (``2,5 h``, ``18 h 30``)
#: the country of each language when the brief's is not one where the language is official
DEFAULT_COUNTRY: dict[str, str] = {"fr": "FR", "en": "US"}
_country: str = ""  # the client's country (ISO 3166-1 alpha-2), set by :func:`set_country`


def set_country(country: str | None) -> None:
    """Set the client's country (``client.country`` of the brief) for every formatter of this
    process: dates, times, numbers and lists follow ``<lang>_<country>``; ``None`` or ``""`` for
    the languages' defaults (``fr_FR``, ``en_US``).

    Raises:
        ValueError: not a two-letter country code.
    """
    global _country
    country = (country or "").strip()
    if country and not (len(country) == 2 and country.isalpha()):
        raise ValueError(f"country must be a two-letter ISO code such as 'FR' or 'GB', got {country!r}")
    _country = country.upper()


def current_country() -> str:
    """The country set by :func:`set_country` (``""``: none, the languages' defaults)."""
    return _country


def locale_name(lang: str) -> str:
    """The Babel locale the formatters use for ``lang`` and the current country: ``fr_FR``,
    ``en_GB``, ``en_US``..."""
    _check_lang(lang)
    if _country and lang in get_official_languages(_country, de_facto=True):
        return f"{lang}_{_country}"
    return f"{lang}_{DEFAULT_COUNTRY[lang]}"


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
    """The message ``key`` in ``lang``, filled with ``values``, in the language's typography
    (:func:`typography`; French elision before a name, :func:`elide`). A ``hour`` given as an int is
    a whole hour, written by :func:`fmt_time` (``18 h``, ``6:00 PM``, ``18:00``).

    Raises:
        KeyError: the key is in neither catalogue (a missing translation is a bug).
    """
    messages = catalogue(lang)
    if key not in messages:
        raise KeyError(f"message {key!r} missing from the {lang!r} catalogue")
    text = messages[key]
    if isinstance(values.get("hour"), numbers.Integral):  # a whole hour: written as a time of day
        values = {**values, "hour": fmt_time(values["hour"], lang)}
    if values and "|" in text:
        text = _PLURAL.sub(lambda m: _plural_form(m, values, lang), text)
    if values and lang == "fr":
        text = _ELIDABLE.sub(lambda m: _elided(m, values), text)
    return typography(text.format(**values) if values else text, lang)


#: French words elided before a vowel or a mute h, as the messages put them before a placeholder
_ELISIONS = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'", "du": "de l'", "ne": "n'", "jusque": "jusqu'"}
_ELIDABLE = re.compile(r"\b(" + "|".join(_ELISIONS) + r") \{(\w+)\}", re.IGNORECASE)
_VOWELS = "aeiouàâäéèêëîïôöùûüæœ"
#: words whose h is mute (elided: « l'hôtel »); any other h is aspirated (« le hameau »), the safe side
MUTE_H = (
    "habit", "habitu", "harmon", "hebdo", "herb", "heur", "hélène", "hiver", "histo", "homme", "honn",
    "honor", "honneur", "hôpital", "horaire", "horizon", "horlog", "hospital", "hôte", "hôtel", "huil",
    "huit-reflets", "humain", "humani", "humeur", "humour", "hygièn", "hypo", "hyper",
)


def starts_with_vowel_sound(word: str) -> bool:
    """Whether a French word is elided before: a vowel (not ``y``, ``YouTube`` keeps ``de``), or
    an ``h`` of :data:`MUTE_H`. Digits and anything else: no."""
    first = word[:1].lower()
    if first in _VOWELS:
        return True
    return first == "h" and word.lower().startswith(MUTE_H)


def elide(word: str, before: str) -> str:
    """``de`` + ``Atelier Sève`` → ``d'Atelier Sève``; ``du`` + ``Hôtel Lumière`` → ``de l'Hôtel
    Lumière``; ``de`` + ``Brightlane`` → ``de Brightlane``. ``word`` is the French word before the
    name (its capital kept), ``before`` the name."""
    if not starts_with_vowel_sound(before.strip()):
        return f"{word} {before}"
    short = _ELISIONS.get(word.lower(), word.lower() + " ")
    return (short[:1].upper() + short[1:] if word[:1].isupper() else short) + before


def _elided(match: re.Match, values: dict[str, Any]) -> str:
    """A ``de {brand}`` of a French message, elided when the value starts with a vowel sound."""
    word, name = match.groups()
    value = values.get(name)
    if not isinstance(value, str) or not starts_with_vowel_sound(value.strip()):
        return match.group(0)
    short = _ELISIONS[word.lower()]
    return (short[:1].upper() + short[1:] if word[:1].isupper() else short) + "{" + name + "}"


#: French high punctuation after a word (or an ordinary space) and before a space or the end: not a
#: time ``18:00``, a URL ``https://``, a query ``?a=1`` nor a ratio ``3:1``
_HIGH_PUNCTUATION = re.compile(r"(?<=[^\s\u202f\u00a0:;!?])[ \u00a0]?([:;!?])(?=\s|$|[!?)»\]])")
_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")
#: what typography leaves alone: URLs, e-mail addresses, ``code`` and HTML entities (``&amp;``)
_VERBATIM = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+|`[^`]*`|&#?\w+;)")
#: HTML elements whose text is not prose
_VERBATIM_TAGS = ("code", "pre", "style", "script", "textarea")
_TAG = re.compile(r"(<[^>]*>)")


def typography(text: str, lang: str) -> str:
    """Text as a reader of ``lang`` expects its punctuation. French: a narrow no-break space
    (U+202F) before ``: ; ! ?`` and inside « », none inside URLs, e-mail addresses, ``code`` or
    times (``18:00``); idempotent. English: unchanged."""
    if lang != "fr" or not text:
        return text
    parts = _VERBATIM.split(text)
    for i in range(0, len(parts), 2):  # odd parts are the verbatim ones
        part = _HIGH_PUNCTUATION.sub(NNBSP + r"\1", parts[i])
        part = _OPENING_GUILLEMET.sub("«" + NNBSP, part)
        parts[i] = _CLOSING_GUILLEMET.sub(NNBSP + "»", part)
    return "".join(parts)


#: ``{n|objectif|objectifs}`` in a message: the word agreeing with the count ``n``.
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def typography_html(markup: str, lang: str) -> str:
    """:func:`typography` on the text of an HTML page (the deliverables, once written): tags,
    attributes, entities and the text of ``code``, ``pre``, ``style`` and ``script`` unchanged."""
    if lang != "fr":
        return markup
    parts = _TAG.split(markup)
    verbatim = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _VERBATIM_TAGS and not part.endswith("/>"):
                verbatim += -1 if part.startswith("</") else 1
                verbatim = max(verbatim, 0)
        elif part and not verbatim and not part.isspace():
            # on the text as the reader sees it: an escaped ``&gt;`` a client typed stays ``&gt;``
            parts[i] = html.escape(typography(html.unescape(part), lang), quote=False)
    return "".join(parts)


def _count(value: Any, lang: str) -> float | None:
    """A count given as a number or as a number already written in ``lang`` (``1 234``, ``1,234``)."""
    if isinstance(value, numbers.Number):
        return None if _missing(value) else float(value)
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    symbols = _locale(lang).number_symbols["latn"]
    decimal, group = symbols["decimal"], symbols["group"]
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


def _locale(lang: str) -> Locale:
    """The Babel locale of ``lang`` and the current country (:func:`locale_name`)."""
    return _parsed(locale_name(lang))


@cache
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


def _minus(text: str) -> str:
    """The typographic minus sign (U+2212) for the hyphen CLDR gives."""
    return text.replace("-", "−")


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """``12345.6`` → ``12 345,6`` (fr) or ``12,345.6`` (en); ``–`` when missing."""
    _check_lang(lang)
    if _missing(value):
        return unknown(lang)
    return _minus(format_decimal(_exact(value), format=_decimals(decimals), locale=_locale(lang)))


def rounded_shares(shares: Sequence[float], decimals: int = 0) -> list[float]:
    """Shares of one whole (fractions adding up to 1) rounded to ``decimals`` percent decimals so
    that the rounded percents still add up to 100 (the largest remainders are rounded up), as a
    reader adds them: 28 + 23 + 19 + 15 + 10 + 5, not 28 + 23 + 19 + 15 + 11 + 5 = 101."""
    unit = 10 ** (decimals + 2)
    scaled = [float(v) * unit for v in shares]
    floors = [math.floor(v) for v in scaled]
    left = round(sum(scaled)) - sum(floors)
    order = sorted(range(len(scaled)), key=lambda i: scaled[i] - floors[i], reverse=True)
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return [f / unit for f in floors]


def fmt_percent(value: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percent: ``0.045`` → ``4,5 %`` (fr, a narrow no-break space before ``%``)
    or ``4.5%`` (en)."""
    if _missing(value):
        return unknown(lang)
    number = fmt_number(value * 100, lang, decimals)
    if signed and value > 0:
        number = "+" + number
    pattern = _locale(lang).percent_formats[None]
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    if lang == "fr":  # French typography: the narrow space before % (CLDR gives a wide one)
        suffix = suffix.replace(NBSP, NNBSP).replace(" ", NNBSP)
    return f"{prefix}{number}{suffix}"


def fmt_money(value: float | None, lang: str, currency: str = "EUR", decimals: int = 0) -> str:
    """``1234.5`` → ``1 235 €`` (fr) or ``€1,235`` (en), with the locale's currency symbol."""
    _check_lang(lang)
    if _missing(value):
        return unknown(lang)
    pattern = _locale(lang).currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("#,##0.00", _decimals(decimals))
    text = format_currency(
        _exact(value), currency, format=pattern, locale=_locale(lang), currency_digits=False
    )
    return _minus(text)


def fmt_list(items: list[str], lang: str) -> str:
    """``Facebook, Instagram et X`` (fr) or ``Facebook, Instagram, and X`` (en)."""
    return format_list([str(i) for i in items], locale=_locale(lang)) if items else ""


def month_names(lang: str, long: bool = False) -> list[str]:
    """The twelve month names, January first: abbreviated (``janv.``, ``Jan``) or spelled out."""
    names = get_month_names("wide" if long else "abbreviated", locale=_locale(lang))
    return [names[m] for m in range(1, 13)]


def fmt_date(value: dt.date | dt.datetime | Any, lang: str, long: bool = False) -> str:
    """A date in the country's style: ``23 nov. 2026`` (fr, ``1er`` for the first), ``Nov 23, 2026``
    (en_US), ``23 Nov 2026`` (en_GB); ``long`` spells the month out (CLDR's medium and long
    formats); ``n.d.`` / ``n/a`` when missing."""
    if _missing(value):
        return unknown(lang)
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.date()
    text = format_date(value, "long" if long else "medium", locale=_locale(lang))
    if lang == "fr" and value.day == 1:  # French writes the first of the month 1er
        text = re.sub(r"^1(?=\D)", "1er", text)
    return text


def fmt_time(value: dt.time | dt.datetime | int | Any, lang: str) -> str:
    """A time of day, one way per language: ``18 h``, ``18 h 30`` (fr); the country's short time in
    English (``6:00 PM`` en_US, ``18:00`` en_GB). An int is a whole hour; ``n.d.`` / ``n/a`` when
    missing."""
    if _missing(value):
        return unknown(lang)
    if isinstance(value, numbers.Integral):
        value = dt.time(int(value))
    elif hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.time()
    if lang == "fr":
        return f"{value.hour}{NBSP}h" + (f"{NBSP}{value.minute:02d}" if value.minute else "")
    return format_time(value.replace(tzinfo=None), "short", locale=_locale(lang))


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
    """A translated label for a channel, format, sentiment, objective... (``kind.value``), else the
    value as it is."""
    if kind == "channel" and str(value).startswith(PERSONA_SCOPE):
        return t("goals.persona_scope", lang, name=str(value).removeprefix(PERSONA_SCOPE))
    key = f"{kind}.{value}"
    return t(key, lang) if key in catalogue(lang) else str(value)
