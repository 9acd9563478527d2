"""Facebook Page Insights, legacy post-level export ("Export data", before Meta Business Suite).

Layout from the exports themselves: ``Facebook Insights Data
Export (Post Level) - <Page> - <YYYY-MM-DD>`` as .xlsx or .xls (first sheet ``Key Metrics``, then
one sheet per breakdown, names cut at 31 characters) or .csv.

* Row 1 holds the titles, row 2 the metric descriptions (``Lifetime: … (Unique Users)``, empty
  under the post attributes): that row is recognised by its content and dropped. It is also what
  tells apart repeated titles (``Lifetime Organic Video Views`` is there twice, once as a total
  count and once as unique users; the core names the second one ``…#2``): totals are taken.
* ``Posted`` is ``10/1/2015 21:00``, month first, in the page's zone (read in the client's).

Posts: impressions = ``Lifetime Post Total Impressions``, reach = ``Lifetime Post Total Reach``,
clicks = ``Lifetime Post Consumptions`` (renamed ``Lifetime Matched Audience Targeting
Consumptions on Post`` in 2017; link clicks when only those are given), video_views = organic +
paid ``Video Views`` (3-second views, total counts), paid = paid impressions above 0, format from
``Type`` (Photo, Link, Video, Status). Reactions, comments and shares are the ``like``,
``comment`` and ``share`` counts of ``Lifetime Post Stories by action type`` (total counts), or,
when the export lacks them, of ``Lifetime Talking About This (Post) by action type`` (people,
so a person commenting twice counts once). A CSV carries them as columns ``… - like``; a workbook
carries them on the breakdown sheets ``Lifetime Post Stories by act...`` and ``Lifetime Talking
About This(...`` (columns ``like``, ``comment``, ``share``), matched to the posts by ``Post ID``.
Those breakdown sheets are otherwise not read on their own.

The account is the page name in the file name, else the page in the permalinks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.client.imports.core import (
    HEADER_SCAN_ROWS,
    Context,
    ExportError,
    Format,
    Grid,
    make_grid,
    normalise,
    read_sheets,
)
from helpers.client.imports.formats.common import formats_of
from helpers.client.imports.values import counts, numbers, timestamps

ATTRIBUTES = (
    "post id",
    "permalink",
    "post message",
    "type",
    "countries",
    "languages",
    "posted",
    "audience targeting",
)
ACTIONS = ("like", "comment", "share")
#: Sources of the like/comment/share counts, best first: column prefix, breakdown sheet prefix.
BREAKDOWNS = (
    ("lifetime post stories by action type", "lifetime post stories by act"),
    ("lifetime talking about this (post) by action type", "lifetime talking about this"),
)
EXPORT_NAME = re.compile(r"Facebook Insights Data Export \(Post Level\) - (.+?) - \d{4}-\d{2}-\d{2}", re.I)


def _descriptions(grid: Grid) -> tuple[Grid, dict[str, str]]:
    """The grid without its row of metric descriptions, and the descriptions by column."""
    frame = grid.frame
    if frame.empty:
        return grid, {}
    first = frame.iloc[0]
    attributes = [c for c in frame.columns if c.split("#")[0] in ATTRIBUTES]
    described = [first[c] for c in frame.columns if c not in attributes and first[c]]
    looks_described = described and all(
        len(v) >= 20 and not re.fullmatch(r"[\d.,\s-]+", v) for v in described
    )
    if not looks_described or any(first[c] for c in attributes):
        return grid, {}
    rest = Grid(grid.sheet, grid.header_row, grid.columns, frame.iloc[1:], grid.preamble)
    return rest, {c: first[c].lower() for c in frame.columns}


def _column(grid: Grid, descriptions: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` present; among repeats (``name#2``), the one described as a total."""
    for name in names:
        found = [c for c in grid.frame.columns if c == name or c.startswith(f"{name}#")]
        totals = [c for c in found if "(total count)" in descriptions.get(c, "")]
        if found:
            return (totals or found)[0]
    return None


def _counts(grid: Grid, ctx: Context, descriptions: dict[str, str], *names: str) -> pd.Series:
    column = _column(grid, descriptions, *names)
    if column is None:
        return pd.Series(float("nan"), index=grid.frame.index)
    return counts(grid, column, ctx, "posts")


def _sibling_sheets(grid: Grid) -> list:
    """The other sheets of the workbook the grid comes from (none for a CSV)."""
    if grid.sheet.name is None:
        return []
    workbook = grid.source[: -len(grid.sheet.name) - 1]
    try:
        sheets = read_sheets(grid.sheet.path)
    except ExportError:
        return []
    return [s for s in sheets if s.name is not None and s.source == f"{workbook}:{s.name}"]


def _from_sheet(sheet, grid: Grid, ctx: Context) -> dict[str, pd.Series]:
    """like/comment/share of a breakdown sheet, aligned on the posts of ``grid`` by Post ID."""
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        names = {normalise(c) for c in row}
        if "post id" in names and names & set(ACTIONS):
            breakdown = make_grid(sheet, r)
            break
    else:
        return {}
    ids = breakdown.frame["post id"]
    keep = (ids != "") & ~ids.duplicated()
    breakdown = Grid(sheet, breakdown.header_row, breakdown.columns, breakdown.frame.loc[keep], [])
    out = {}
    for action in ACTIONS:
        if action in breakdown.frame.columns:
            values = counts(breakdown, action, ctx, "posts")
            by_id = pd.Series(values.to_numpy(), index=breakdown.frame["post id"].to_numpy())
            out[action] = pd.Series(grid.col("post id").map(by_id), index=grid.frame.index, dtype=float)
    return out


def _actions(grid: Grid, ctx: Context) -> dict[str, pd.Series]:
    """like/comment/share counts per post, from columns of the grid or from breakdown sheets."""
    for prefix, _ in BREAKDOWNS:
        found = [a for a in ACTIONS if f"{prefix} - {a}" in grid.frame.columns]
        if found:
            return {a: counts(grid, f"{prefix} - {a}", ctx, "posts") for a in found}
    siblings = _sibling_sheets(grid)
    for _, sheet_prefix in BREAKDOWNS:
        for sheet in siblings:
            if normalise(sheet.name).startswith(sheet_prefix):
                found = _from_sheet(sheet, grid, ctx)
                if found:
                    return found
    return {}


def _account(grid: Grid) -> str | pd.Series:
    name = grid.source.split("!")[-1]
    if grid.sheet.name is not None:
        name = name[: -len(grid.sheet.name) - 1]
    match = EXPORT_NAME.search(Path(name).stem)
    if match:
        return match.group(1).strip()
    slug = grid.col("permalink").str.extract(r"facebook\.com/([^/?#]+)/", expand=False)
    return slug.fillna(grid.col("post id").str.split("_").str[0])


def key_metrics_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Key Metrics`` (or the CSV): one row per post."""
    grid, described = _descriptions(grid)
    actions = _actions(grid, ctx)
    nothing = pd.Series(float("nan"), index=grid.frame.index)
    organic = _counts(grid, ctx, described, "lifetime organic video views")
    paid_views = _counts(grid, ctx, described, "lifetime paid video views")
    frame = pd.DataFrame(
        {
            "post_id": grid.col("post id"),
            "channel": "facebook",
            "account": _account(grid),
            "published_at": timestamps(grid, "posted", ctx.tz, month_first=True, ctx=ctx, table="posts"),
            "format": formats_of(grid.col("type", required=False)),
            "text": grid.col("post message", required=False),
            "permalink": grid.col("permalink"),
            "impressions": _counts(grid, ctx, described, "lifetime post total impressions"),
            "reach": _counts(grid, ctx, described, "lifetime post total reach"),
            "reactions": actions.get("like", nothing),
            "comments": actions.get("comment", nothing),
            "shares": actions.get("share", nothing),
            "clicks": _counts(
                grid,
                ctx,
                described,
                "lifetime post consumptions",
                "lifetime matched audience targeting consumptions on post",
                "lifetime post consumptions by type - link clicks",
                "lifetime matched audience targeting consumptions by type - link clicks",
                "lifetime post audience targeting unique consumptions by type - link clicks",
            ),
            "video_views": organic.add(paid_views, fill_value=0),
        }
    )
    paid_column = _column(grid, described, "lifetime post paid impressions")
    if paid_column is not None:
        frame["paid"] = numbers(grid, paid_column).fillna(0).gt(0)
    return frame


FORMATS = [
    Format(
        "facebook_insights_posts",
        "Facebook Page Insights · post level export (legacy)",
        "posts",
        ("post id", "permalink", "posted", "lifetime post total impressions"),
        key_metrics_posts,
        channel="facebook",
        repeated_titles=True,
    ),
]
