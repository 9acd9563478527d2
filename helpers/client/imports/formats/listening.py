"""Social listening exports → the ``mentions`` table: Brandwatch, Talkwalker, Meltwater, and the
generic mention file (Digimind-style, or assembled by an agency) with English or French headers.

Layouts from the exports themselves:

- Brandwatch "Bulk Mentions Download" (.csv UTF-8 with BOM, or .xlsx): six preamble lines
  (``Report:``, ``Brand:``, ``From:``, ``To:``, ``Label:``, blank), then ``Query Id, Query Name,
  Date, Mention Id, Resource Id, Url, Page Type, Sentiment, Full Text, Author, Reach (new)...``.
  ``Date`` is UTC. The brand is the query's name (``Query Name``, else the ``Brand:`` line):
  name queries after the brand they follow.
- Talkwalker (.xlsx/.csv): the API's fields, nested ones dotted (``url, published, title,
  content, lang, sentiment, source_type, reach, engagement, extra_author_attributes.name,
  source_extended_attributes.twitter_followers``...). ``sentiment`` is a score; ``published``
  epoch milliseconds, or a day-first date in a French export. The brand is the matched topic
  (``topic``, ``matched_profile`` or ``tags_internal``) when the export has one.
- Meltwater Explore (.csv in UTF-16 with tabs): ``Date, Headline, URL, Opening Text, Hit
  Sentence, Source, Influencer, ... Reach, Engagement, AVE, Sentiment, ... Input Name, ...
  Time``; ``Date`` and ``Time`` are read together in the client's zone; the brand is ``Input Name``.
- generic: ``date``, ``source``/``network``/``réseau``, ``author``/``auteur``, ``text``/
  ``texte``/``contenu``, ``reach``/``portée``/``audience``, ``sentiment``/``tonalité``,
  ``brand``/``marque``, optional ``url``, ``engagement``, ``abonnés``. Unlike the workbook's
  own ``mentions`` template it has no ``mention_id`` / ``published_at`` columns.

Files without an id of their own get a stable ``mention_id``: a hash of the URL, or of author,
time and text when there is no URL; the same mention in two exports gets the same id.
When a file does not say which brand a mention is about, ``brand`` is :data:`BRAND`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re

import pandas as pd

from helpers.client.imports.core import Context, Format, Grid
from helpers.client.imports.formats.common import first_text
from helpers.client.imports.values import _MONTHS, counts, sentiments, timestamps

#: ``brand`` when the export does not name it. Meant to be "" (the caller fills it), but the
#: import pipeline refuses an empty required ``brand`` for now.
BRAND = ""

#: Sentiment labels that mean "not rated" (Meltwater ``Unknown``), read as neutral.
UNRATED = {"unknown", "inconnu", "inconnue", "non défini", "non classé"}

#: Talkwalker columns naming the topic (the search) a document matched, in order of preference.
TOPIC = ("topic", "matched_profile", "tags_internal")

#: Talkwalker scores above this are positive, below its opposite negative.
TALKWALKER_NEUTRAL = 0.0

# Network words of the exports (Brandwatch ``Page Type``, Talkwalker ``source_type`` codes such
# as SOCIALMEDIA_TWITTER or ONLINENEWS, Meltwater ``Source``, generic ``réseau``) → channel.
_CHANNEL_WORDS = (
    ("x", re.compile(r"twitter|^x$|^x\W|\Wx$|^tweet")),
    ("facebook", re.compile(r"facebook")),
    ("instagram", re.compile(r"instagram")),
    ("tiktok", re.compile(r"tiktok")),
    ("youtube", re.compile(r"youtube")),
    ("linkedin", re.compile(r"linkedin")),
    ("forum", re.compile(r"forum|reddit|message ?board")),
    ("blog", re.compile(r"blog")),
    ("news", re.compile(r"news|presse|press\b|actualit|print|journal|médias? en ligne")),
)


def channels(values: pd.Series) -> pd.Series:
    """Mention channel from a network word; anything else (reviews, podcasts...) is ``other``."""

    def one(value: str) -> str:
        text = value.strip().lower()
        return next((channel for channel, pattern in _CHANNEL_WORDS if pattern.search(text)), "other")

    return values.astype(str).map(one)


def mention_ids(
    ids: pd.Series, url: pd.Series, author: pd.Series, published: pd.Series, text: pd.Series
) -> pd.Series:
    """The export's id, else ``h`` + a hash of the URL, else of author + UTC time + text."""
    when = published.dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("")
    words = text.astype(str).str.split().str.join(" ")
    key = url.where(url != "", author + "\x1f" + when + "\x1f" + words)
    hashed = key.map(lambda k: "h" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:16])
    return ids.where(ids != "", hashed)


def _first_count(grid: Grid, ctx: Context, *names: str) -> pd.Series:
    """Per row, the first of ``names`` with a value, as counts; NaN when none has one."""
    out = pd.Series(float("nan"), index=grid.frame.index)
    for name in names:
        if name in grid.frame.columns:
            out = out.fillna(counts(grid, name, ctx, "mentions"))
    return out


def _sum_counts(grid: Grid, ctx: Context, *names: str) -> pd.Series:
    """Per row, the sum of the ``names`` present; NaN when all are blank."""
    parts = {n: counts(grid, n, ctx, "mentions") for n in names if n in grid.frame.columns}
    return pd.DataFrame(parts, index=grid.frame.index).sum(axis=1, min_count=1)


def _sentiment(grid: Grid, *names: str, threshold: float = 0.0) -> pd.Series:
    column = next(n for n in names if n in grid.frame.columns)
    raw = grid.frame[column]
    if raw.str.lower().isin(UNRATED).any():
        frame = grid.frame.assign(**{column: raw.where(~raw.str.lower().isin(UNRATED), "")})
        grid = Grid(grid.sheet, grid.header_row, grid.columns, frame, grid.preamble)
    return sentiments(grid, column, threshold)


def _with_time(day: pd.Series, time: pd.Series) -> pd.Series:
    """A date and a separate time of day as one text (the date alone when it has a time)."""
    alone = ~day.str.contains(":", regex=False) & (time != "") & (day != "")
    return day.where(~alone, day + " " + time)


_WORD_MONTH = re.compile(
    r"(\d{1,2})[-\s]([^\W\d_]+)\.?[-\s](\d{2}|\d{4})(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?",
    re.I,
)


def _iso_word_month(text: str) -> str:
    """``13-Mar-2026 08:15 PM`` (Meltwater) as ``2026-03-13 20:15:00``; other text unchanged."""
    found = _WORD_MONTH.fullmatch(text.strip())
    month = _MONTHS.get(found.group(2).lower()) if found else None
    if month is None:
        return text
    day, _, year, hour, minute, second, half = found.groups()
    hour = int(hour or 0)
    if half:
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        when = dt.datetime(year, month, int(day), hour, int(minute or 0), int(second or 0))
    except ValueError:
        return text  # an impossible date is reported as the file writes it
    return when.isoformat(sep=" ")


def _brand(grid: Grid, *names: str) -> pd.Series:
    brand = first_text(grid, *names)
    return brand.where(brand != "", BRAND)


def _preamble(grid: Grid, label: str) -> str:
    """The value next to ``label`` (e.g. ``Brand:``) in the lines above the header."""
    for row in grid.preamble:
        cells = [str(c).strip() for c in row]
        if cells and cells[0].lower() == label and len(cells) > 1:
            return cells[1]
    return ""


def _mentions(grid: Grid, published: pd.Series, ids: pd.Series, **columns: pd.Series) -> pd.DataFrame:
    url = columns.get("url", grid.col("url", required=False))
    frame = pd.DataFrame(columns, index=grid.frame.index)
    frame["url"] = url
    frame["published_at"] = published
    frame["mention_id"] = mention_ids(ids, url, columns["author"], published, columns["text"])
    frame["emotion"] = first_text(grid, "emotion", "émotion")
    return frame


# --- Brandwatch ---------------------------------------------------------------------------------------


def brandwatch(grid: Grid, ctx: Context) -> pd.DataFrame:
    """Brandwatch Consumer Research "Bulk Mentions Download"."""
    brand = grid.col("query name", required=False)
    brand = brand.where(brand != "", _preamble(grid, "brand:") or BRAND)
    engagement = _sum_counts(grid, ctx, "likes", "comments", "shares")
    social = _sum_counts(grid, ctx, "x likes", "x reposts", "x replies")
    social = social.fillna(_sum_counts(grid, ctx, "twitter likes", "twitter retweets", "twitter replies"))
    return _mentions(
        grid,
        timestamps(grid, "date", "UTC"),
        first_text(grid, "resource id", "mention id"),
        channel=channels(grid.col("page type")),
        author=grid.col("author", required=False),
        author_followers=_first_count(grid, ctx, "x followers", "twitter followers", "instagram followers"),
        text=first_text(grid, "full text", "snippet", "title"),
        reach=_first_count(grid, ctx, "reach (new)", "impressions"),
        engagement=engagement.fillna(social),
        sentiment=_sentiment(grid, "sentiment"),
        brand=brand,
    )


# --- Talkwalker ---------------------------------------------------------------------------------------


def _day_first(text: pd.Series) -> bool:
    """Whether slashed dates put the day first: yes unless a second number is above 12."""
    parts = text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}").apply(pd.to_numeric)
    if (parts[0] > 12).any():
        return True
    return not (parts[1] > 12).any()


def _talkwalker_times(grid: Grid, ctx: Context) -> pd.Series:
    """``published``: epoch milliseconds (or seconds) in UTC, an ISO time, or a local date
    (day first, as Talkwalker writes it for a French account, unless the values say otherwise)."""
    raw = grid.col("published")
    epoch = raw.str.fullmatch(r"\d{10}|\d{12,13}")
    unit = raw.str.len().map(lambda n: "s" if n == 10 else "ms")
    as_iso = [
        pd.Timestamp(int(v), unit=u, tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ") if e else v
        for v, u, e in zip(raw, unit, epoch, strict=True)
    ]
    text = pd.Series(as_iso, index=raw.index, dtype=object)
    return timestamps(
        grid,
        "published",
        ctx.tz,
        month_first=not _day_first(raw[~epoch]),
        text=text,
        ctx=ctx,
        table="mentions",
    )


def _topics(grid: Grid, ctx: Context) -> pd.Series:
    """The matched topic, first of a list (``["Carrefour", "Leclerc"]``), flagged when several."""
    raw = first_text(grid, *TOPIC)
    items = raw.str.strip("[]").str.split(",")
    first = items.str[0].fillna("").str.strip().str.strip("\"' ")
    several = items.str.len() > 1
    if several.any():
        column = next(n for n in TOPIC if n in grid.frame.columns)
        ctx.flag(
            grid, raw.index[several], column, "several topics matched; the first is kept", raw, "mentions"
        )
    return first.where(first != "", BRAND)


def talkwalker(grid: Grid, ctx: Context) -> pd.DataFrame:
    """Talkwalker document export."""
    author = first_text(grid, "extra_author_attributes.name", "extra_author_attributes.short_name")
    followers = (
        "source_extended_attributes.twitter_followers",
        "source_extended_attributes.instagram_followers",
        "source_extended_attributes.facebook_followers",
    )
    return _mentions(
        grid,
        _talkwalker_times(grid, ctx),
        first_text(grid, "id"),
        channel=channels(grid.col("source_type")),
        author=author,
        author_followers=_first_count(grid, ctx, *followers),
        text=first_text(grid, "content", "content_snippet", "title"),
        reach=_first_count(grid, ctx, "reach"),
        engagement=_first_count(grid, ctx, "engagement"),
        sentiment=_sentiment(grid, "sentiment", threshold=TALKWALKER_NEUTRAL),
        brand=_topics(grid, ctx),
    )


# --- Meltwater ----------------------------------------------------------------------------------------


def meltwater(grid: Grid, ctx: Context) -> pd.DataFrame:
    """Meltwater Explore mention export."""
    when = _with_time(grid.col("date"), grid.col("time", required=False)).map(_iso_word_month)
    return _mentions(
        grid,
        timestamps(grid, "date", ctx.tz, text=when, ctx=ctx, table="mentions"),
        pd.Series("", index=grid.frame.index),
        channel=channels(grid.col("source", required=False)),
        author=grid.col("influencer"),
        author_followers=_first_count(grid, ctx, "twitter followers"),
        text=first_text(grid, "hit sentence", "opening text", "headline"),
        reach=_first_count(grid, ctx, "reach"),
        engagement=_first_count(grid, ctx, "engagement"),
        sentiment=_sentiment(grid, "sentiment"),
        brand=_brand(grid, "input name"),
    )


# --- generic (Digimind-style, agency files) -------------------------------------------------------------

NETWORK = ("source", "network", "réseau", "canal", "plateforme", "platform")
AUTHOR = ("author", "auteur")
TEXT = ("text", "texte", "contenu", "content", "message", "title", "titre")
REACH = ("reach", "portée", "audience", "potential reach", "audience potentielle")
SENTIMENT = ("sentiment", "tonalité")
FOLLOWERS = ("author followers", "followers", "abonnés", "abonnés de l'auteur")
ENGAGEMENT = ("engagement", "engagements", "interactions")


def _generic(day_first: bool):
    def parse(grid: Grid, ctx: Context) -> pd.DataFrame:
        when = _with_time(grid.col("date"), grid.col("time", "heure", required=False)).map(_iso_word_month)
        return _mentions(
            grid,
            timestamps(
                grid,
                "date",
                ctx.tz,
                month_first=False if day_first else None,
                text=when,
                ctx=ctx,
                table="mentions",
            ),
            first_text(grid, "id", "mention id", "identifiant"),
            channel=channels(grid.col(*NETWORK)),
            author=grid.col(*AUTHOR),
            author_followers=_first_count(grid, ctx, *FOLLOWERS),
            text=first_text(grid, *TEXT),
            reach=_first_count(grid, ctx, *REACH),
            engagement=_first_count(grid, ctx, *ENGAGEMENT),
            sentiment=_sentiment(grid, *SENTIMENT),
            brand=_brand(grid, "brand", "marque"),
            url=first_text(grid, "url", "lien"),
        )

    return parse


_NOT_GENERIC = ("mention_id", "published_at", "query name", "input name", "hit sentence", "page type")

FORMATS = [
    Format(
        "brandwatch_mentions",
        "Brandwatch · Bulk Mentions Download",
        "mentions",
        ("query name", "date", "url", "page type", "sentiment"),
        brandwatch,
    ),
    Format(
        "talkwalker_mentions",
        "Talkwalker · mentions",
        "mentions",
        ("url", "published", "sentiment", "source_type"),
        talkwalker,
    ),
    Format(
        "meltwater_mentions",
        "Meltwater Explore · mentions",
        "mentions",
        ("date", "headline", "url", "hit sentence", "influencer"),
        meltwater,
    ),
    *(
        Format(
            f"mentions_en_{network}",
            "mention export (generic, English headers)",
            "mentions",
            ("date", network, "author", "sentiment"),
            _generic(day_first=False),
            excludes=_NOT_GENERIC,
        )
        for network in ("source", "network")
    ),
    *(
        Format(
            f"mentions_fr_{network}_{tone}".replace("é", "e"),
            "export de mentions (générique, en-têtes français)",
            "mentions",
            ("date", network, "auteur", tone),
            _generic(day_first=True),
            excludes=_NOT_GENERIC,
        )
        for network, tone in itertools.product(("réseau", "source"), ("sentiment", "tonalité"))
    ),
]
