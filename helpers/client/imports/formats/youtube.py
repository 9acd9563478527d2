"""YouTube Studio exports (Advanced mode → Export → CSV), ``Table data.csv`` by content.

Layout from the exports themselves: a zip holding
``Table data.csv`` (one row per video, the columns the user displayed), ``Chart data.csv`` and
``Totals.csv`` (per day, no canonical table: left unrecognised); the zip is read by the core.

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


def _check_total(grid: Grid, ctx: Context, total: pd.Series) -> None:
    """Flag the ``Total`` row when the videos' views do not add up to it."""
    if not total.any() or "views" not in grid.frame.columns:
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


FORMATS = [
    Format(
        "youtube_table_content",
        "YouTube Studio · Table data (by content)",
        "posts",
        ("content", "video title", "video publish time"),
        table_posts,
        channel="youtube",
    ),
]
