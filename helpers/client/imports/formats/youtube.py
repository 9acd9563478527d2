"""YouTube Studio exports (Advanced mode → Export → CSV), ``Table data.csv`` by content.

Layout from the exports themselves: a zip holding three files, each recognised for its role
(the zip is read by the core):

* ``Table data.csv``: one row per video (``Content``, ``Video title``, ``Video publish time``,
  then the metric columns the user displayed) → posts;
* ``Chart data.csv``: one row per video **per day** (``Date`` before the same columns). It is
  recognised by its ``Date`` column and never read as posts (its rows would repeat every video
  once a day, without the Table's metrics); the workbook keeps no per-video daily table, so it
  is listed as recognised, not used;
* ``Totals.csv``: one row per day (``Date`` and the displayed metrics) for the whole channel.
  Its sums are checked against the Table's ``Total`` row (same download): a difference is flagged.

* Row 2 is ``Total``: it is dropped, and the videos' views are checked against it (flagged when
  they differ: the table exports only the rows loaded on screen, about 500, and the total also
  counts videos it does not list).
* Ids starting with ``-`` get a leading space (`` -GhQQTIylYY``): stripped.
* ``Video publish time`` is written ``Dec 15, 2023`` (a day: midnight in the client's zone) or
  ``2026-07-20 13:18:00`` (read in the client's zone), and is blank for some unlisted, premiered
  or removed videos: those rows are left out, flagged.

Posts: post_id = ``Content``, text = ``Video title``, impressions = ``Impressions`` (thumbnail
impressions), video_views = ``Views``, reach = ``Unique viewers``, reactions = ``Likes``,
comments = ``Comments added``, shares = ``Shares``, each when displayed (empty otherwise). Every
row is a ``video`` (Shorts are not told apart). The export does not name the channel: the
account is :data:`NO_ACCOUNT`.
"""

from __future__ import annotations

import pandas as pd

from helpers.client.imports.core import Context, Format, Grid
from helpers.client.imports.formats.common import count_column, number_column
from helpers.client.imports.values import timestamps

NO_ACCOUNT = ""  # the export does not name the channel: the brief's account fills it in


#: Metrics a Total row and a Totals file can both state (normalised header names).
METRICS = ("views", "watch time (hours)", "impressions", "likes", "shares", "comments added", "subscribers")


def _check_total(grid: Grid, ctx: Context, total: pd.Series) -> None:
    """Flag the ``Total`` row when the videos' views do not add up to it; note what it states, for
    the download's ``Totals.csv`` to be checked against."""
    if not total.any():
        return
    stated = {m: number_column(grid, m)[total].iloc[0] for m in METRICS if m in grid.frame.columns}
    ctx.state_total(grid, "stated", stated, "posts")
    if "views" not in grid.frame.columns:
        return
    views = number_column(grid, "views")
    said, summed = views[total].iloc[0], views[~total].sum()
    if pd.notna(said) and abs(said - summed) > 0.5:
        why = (
            f"the Total row says {said:.0f} views, the videos listed add up to {summed:.0f} "
            "(YouTube exports only the rows loaded on screen)"
        )
        ctx.flag(grid, views.index[total][:1], "views", why, views, "posts")


def table_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Table data.csv`` with the Content dimension: one row per video."""
    content = grid.col("content").str.strip()
    total = content.str.lower().eq("total") & grid.col("video title").eq("")
    _check_total(grid, ctx, total)
    grid = Grid(grid.sheet, grid.header_row, grid.columns, grid.frame.loc[~total], grid.preamble)
    content = content[~total]
    published = timestamps(grid, "video publish time", ctx.tz, ctx=ctx, table="posts")
    undated = published.isna()
    if undated.any():
        why = "no publish time (unlisted, premiere or removed video): left out"
        ctx.flag(grid, grid.frame.index[undated], "video publish time", why, content, "posts")
    frame = pd.DataFrame(
        {
            "post_id": content,
            "channel": "youtube",
            "account": NO_ACCOUNT,
            "published_at": published,
            "format": "video",
            "text": grid.col("video title"),
            "permalink": "https://www.youtube.com/watch?v=" + content,
            "impressions": count_column(grid, ctx, "posts", "impressions"),
            "reach": count_column(grid, ctx, "posts", "unique viewers"),
            "reactions": count_column(grid, ctx, "posts", "likes"),
            "comments": count_column(grid, ctx, "posts", "comments added", "comments"),
            "shares": count_column(grid, ctx, "posts", "shares"),
            "video_views": count_column(grid, ctx, "posts", "views"),
        }
    )
    return frame.loc[~undated]


def chart_rows(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Chart data.csv`` (per video per day): recognised, read for nothing."""
    return pd.DataFrame()


def totals(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Totals.csv`` (per day, whole channel): its sums, to check the Table's ``Total`` row."""
    summed = {m: number_column(grid, m).sum(min_count=1) for m in METRICS if m in grid.frame.columns}
    ctx.state_total(grid, "summed", summed, "posts")
    return pd.DataFrame()


FORMATS = [
    Format(
        "youtube_table_content",
        "YouTube Studio · Table data (by content)",
        "posts",
        ("content", "video title", "video publish time"),
        table_posts,
        excludes=("date",),
        channel="youtube",
    ),
    Format(
        "youtube_chart_content",
        "YouTube Studio · Chart data (by content, per day)",
        "",
        ("date", "content", "video title"),
        chart_rows,
        channel="youtube",
        unused="views per video and day; the workbook keeps one row per video (Table data)",
    ),
    Format(
        "youtube_totals",
        "YouTube Studio · Totals (per day)",
        "",
        ("date", "views"),
        totals,
        excludes=("content", "video title"),
        channel="youtube",
        unused="channel totals per day; used to check the Table's Total row",
    ),
]
