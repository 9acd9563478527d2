"""Big inputs: a client's observation KPIs from millions of posts and mentions, within memory.

The normal path reads every table into pandas (:func:`helpers.client.loading.load_client`), which is right
for a client's year of posts but not for a big brand's listening export (millions of mentions,
gigabytes of CSV). This path reads the workbook's own CSV templates (``tables/posts.csv``,
``mentions.csv``, ``followers.csv``: see :mod:`helpers.client.schemas`) with DuckDB, checks them with
the same rules as :func:`helpers.client.loading.read_table` (required values, choices, counts ≥ 0 and
whole, ISO timestamps, unique keys; a bad value names the file, row and column), stores them
typed in a DuckDB database (on disk, so memory stays under ``memory_limit``) and computes the
observation KPIs in SQL, with the brief's conventions, exactly as :mod:`helpers.kpis` defines
them: both read the registry's interaction columns and apply the engagement rate through
:class:`helpers.kpis.EngagementConvention` (a test compares both paths on a sample with zero reach,
missing counts and the like):

* per channel: posts, interactions, impressions, reach, engagement rate (reach, impressions or
  followers at posting time; ratio of sums or mean of rates), virality, posts per week,
  interactions per post, interactions per 1,000 followers;
* per month (in the client's time zone) and channel: posts, interactions, engagement rate;
* per brand: mentions, reach, share of voice (by count and by reach), net sentiment (neutral
  in the denominator or not), positive share, people talking;
* per month and brand: mentions; and the totals.

``workbook kpis CLIENT`` uses this path when ``posts.csv`` and ``mentions.csv`` together weigh
at least :data:`BIG_BYTES` (or with ``--big``), the pandas path otherwise; the notebooks keep
the pandas path (they need the rows: charts, top posts, bootstrap intervals). Files in
``exports/`` are not read here: turn them into templates first with ``workbook import``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.client.brief import Brief, KpiConventions, load_brief
from helpers.client.loading import FALSE_WORDS, TRUE_WORDS, DataError, cut_period, write_csv
from helpers.client.messages import listed
from helpers.client.schemas import TABLES, Column, TableSpec
from helpers.config import REPORTS_DIR, client_dir
from helpers.kpis._base import _num
from helpers.kpis.posts import FOLLOWERS_AT_POST, EngagementConvention
from helpers.kpis.registry import REGISTRY
from helpers.kpis.scope import APART_FORMATS

if TYPE_CHECKING:
    import argparse

    from duckdb import DuckDBPyConnection

#: ``posts.csv`` + ``mentions.csv`` at or above this size go through DuckDB in ``workbook kpis``.
BIG_BYTES = 200 * 1024**2
#: DuckDB's memory budget; past it, DuckDB spills to its temporary folder.
MEMORY_LIMIT = "2GB"
#: Tables this path reads, and the free-text columns it leaves out (no KPI reads them).
BIG_TABLES: dict[str, tuple[str, ...]] = {
    "posts": ("text", "permalink", "source"),
    "mentions": ("text", "url", "source"),
    "followers": ("source",),
}
_WS = " \t\n\r\f\v\u00a0"
_SQL_TYPES = {
    "str": "VARCHAR",
    "choice": "VARCHAR",
    "int": "DOUBLE",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "datetime": "TIMESTAMPTZ",
    "date": "DATE",
}
_EXPECTED = {
    "required": "a value (the column is required)",
    "number": "a number",
    "negative": "a number ≥ 0",
    "whole": "a whole count",
    "bool": "true or false",
    "datetime": "an ISO 8601 timestamp like 2026-03-05T17:12:00Z",
    "date": "a date like 2026-03-05",
}


@dataclass
class ObservationKpis:
    """The observation KPIs, as tables (the same from both paths)."""

    channels: pd.DataFrame
    monthly: pd.DataFrame
    brands: pd.DataFrame
    listening: pd.DataFrame
    totals: pd.DataFrame

    def write(self, folder: Path) -> list[Path]:
        """Write each table as ``kpis_<name>.csv`` in ``folder`` (brand names that a spreadsheet would
        run as a formula guarded, see :func:`helpers.client.loading.write_csv`)."""
        return [write_csv(getattr(self, f.name), folder / f"kpis_{f.name}.csv") for f in fields(self)]


# --------------------------------------------------------------------------- DuckDB
def connect(
    database: str | Path = ":memory:",
    memory_limit: str = MEMORY_LIMIT,
    threads: int | None = None,
    temp_directory: str | Path | None = None,
) -> DuckDBPyConnection:
    """A DuckDB connection set up for this path (UTC session, memory budget, spill folder)."""
    import duckdb

    con = duckdb.connect(str(database))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    if temp_directory:
        con.execute(f"SET temp_directory = {_literal(str(temp_directory))}")
    return con


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            return [h.strip() for h in next(csv.reader(handle))]
        except StopIteration:
            raise DataError(f"{path}: empty file (expected a header row)") from None


def _typed(col: Column) -> tuple[str, str | None]:
    """SQL for a column's typed value, and for the problem it has (NULL when none).

    ``t`` stands for the trimmed text of the cell, NULL when empty.
    """
    t = f"t_{col.name}"
    empty = f"{t} IS NULL"
    required = f"WHEN {empty} THEN 'required' " if col.required and col.kind not in ("int", "float") else ""
    if col.kind == "str":
        return f"coalesce({t}, '')", (f"CASE {required}END" if required else None)
    if col.kind == "choice":
        choices = ", ".join(_literal(c) for c in col.choices)
        value = f"lower({t})"
        return value, f"CASE {required}WHEN NOT {empty} AND {value} NOT IN ({choices}) THEN 'choice' END"
    if col.kind in ("int", "float"):
        value = f"TRY_CAST(replace(replace({t}, ' ', ''), '\u00a0', '') AS DOUBLE)"
        whole = f"WHEN {value} <> floor({value}) THEN 'whole' " if col.kind == "int" else ""
        number = f"WHEN NOT {empty} AND {value} IS NULL THEN 'number'"
        problem = f"CASE {number} WHEN {value} < 0 THEN 'negative' {whole}END"
        return value, problem
    if col.kind == "bool":
        words = ", ".join(_literal(w) for w in sorted(TRUE_WORDS))
        known = ", ".join(_literal(w) for w in sorted(TRUE_WORDS | FALSE_WORDS))
        value = f"CASE WHEN {empty} THEN NULL ELSE lower({t}) IN ({words}) END"
        return value, f"CASE WHEN NOT {empty} AND lower({t}) NOT IN ({known}) THEN 'bool' END"
    cast = (
        f"TRY_CAST({t} AS TIMESTAMPTZ)" if col.kind == "datetime" else f"TRY_STRPTIME({t}, '%Y-%m-%d')::DATE"
    )
    return cast, f"CASE {required}WHEN NOT {empty} AND {cast} IS NULL THEN '{col.kind}' END"


def _kept(spec: TableSpec) -> list[Column]:
    return [c for c in spec.columns if c.name not in BIG_TABLES.get(spec.name, ())]


def _source(path: Path | None, header: list[str]) -> str:
    if path is None:
        return "(SELECT " + ", ".join(f"NULL::VARCHAR AS {_ident(h)}" for h in header) + " WHERE false)"
    columns = "{" + ", ".join(f"{_literal(h)}: 'VARCHAR'" for h in header) + "}"
    return (
        f"read_csv({_literal(str(path))}, header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', escape = '\"', columns = {columns}, encoding = 'utf-8')"
    )


def import_table(con: DuckDBPyConnection, path: Path | None, spec: TableSpec | str) -> int:
    """Read one template CSV into a typed DuckDB table named after the spec; returns its rows.

    ``path`` None makes the empty table. Raises :class:`DataError` like ``read_table``.
    """
    spec = TABLES[spec] if isinstance(spec, str) else spec
    header = _header(path) if path is not None else [c.name for c in spec.columns]
    missing = [c.name for c in spec.columns if c.required and c.name not in header]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)} for the '{spec.name}' table "
            f"(expected columns: {', '.join(spec.column_names)})"
        )
    kept = _kept(spec)
    texts = [
        f"NULLIF(trim({_ident(c.name)}, {_literal(_WS)}), '') AS t_{c.name}"
        if c.name in header
        else f"NULL::VARCHAR AS t_{c.name}"
        for c in kept
    ]
    typed = [_typed(c) for c in kept]
    values = [
        f"{sql}::{_SQL_TYPES[c.kind]} AS {_ident(c.name)}" for c, (sql, _) in zip(kept, typed, strict=True)
    ]
    checks = [
        f"WHEN ({p}) IS NOT NULL THEN '{c.name}:' || ({p})"
        for c, (_, p) in zip(kept, typed, strict=True)
        if p
    ]
    problem = f"CASE {' '.join(checks)} END" if checks else "NULL"
    con.execute(
        f"CREATE OR REPLACE TABLE {spec.name} AS SELECT {', '.join(values)}, {problem}::VARCHAR AS _problem "
        f"FROM (SELECT {', '.join(texts)} FROM {_source(path, header)})"
    )
    _raise_problems(con, path, spec, header)
    con.execute(f"ALTER TABLE {spec.name} DROP COLUMN _problem")
    _check_key(con, path, spec)
    return int(con.execute(f"SELECT count(*) FROM {spec.name}").fetchone()[0])


def _raise_problems(con, path: Path | None, spec: TableSpec, header: list[str]) -> None:
    first = con.execute(
        f"SELECT _problem, count(*) FROM {spec.name} WHERE _problem IS NOT NULL GROUP BY _problem"
    ).fetchall()
    if not first:
        return
    order = {c.name: i for i, c in enumerate(spec.columns)}
    problem, count = min(first, key=lambda row: order.get(row[0].split(":")[0], 99))
    column, kind = problem.split(":")
    rows = [
        r[0]
        for r in con.execute(
            f"SELECT rowid FROM {spec.name} WHERE _problem = ? ORDER BY rowid LIMIT 5", [problem]
        ).fetchall()
    ]
    shown = listed([f"row {r + 2} ({_raw(con, path, header, column, r)!r})" for r in rows], count)
    expected = _EXPECTED.get(kind) or f"one of {', '.join(spec.columns[order[column]].choices)}"
    raise DataError(f"{path}: column '{column}': expected {expected}; got {shown}")


def _raw(con, path: Path | None, header: list[str], column: str, row: int) -> str:
    found = con.execute(
        f"SELECT {_ident(column)} FROM {_source(path, header)} LIMIT 1 OFFSET {int(row)}"
    ).fetchone()
    return "" if not found or found[0] is None else str(found[0]).strip()


def _check_key(con, path: Path | None, spec: TableSpec) -> None:
    if not spec.key:
        return
    keys = ", ".join(_ident(k) for k in spec.key)
    dup = con.execute(
        f"SELECT {keys} FROM {spec.name} GROUP BY {keys} HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if dup is None:
        return
    where = " AND ".join(f"{_ident(k)} IS NOT DISTINCT FROM ?" for k in spec.key)
    rows = con.execute(
        f"SELECT rowid FROM {spec.name} WHERE {where} ORDER BY rowid LIMIT 6", list(dup)
    ).fetchall()
    shown = ", ".join(str(r[0] + 2) for r in rows)
    raise DataError(f"{path}: duplicated key ({', '.join(spec.key)}) on rows {shown}")


def import_client(folder: str | Path, con: DuckDBPyConnection) -> dict[str, int]:
    """Import ``tables/posts.csv``, ``mentions.csv`` and ``followers.csv`` of a client folder
    (absent ones become empty tables); returns the rows of each."""
    tables = Path(folder) / "tables"
    rows = {}
    for name in BIG_TABLES:
        path = tables / TABLES[name].filename
        rows[name] = import_table(con, path if path.is_file() else None, name)
    return rows


# --------------------------------------------------------------------------- KPIs in SQL
def _period(start: dt.date, end: dt.date) -> tuple[str, str]:
    return start.isoformat(), (end + dt.timedelta(days=1)).isoformat()


_POSTS_CTE = """
WITH p AS (
    SELECT channel, coalesce(account, '') AS acct,
           timezone('UTC', published_at)::DATE AS day,
           date_trunc('month', timezone($tz, published_at))::TIMESTAMP AS month,
           {interactions} AS inter,
           impressions, reach, coalesce(shares, 0) AS shares0,
           {rated} AS rated
    FROM posts
    WHERE timezone('UTC', published_at) >= $start::TIMESTAMP
      AND timezone('UTC', published_at) < $stop::TIMESTAMP
),
f AS (
    SELECT channel, coalesce(account, '') AS acct, date AS day, followers AS {followers_at_post}
    FROM followers
    WHERE followers IS NOT NULL AND date >= $start::DATE AND date < $stop::DATE
),
pf AS (
    SELECT p.*, f.{followers_at_post}
    FROM p ASOF LEFT JOIN f ON p.channel = f.channel AND p.acct = f.acct AND p.day >= f.day
)
"""


def _posts_cte() -> str:
    """Posts of the period with their interactions (the registry's columns, a missing count as 0)
    and the followers of their profile at posting time (the engagement rate's followers denominator)."""
    apart = ", ".join(f"'{f}'" for f in APART_FORMATS)
    return _POSTS_CTE.format(
        interactions=" + ".join(f"coalesce({c}, 0)" for c in REGISTRY.interaction_columns),
        followers_at_post=FOLLOWERS_AT_POST,
        # the posts a rate counts, as helpers.kpis.scope.rated_posts selects them
        rated=f"(format NOT IN ({apart}) AND paid IS NOT TRUE)",
    )

_MENTIONS_CTE = """
WITH m AS (
    SELECT brand, sentiment, NULLIF(author, '') AS author, coalesce(reach, 0) AS reach0,
           date_trunc('month', timezone($tz, published_at))::TIMESTAMP AS month
    FROM mentions
    WHERE timezone('UTC', published_at) >= $start::TIMESTAMP
      AND timezone('UTC', published_at) < $stop::TIMESTAMP
)
"""


def _sentiment_sql(include_neutral: bool) -> str:
    neutral = " + count(*) FILTER (WHERE sentiment = 'neutral')" if include_neutral else ""
    return (
        "(count(*) FILTER (WHERE sentiment = 'positive') - count(*) FILTER (WHERE sentiment = 'negative'))"
        " / NULLIF(count(*) FILTER (WHERE sentiment = 'positive') + count(*) FILTER "
        f"(WHERE sentiment = 'negative'){neutral}, 0)::DOUBLE"
    )


def observation_kpis_sql(
    con: DuckDBPyConnection, conventions: KpiConventions, start: dt.date, end: dt.date, tz: str
) -> ObservationKpis:
    """The observation KPIs from the DuckDB tables made by :func:`import_client`.

    Rows are cut to the period the way the notebooks cut them (UTC days ``start`` to ``end``).
    """
    first, stop = _period(start, end)
    weeks = ((end - start).days + 1) / 7
    params = {"tz": tz, "start": first, "stop": stop}
    rate = EngagementConvention.of(conventions).sql(interactions="inter", where="rated")
    per_1000 = f"{FOLLOWERS_AT_POST} IS NOT NULL AND rated"
    channels = _query(
        con,
        _posts_cte()
        + f"""SELECT channel, count(*) AS posts, sum(inter)::DOUBLE AS interactions,
              coalesce(sum(impressions), 0)::DOUBLE AS impressions, coalesce(sum(reach), 0)::DOUBLE AS reach,
              {rate} AS engagement_rate,
              sum(shares0) / NULLIF(coalesce(sum(impressions), 0), 0) AS virality,
              count(*) / {weeks!r} AS posts_per_week,
              sum(inter) / count(*) AS interactions_per_post,
              sum(inter * 1000) FILTER (WHERE {per_1000})
                  / NULLIF(sum({FOLLOWERS_AT_POST}) FILTER (WHERE {per_1000}), 0) AS interactions_per_1000
            FROM pf GROUP BY channel ORDER BY channel""",
        params,
    )
    monthly = _query(
        con,
        _posts_cte()
        + f"""SELECT month, channel, count(*) AS posts, sum(inter)::DOUBLE AS interactions,
              {rate} AS engagement_rate
            FROM pf GROUP BY month, channel ORDER BY month, channel""",
        params,
    )
    sentiment = _sentiment_sql(conventions.net_sentiment_neutral)
    brands = _query(
        con,
        _MENTIONS_CTE
        + f"""SELECT brand, count(*) AS mentions, sum(reach0)::DOUBLE AS reach,
              count(*) / NULLIF(sum(count(*)) OVER (), 0)::DOUBLE AS share_of_voice,
              sum(reach0) / NULLIF(sum(sum(reach0)) OVER (), 0)::DOUBLE AS share_of_voice_reach,
              {sentiment} AS net_sentiment,
              count(*) FILTER (WHERE sentiment = 'positive') / count(*)::DOUBLE AS positive_share,
              count(DISTINCT author) AS people_talking
            FROM m GROUP BY brand ORDER BY brand""",
        params,
    )
    listening = _query(
        con,
        _MENTIONS_CTE
        + "SELECT month, brand, count(*) AS mentions FROM m GROUP BY month, brand ORDER BY month, brand",
        params,
    )
    posts_total = _query(
        con,
        _posts_cte()
        + "SELECT count(*) AS posts, coalesce(sum(inter), 0)::DOUBLE AS interactions, "
        + f"{rate} AS engagement_rate FROM pf",
        params,
    )
    mentions_total = _query(
        con,
        _MENTIONS_CTE
        + "SELECT count(*) AS mentions, count(DISTINCT author) AS people_talking, "
        + f"{sentiment} AS net_sentiment FROM m",
        params,
    )
    totals = pd.concat([posts_total, mentions_total], axis=1)
    return _tidy(ObservationKpis(channels, monthly, brands, listening, totals))


def _query(con, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return con.execute(sql, used).df()


# --------------------------------------------------------------------------- the same in pandas
def observation_kpis_pandas(
    tables: dict[str, pd.DataFrame], conventions: KpiConventions, start: dt.date, end: dt.date, tz: str
) -> ObservationKpis:
    """The same KPIs with :mod:`helpers.kpis` on pandas tables (the notebooks' path)."""
    from helpers import kpis
    from helpers.method.observation import month_key

    posts = cut_period(tables["posts"], "published_at", start, end)
    mentions = cut_period(tables["mentions"], "published_at", start, end)
    followers = cut_period(tables["followers"], "date", start, end)
    rule = EngagementConvention.of(conventions)
    inter = kpis.interactions(posts)
    rated = kpis.rated_posts(posts)  # the posts a rate counts: feed, organic where flagged
    if posts.empty:
        channels = pd.DataFrame(columns=_CHANNEL_COLUMNS)
        monthly = pd.DataFrame(columns=["month", "channel", "posts", "interactions", "engagement_rate"])
    else:
        by_channel = posts.groupby("channel")
        channels = pd.DataFrame(
            {
                "posts": by_channel.size(),
                "interactions": inter.groupby(posts["channel"]).sum(),
                "impressions": _num(posts, "impressions").groupby(posts["channel"].to_numpy()).sum(),
                "reach": _num(posts, "reach").groupby(posts["channel"].to_numpy()).sum(),
                "engagement_rate": rule.rate(rated, followers, by="channel"),
                "virality": kpis.virality(posts, by="channel"),
                "posts_per_week": kpis.posts_per_week(posts, start, end, by="channel"),
                "interactions_per_1000": kpis.interactions_per_1000(rated, followers, by="channel"),
            }
        )
        channels["interactions_per_post"] = channels["interactions"] / channels["posts"]
        channels = channels.rename_axis("channel").reset_index()[_CHANNEL_COLUMNS]
        keyed = posts.assign(month=month_key(posts["published_at"].dt.tz_convert(tz)), interactions=inter)
        monthly = keyed.groupby(["month", "channel"]).agg(
            posts=("interactions", "size"), interactions=("interactions", "sum")
        )
        monthly["engagement_rate"] = rule.rate(kpis.rated_posts(keyed), followers, by=["month", "channel"])
        monthly = monthly.reset_index()
    neutral = conventions.net_sentiment_neutral
    if mentions.empty:
        brands = pd.DataFrame(columns=_BRAND_COLUMNS)
        listening = pd.DataFrame(columns=["month", "brand", "mentions"])
    else:
        by_brand = mentions.groupby("brand")
        brands = pd.DataFrame(
            {
                "mentions": by_brand.size(),
                "reach": _num(mentions, "reach").groupby(mentions["brand"].to_numpy()).sum(),
                "share_of_voice": kpis.share_of_voice(mentions),
                "share_of_voice_reach": kpis.share_of_voice(mentions, weight="reach"),
                "net_sentiment": kpis.net_sentiment(mentions, include_neutral=neutral, by="brand"),
                "positive_share": kpis.positive_share(mentions, by="brand"),
                "people_talking": kpis.people_talking(mentions, by="brand"),
            }
        )
        brands = brands.rename_axis("brand").reset_index()[_BRAND_COLUMNS]
        keyed = mentions.assign(month=month_key(mentions["published_at"].dt.tz_convert(tz)))
        listening = keyed.groupby(["month", "brand"]).size().rename("mentions").reset_index()
    totals = pd.DataFrame(
        {
            "posts": [len(posts)],
            "interactions": [float(inter.sum())],
            "engagement_rate": [rule.rate(rated, followers) if len(rated) else float("nan")],
            "mentions": [len(mentions)],
            "people_talking": [kpis.people_talking(mentions, by=None) if len(mentions) else 0],
            "net_sentiment": [
                kpis.net_sentiment(mentions, include_neutral=neutral) if len(mentions) else float("nan")
            ],
        }
    )
    return _tidy(ObservationKpis(channels, monthly, brands, listening, totals))


_CHANNEL_COLUMNS = [
    "channel", "posts", "interactions", "impressions", "reach", "engagement_rate", "virality",
    "posts_per_week", "interactions_per_post", "interactions_per_1000",
]  # fmt: skip
_BRAND_COLUMNS = [
    "brand", "mentions", "reach", "share_of_voice", "share_of_voice_reach", "net_sentiment",
    "positive_share", "people_talking",
]  # fmt: skip
_COUNTS = {"posts", "mentions", "people_talking"}


def _tidy(result: ObservationKpis) -> ObservationKpis:
    """Same column types from both paths: counts int64, figures float64, months datetime64[ns]."""
    for f in fields(result):
        frame = getattr(result, f.name).reset_index(drop=True)
        for column in frame.columns:
            if column in ("channel", "brand"):
                frame[column] = frame[column].astype(str)
            elif column == "month":
                frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
            elif column in _COUNTS:
                frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
            else:
                frame[column] = pd.to_numeric(frame[column]).astype("float64")
        setattr(result, f.name, frame)
    return result


# --------------------------------------------------------------------------- a client
def table_bytes(folder: str | Path) -> int:
    """Bytes of a client's ``tables/posts.csv`` and ``tables/mentions.csv``."""
    tables = Path(folder) / "tables"
    return sum((tables / n).stat().st_size for n in ("posts.csv", "mentions.csv") if (tables / n).is_file())


def is_big(folder: str | Path) -> bool:
    """Whether ``workbook kpis`` takes the DuckDB path by default for this client."""
    return table_bytes(folder) >= BIG_BYTES


def client_kpis_big(
    folder: str | Path,
    brief: Brief | None = None,
    database: str | Path | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> ObservationKpis:
    """Import a client's template tables into DuckDB and compute its observation KPIs.

    Args:
        folder: the client folder.
        brief: its brief (read from ``brief.yaml`` when None).
        database: a DuckDB file to keep the typed tables in; None: a temporary one.
        memory_limit: DuckDB's memory budget (it spills to disk past it).
    """
    folder = Path(folder)
    brief = brief or load_brief(folder / "brief.yaml")
    scratch = tempfile.mkdtemp(prefix="workbook-duckdb-")
    try:
        path = Path(database) if database else Path(scratch) / "tables.duckdb"
        con = connect(path, memory_limit, temp_directory=Path(scratch) / "spill")
        try:
            import_client(folder, con)
            return observation_kpis_sql(
                con, brief.kpi, brief.period.start, brief.period.end, brief.client.timezone
            )
        finally:
            con.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def client_kpis_pandas(client: str, clients_dir: str | Path | None = None) -> ObservationKpis:
    """The same KPIs through :func:`helpers.client.loading.load_client` (exports and templates) and pandas."""
    from helpers.client.loading import load_client

    data = load_client(client, clients_dir)
    brief = data.brief
    return observation_kpis_pandas(
        data.tables, brief.kpi, brief.period.start, brief.period.end, brief.client.timezone
    )


# --------------------------------------------------------------------------- command line
def add_cli(sub: argparse._SubParsersAction) -> None:
    """Add ``workbook kpis`` to the ``workbook`` command's subparsers."""
    cmd = sub.add_parser(
        "kpis",
        help="compute a client's observation KPIs (DuckDB for big tables) into CSV files",
        description="Observation KPIs of a client (per channel, month, brand) without running the "
        f"notebooks. Tables of {BIG_BYTES // 1024**2} MB or more (posts.csv + mentions.csv) are read "
        "with DuckDB within a memory budget; smaller ones with pandas, like the notebooks.",
    )
    cmd.add_argument("client", help="client folder name under data/clients/")
    way = cmd.add_mutually_exclusive_group()
    way.add_argument(
        "--big", dest="big", action="store_true", default=None, help="use DuckDB whatever the size"
    )
    way.add_argument("--no-big", dest="big", action="store_false", help="use pandas whatever the size")
    cmd.add_argument("--out", help="folder for kpis_*.csv (default: reports/CLIENT/kpis-YYYYMMDD-HHMMSS)")
    cmd.add_argument(
        "--memory-limit", default=MEMORY_LIMIT, help=f"DuckDB's memory budget (default {MEMORY_LIMIT})"
    )
    cmd.add_argument("--clients-dir", help="folder holding client folders (default: data/clients)")
    cmd.add_argument("--reports-dir", help="folder for run folders (default: reports)")
    cmd.set_defaults(func=cli_kpis)


def cli_kpis(args: argparse.Namespace) -> int:
    """``workbook kpis``: 0 on success, 2 when the client's data are invalid."""
    import sys

    from helpers.client.brief import BriefError

    folder = client_dir(args.client, args.clients_dir)
    big = is_big(folder) if args.big is None else args.big
    try:
        if big:
            exports = folder / "exports"
            if exports.is_dir() and any(p.is_file() for p in exports.iterdir()):
                print(
                    f"note: the big path reads {folder / 'tables'} only; files in {exports} are left "
                    "out (turn them into templates with `workbook import`)",
                    file=sys.stderr,
                )
            result = client_kpis_big(folder, memory_limit=args.memory_limit)
        else:
            result = client_kpis_pandas(args.client, args.clients_dir)
    except (DataError, BriefError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = _write_atomically(result, args)
    with pd.option_context("display.width", 140, "display.max_columns", 20):
        print(result.channels.to_string(index=False))
        print(result.brands.to_string(index=False))
    written = ", ".join(p.name for p in sorted(out.iterdir()))
    print(f"{'DuckDB' if big else 'pandas'} path; wrote {written} to {out}")
    return 0


def _write_atomically(result: ObservationKpis, args) -> Path:
    if args.out:
        out = Path(args.out)
    else:
        reports = Path(args.reports_dir) if args.reports_dir else REPORTS_DIR
        out = reports / args.client / f"kpis-{dt.datetime.now(dt.UTC).strftime('%Y%m%d-%H%M%S')}"
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kpis-", dir=out.parent))
    try:
        result.write(staging)
        out.mkdir(exist_ok=True)
        for path in staging.iterdir():
            path.replace(out / path.name)
    finally:  # a failure (a full disk) leaves no staging folder behind
        shutil.rmtree(staging, ignore_errors=True)
    return out
