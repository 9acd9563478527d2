"""Small pieces every format parser uses."""

from __future__ import annotations

import pandas as pd

from helpers.client.imports.core import Context, Grid
from helpers.client.imports.values import counts, numbers

FORMAT_WORDS = {
    # Meta, LinkedIn, X, TikTok, YouTube and French exports → canonical formats
    "photo": "photo", "photos": "photo", "image": "photo", "ig image": "photo", "picture": "photo",
    "video": "video", "videos": "video", "vidéo": "video", "vidéos": "video", "ig video": "video",
    "reel": "reel", "reels": "reel", "ig reel": "reel", "short": "reel", "shorts": "reel",
    "carousel": "carousel", "ig carousel": "carousel", "carrousel": "carousel", "album": "carousel",
    "document": "carousel",
    "story": "story", "stories": "story", "ig story": "story",
    "text": "text", "texte": "text", "status": "text", "statut": "text", "statuts": "text", "article": "text",
    "link": "link", "links": "link", "lien": "link", "liens": "link",
}  # fmt: skip


def formats_of(types: pd.Series, permalinks: pd.Series | None = None) -> pd.Series:
    """Canonical formats from a post-type column; a ``/reel/`` permalink makes it a reel."""
    out = types.astype(str).str.strip().str.lower().map(FORMAT_WORDS).fillna("other")
    if permalinks is not None:
        out = out.where(~permalinks.astype(str).str.contains("/reel", regex=False), "reel")
    return out


def count_column(grid: Grid, ctx: Context, table: str, *names: str) -> pd.Series:
    """The first of ``names`` present, as counts; all-NaN when the export lacks it."""
    for name in names:
        if name in grid.frame.columns:
            return counts(grid, name, ctx, table)
    return pd.Series(float("nan"), index=grid.frame.index)


def daily_rows(
    grid: Grid,
    ctx: Context,
    table: str,
    days: pd.Series,
    channel: str,
    account: str | pd.Series,
    columns: dict[str, tuple[str, ...]],
) -> pd.DataFrame:
    """One row a day of a per-day account export: each of ``columns`` read as counts from the first
    of its header names present; rows without a readable day are left out."""
    counted = {column: count_column(grid, ctx, table, *names) for column, names in columns.items()}
    frame = pd.DataFrame({"date": days, "channel": channel, "account": account, **counted})
    return frame.loc[days.notna()]


def number_column(grid: Grid, *names: str, percent: bool = False) -> pd.Series:
    for name in names:
        if name in grid.frame.columns:
            return numbers(grid, name, percent=percent)
    return pd.Series(float("nan"), index=grid.frame.index)


def first_text(grid: Grid, *names: str) -> pd.Series:
    """Per row, the first non-empty cell among ``names``."""
    out = pd.Series("", index=grid.frame.index, dtype=object)
    for name in names:
        if name in grid.frame.columns:
            out = out.where(out != "", grid.frame[name])
    return out
