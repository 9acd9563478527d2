"""Synthetic client tables of any size for ``make bench``: posts, mentions and followers.

Written by DuckDB straight to CSV in the workbook's template format (see
:mod:`helpers.client.schemas`), so a million posts take seconds and no memory to speak of.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers.kpis.big import _literal, connect

#: Profiles of the synthetic brand (the demo client's, so its brief fits).
SYNTHETIC_PROFILES = (
    ("facebook", "atelierseve"),
    ("instagram", "atelier.seve"),
    ("linkedin", "atelier-seve"),
    ("x", "atelierseve"),
)


def write_synthetic_tables(
    folder: str | Path,
    posts: int,
    mentions: int,
    *,
    seed: int = 20261123,
    brands: tuple[str, ...] = ("Atelier Sève", "Maison Argile", "Bulles d'Ici", "Herbier Moderne"),
    start: dt.date = dt.date(2025, 11, 1),
    end: dt.date = dt.date(2026, 10, 31),
) -> dict[str, Path]:
    """Write ``posts.csv``, ``mentions.csv`` and ``followers.csv`` templates of any size, fast.

    Values come from DuckDB's ``hash`` of (row, seed, field): the same seed gives the same files
    (with the same DuckDB). They carry what real exports carry and the KPIs must survive: zero
    and missing reach, missing saves and impressions, timestamps a few days outside the period,
    capitalised choices, authors with spaces around or none, mentions without a brand.

    Returns:
        The path of each file written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    con = connect(":memory:", "1GB")
    try:
        con.execute(f"CREATE MACRO h(i, k) AS (hash(i, {int(seed)}, k) % 1000000007)::BIGINT")
        first = dt.datetime.combine(start - dt.timedelta(days=10), dt.time())
        seconds = ((end - start).days + 21) * 86400
        profiles = list(SYNTHETIC_PROFILES)
        paths = {
            "posts": folder / "posts.csv",
            "mentions": folder / "mentions.csv",
            "followers": folder / "followers.csv",
        }
        con.execute(_synthetic_posts(posts, profiles, first, seconds, paths["posts"]))
        con.execute(_synthetic_mentions(mentions, brands, first, seconds, paths["mentions"]))
        con.execute(_synthetic_followers(profiles, start, end, paths["followers"]))
    finally:
        con.close()
    return paths


def _pick(values, i: str, k: int) -> str:
    items = ", ".join(_literal(v) for v in values)
    return f"[{items}][1 + h({i}, {k}) % {len(values)}]"


def _stamp(first: dt.datetime, seconds: int, k: int) -> str:
    return (
        f"strftime(TIMESTAMP '{first:%Y-%m-%d %H:%M:%S}' + to_seconds((h(i, {k}) % {seconds})::BIGINT), "
        "'%Y-%m-%dT%H:%M:%SZ')"
    )


def _synthetic_posts(n: int, profiles, first: dt.datetime, seconds: int, path: Path) -> str:
    channel = f"(h(i, 1) % {len(profiles)})::INTEGER"
    channels = ", ".join(_literal(c) for c, _ in profiles)
    accounts = ", ".join(_literal(a) for _, a in profiles)
    return f"""
    COPY (
      SELECT post_id, CASE WHEN h(i, 20) % 97 = 0 THEN upper(channel) ELSE channel END AS channel, account,
             published_at, format, text, NULL AS permalink, impressions,
             CASE WHEN h(i, 5) % 50 = 0 THEN NULL WHEN h(i, 5) % 50 = 1 THEN 0
                  ELSE least(coalesce(impressions, 1000000), 50 + h(i, 6) % 12000) END AS reach,
             h(i, 7) % 400 AS reactions, h(i, 8) % 50 AS comments, h(i, 9) % 30 AS shares,
             CASE WHEN channel IN ('linkedin', 'x') OR h(i, 10) % 10 = 0 THEN NULL
                  ELSE h(i, 11) % 40 END AS saves,
             CASE WHEN h(i, 12) % 3 = 0 THEN NULL ELSE h(i, 12) % 300 END AS clicks,
             CASE WHEN format IN ('video', 'reel') THEN h(i, 13) % 20000 END AS video_views,
             ['true', 'false', NULL][1 + h(i, 14) % 3] AS paid, NULL AS source
      FROM (
        SELECT i, 'p' || i AS post_id, [{channels}][1 + {channel}] AS channel,
               CASE WHEN h(i, 15) % 41 = 0 THEN NULL ELSE [{accounts}][1 + {channel}] END AS account,
               {_stamp(first, seconds, 2)} AS published_at,
               {_pick(("photo", "video", "reel", "carousel", "text", "link"), "i", 3)} AS format,
               CASE WHEN h(i, 4) % 20 = 0 THEN NULL
                    ELSE 'Post ' || i || ', "quoted", with a comma' END AS text,
               CASE WHEN h(i, 16) % 60 = 0 THEN NULL ELSE 200 + h(i, 17) % 20000 END AS impressions
        FROM range({int(n)}) t(i)
      )
    ) TO {_literal(str(path))} (HEADER, DELIMITER ',')
    """


def _synthetic_mentions(n: int, brands, first: dt.datetime, seconds: int, path: Path) -> str:
    authors = max(50, n // 10)
    sources = ("facebook", "instagram", "x", "tiktok", "youtube", "news", "blog", "forum")
    weighted = (*brands, brands[0], brands[1], "")  # the client and the leader more talked about
    return f"""
    COPY (
      SELECT 'm' || i AS mention_id, {_stamp(first, seconds, 21)} AS published_at,
             {_pick(sources, "i", 22)} AS channel,
             CASE WHEN h(i, 23) % 25 = 0 THEN NULL
                  WHEN h(i, 23) % 25 = 1 THEN '  user' || (h(i, 24) % {authors}) || ' '
                  ELSE 'user' || (h(i, 24) % {authors}) END AS author,
             CASE WHEN h(i, 25) % 8 = 0 THEN NULL ELSE h(i, 26) % 250000 END AS author_followers,
             CASE WHEN h(i, 27) % 10 = 0 THEN NULL ELSE 'Mention ' || i || ' of the brand' END AS text,
             NULL AS url,
             CASE WHEN h(i, 28) % 40 = 0 THEN NULL WHEN h(i, 28) % 40 = 1 THEN 0
                  ELSE h(i, 29) % 90000 END AS reach,
             CASE WHEN h(i, 30) % 5 = 0 THEN NULL ELSE h(i, 31) % 500 END AS engagement,
             {_pick(("positive", "neutral", "neutral", "negative", "Positive"), "i", 32)} AS sentiment,
             CASE WHEN h(i, 33) % 3 = 0 THEN NULL
                  ELSE {_pick(("joy", "trust", "anger", "sadness"), "i", 34)} END AS emotion,
             {_pick(weighted, "i", 35)} AS brand, NULL AS source
      FROM range({int(n)}) t(i)
    ) TO {_literal(str(path))} (HEADER, DELIMITER ',')
    """


def _synthetic_followers(profiles, start: dt.date, end: dt.date, path: Path) -> str:
    rows = ", ".join(f"({_literal(c)}, {_literal(a)}, {k})" for k, (c, a) in enumerate(profiles))
    return f"""
    COPY (
      SELECT strftime(d, '%Y-%m-%d') AS date, channel, account,
             CASE WHEN h(k * 1000 + datediff('day', DATE '{start}', d::DATE), 40) % 30 = 0 THEN NULL
                  ELSE 2000 + k * 3000 + datediff('day', DATE '{start}', d::DATE) * (3 + k) END AS followers,
             NULL AS gained, NULL AS lost, NULL AS source
      FROM (VALUES {rows}) p(channel, account, k),
           range(DATE '{start}', DATE '{end}' + INTERVAL 1 DAY, INTERVAL 1 DAY) r(d)
      ORDER BY channel, date
    ) TO {_literal(str(path))} (HEADER, DELIMITER ',')
    """
