"""TikTok Studio analytics downloads (English and Greek interfaces observed, French reported).

Files have fixed names; every field is quoted and the last row has
no newline. ``Content.csv`` → posts, ``FollowerHistory.csv`` → followers, ``FollowerGender.csv``
and ``FollowerTopTerritories.csv`` → audience (gender, country), ``Overview.csv`` → visits (its
``Profile Views``), ``Viewers.csv`` → account_daily, ``FollowerActivity.csv`` → activity.

* ``Viewers.csv``: ``Date``, ``Total Viewers``, ``New Viewers``, ``Returning Viewers``, one row
  per day, oldest first → viewers, new_viewers, returning_viewers. The last row may be
  ``"undefined","0","0"`` (the day under way, with one cell fewer than the header): left out.
* ``FollowerActivity.csv``: ``Date``, ``Hour`` (0 to 23), ``Active followers``: followers active
  at each hour of the last 7 days, the hours of the last day that have not yet come written 0
  (left out: unknown, not zero) → activity, the second signal of the best time to post.

Dates have no year and are written in the interface's language (``March 2``, ``11 septembre``,
``6 Απριλίου``; Greek month names are turned into English here). The year comes from the export
date (``ctx.exported``, the file's date, with a day's margin for time zones; in ``Content.csv``
the ``Time`` column, the export day, refines it): a day after it belongs to the year before, and
in day-by-day files each row is set before the next one, so a 365-day history that starts on the
export's own day is read right.

Posts: ``Post time`` is a day only, but the video id in ``Video link`` carries the posting time
(its upper 32 bits are Unix seconds); that time is used when its day agrees with ``Post time``
(within a day), otherwise ``Post time`` at midnight in the client's zone, flagged. TikTok counts a
view each time a video starts playing in a feed, so ``Total views`` gives both impressions and
video_views; reach is not given. Negative totals (deleted comments) are kept and flagged.

Followers: ``Difference in followers from previous day`` is a net change, so gained and lost are
its positive and negative parts (a day with 5 new and 3 lost followers shows gained 2, lost 0).
Two real exports align that column differently (the change into the day, or into the next day):
the alignment is read from the ``Followers`` column itself. Days whose followers are
``undefined`` (before the account's data starts) are left out.

Account: the files do not name it. Posts take the handle from the video links; the other files
take it from the name TikTok gives the download (``Followers_<handle>.zip``, or the folder it was
unzipped into), else :data:`NO_ACCOUNT`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from helpers.client.imports.core import Context, Format, Grid, normalise
from helpers.client.imports.formats.common import count_column, daily_rows, number_column
from helpers.client.imports.values import MISSING, local_day, localize, numbers, plausible_times, timestamps

NO_ACCOUNT = ""  # the export does not name the profile: the brief's account fills it in

GREEK_MONTHS = {
    "ιαν": "january", "φεβ": "february", "μαρ": "march", "απρ": "april", "μαι": "may", "ιουν": "june",
    "ιουλ": "july", "αυγ": "august", "σεπ": "september", "οκτ": "october", "νοε": "november",
    "δεκ": "december",
}  # fmt: skip
GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")
FOLLOWERS_DOWNLOAD = re.compile(r"Followers_(.+?)(?:\.zip)?", re.I)


def _greek_month(match: re.Match) -> str:
    plain = "".join(
        c for c in unicodedata.normalize("NFD", match.group(0).lower()) if not unicodedata.combining(c)
    )
    return next((name for prefix, name in GREEK_MONTHS.items() if plain.startswith(prefix)), match.group(0))


def _english(text: pd.Series) -> pd.Series:
    """Greek month names (``6 Απριλίου``) in English (``6 april``); other text unchanged."""
    return text.astype(str).map(lambda value: GREEK_WORD.sub(_greek_month, value))


def _days(grid: Grid, column: str, ctx: Context, exported: dt.date | None) -> pd.Series:
    """Yearless dates as naive local days (NaT for ``undefined``)."""
    stamps = timestamps(grid, column, ctx.tz, exported=exported, text=_english(grid.frame[column]))
    return local_day(stamps, ctx.tz)


def _in_sequence(days: pd.Series) -> pd.Series:
    """Years of a day-by-day series (oldest row first): each day is set before the next one."""
    values = list(days)
    later = pd.NaT
    for i in range(len(values) - 1, -1, -1):
        if pd.isna(values[i]):
            continue
        while pd.notna(later) and values[i] >= later:
            values[i] = values[i] - pd.DateOffset(years=1)
        later = values[i]
    return pd.Series(values, index=days.index, dtype="datetime64[ns]")


def _exported(ctx: Context) -> dt.date:
    """The latest day the export can hold: the file's date (read in UTC from its modification
    time, so possibly a day behind the account's calendar) plus one day."""
    return (ctx.exported or dt.date.today()) + dt.timedelta(days=1)


def _account(grid: Grid) -> str:
    """The handle in the download's name (``Followers_<handle>.zip`` or its folder)."""
    for name in (grid.sheet.path.name, grid.sheet.path.parent.name):
        match = FOLLOWERS_DOWNLOAD.fullmatch(name)
        if match:
            return match.group(1)
    return NO_ACCOUNT


def content_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Content.csv``: one row per video (a subset of the account's videos)."""
    exported = _exported(ctx)
    if "time" in grid.frame.columns:
        export_day = _days(grid, "time", ctx, exported).max()
        exported = export_day.date() if pd.notna(export_day) else exported
    links = grid.col("video link")
    ids = links.str.extract(r"/(?:video|photo)/(\d+)", expand=False)
    handles = links.str.extract(r"tiktok\.com/@([^/?#]+)", expand=False)
    day = _days(grid, "post time", ctx, exported)
    seconds = ids.map(lambda v: int(v) >> 32 if isinstance(v, str) else np.nan)
    from_id = pd.to_datetime(pd.to_numeric(seconds), unit="s", utc=True)
    midnight = localize(day, ctx.tz, grid=grid, column="post time", ctx=ctx, table="posts")
    year_before = localize(day - pd.DateOffset(years=1), ctx.tz)
    published = plausible_times(
        grid, ctx, from_id, midnight, network="tiktok", column="post time", what="video id", also=year_before
    )
    views = count_column(grid, ctx, "posts", "total views")
    return pd.DataFrame(
        {
            "post_id": ids.fillna(links),
            "channel": "tiktok",
            "account": handles.fillna(NO_ACCOUNT),
            "published_at": published,
            "format": np.where(links.str.contains("/photo/", regex=False), "carousel", "video"),
            "text": grid.col("video title", required=False).str.strip(),
            "permalink": links,
            "impressions": views,
            "reactions": count_column(grid, ctx, "posts", "total likes"),
            "comments": count_column(grid, ctx, "posts", "total comments"),
            "shares": count_column(grid, ctx, "posts", "total shares"),
            "video_views": views,
        }
    )


def _net_change(grid: Grid, ctx: Context, followers: pd.Series) -> pd.Series:
    """The day's net follower change, the difference column aligned on the day it describes."""
    column = "difference in followers from previous day"
    diff = numbers(grid, column)
    step = followers.diff()
    into_day = int((diff == step).sum())
    into_next = int((diff == step.shift(-1)).sum())
    if into_next > into_day:
        ctx.flag(
            grid,
            grid.frame.index[:1],
            column,
            "differences describe the next day: realigned",
            diff,
            "followers",
        )
        return diff.shift(1).where(followers.shift(1).notna())
    known_before = followers.shift(1).notna() | (followers.index == followers.index[0])
    return diff.where(known_before)


def follower_history(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``FollowerHistory.csv``: followers per day, oldest first."""
    days = _in_sequence(_days(grid, "date", ctx, _exported(ctx)))
    followers = numbers(grid, "followers")
    net = _net_change(grid, ctx, followers) if len(followers) else followers
    frame = pd.DataFrame(
        {
            "date": days,
            "channel": "tiktok",
            "account": _account(grid),
            "followers": followers,
            "gained": net.clip(lower=0),
            "lost": (-net).clip(lower=0),
        }
    )
    return frame.loc[days.notna() & followers.notna()]


def _audience(grid: Grid, column: str, dimension: str) -> pd.DataFrame:
    values = grid.col(column)
    frame = pd.DataFrame(
        {
            "channel": "tiktok",
            "dimension": dimension,
            "value": values,
            "share": numbers(grid, "distribution", percent=True),
        }
    )
    return frame.loc[~values.str.lower().isin(MISSING)]


def follower_gender(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``FollowerGender.csv``: Female / Male / Other as fractions (may hold no row at all)."""
    return _audience(grid, "gender", "gender")


def follower_territories(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``FollowerTopTerritories.csv``: ISO-2 country codes and ``Others``, as fractions."""
    return _audience(grid, "top territories", "country")


def overview_visits(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Overview.csv``: profile views per day (TikTok gives no unique visitors)."""
    days = _in_sequence(_days(grid, "date", ctx, _exported(ctx)))
    return daily_rows(grid, ctx, "visits", days, "tiktok", _account(grid), {"page_views": ("profile views",)})


def viewers(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``Viewers.csv``: viewers per day, new and returning; the ``undefined`` day under way is left out."""
    days = _in_sequence(_days(grid, "date", ctx, _exported(ctx)))
    columns = {
        "viewers": ("total viewers",),
        "new_viewers": ("new viewers",),
        "returning_viewers": ("returning viewers",),
    }
    return daily_rows(grid, ctx, "account_daily", days, "tiktok", _account(grid), columns)


def follower_activity(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``FollowerActivity.csv``: followers online per day and hour (the last 7 days).

    The export day is zero-filled for the hours not yet elapsed: on the last day of the file, the
    zeros after its last non-zero hour are left out (unknown, not zero).
    """
    days = _days(grid, "date", ctx, _exported(ctx))  # 24 rows a day: the export date gives the year
    hours = number_column(grid, "hour")
    active = count_column(grid, ctx, "activity", "active followers")
    account = _account(grid)
    frame = pd.DataFrame(
        {"date": days, "hour": hours, "channel": "tiktok", "account": account, "active_followers": active}
    )
    frame = frame.loc[days.notna() & hours.between(0, 23)]
    last = frame["date"] == frame["date"].max()
    seen = frame.loc[last & frame["active_followers"].gt(0), "hour"]
    not_yet = last & frame["hour"].gt(seen.max() if len(seen) else -1)
    return frame.loc[~not_yet].assign(hour=lambda f: f["hour"].astype("Int64"))


FORMATS = [
    Format(
        "tiktok_content",
        "TikTok Studio · Content.csv",
        "posts",
        ("video link", "post time", "total likes", "total views"),
        content_posts,
        channel="tiktok",
    ),
    Format(
        "tiktok_follower_history",
        "TikTok Studio · FollowerHistory.csv",
        "followers",
        ("date", "followers", "difference in followers from previous day"),
        follower_history,
        channel="tiktok",
    ),
    Format(
        "tiktok_follower_gender",
        "TikTok Studio · FollowerGender.csv",
        "audience",
        ("gender", "distribution"),
        follower_gender,
        channel="tiktok",
    ),
    Format(
        "tiktok_follower_territories",
        "TikTok Studio · FollowerTopTerritories.csv",
        "audience",
        ("top territories", "distribution"),
        follower_territories,
        channel="tiktok",
    ),
    Format(
        "tiktok_overview",
        "TikTok Studio · Overview.csv (profile views)",
        "visits",
        ("date", "video views", "profile views", "likes", "comments", "shares"),
        overview_visits,
        channel="tiktok",
    ),
    Format(
        "tiktok_viewers",
        "TikTok Studio · Viewers.csv",
        "account_daily",
        ("date", "total viewers", "new viewers", "returning viewers"),
        viewers,
        channel="tiktok",
        short_row=lambda row: normalise(row[0]) == "undefined",
    ),
    Format(
        "tiktok_follower_activity",
        "TikTok Studio · FollowerActivity.csv (active followers by hour)",
        "activity",
        ("date", "hour", "active followers"),
        follower_activity,
        channel="tiktok",
    ),
]
