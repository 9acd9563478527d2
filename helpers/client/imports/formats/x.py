"""X (Twitter) exports: the legacy per-tweet and per-day analytics files, the current Premium
per-post file, and the current per-day account file.

Layouts from the exports themselves:

* ``tweet_activity_metrics_<handle>_<start>_<end>_<lang>.csv`` (analytics.twitter.com, until
  2023): every field quoted, ``time`` written ``2016-12-23 18:50 +0000`` (UTC), organic counts
  written ``1938.0``, promoted columns ``-`` when the tweet was not promoted, ``favorites``
  instead of ``likes`` in exports made before 2016.
* ``account_analytics_content_<start>_<end>.csv`` (X Premium, 2023 on): ``Date`` is a day only
  (``Sat, Sep 6, 2025``). The posting time comes from the post id, a snowflake whose upper bits
  count milliseconds since 2010-11-04: ``(id >> 22) + 1288834974657``. The time is kept when its
  day is within a day of ``Date`` (whose zone the file does not state); otherwise ``Date`` at
  midnight in the client's zone is used and the row is flagged. Header spelling varies between
  copies (``Post Link`` or ``Link``, ``URL Clicks`` or ``Url clicks``, ``Shares`` or ``Share``).
* ``account_overview_analytics.csv`` (one row per day): its ``Profile visits`` feed the visits
  table.
* ``daily_tweet_activity_metrics_<handle>_<start>_<end>_<lang>.csv`` (analytics.twitter.com, until
  2023; one row per day) → account_daily. 38 columns, every field quoted: ``Date`` (``2016-12-01``),
  ``Tweets published``, ``impressions``, ``engagements``, ``engagement rate`` (a fraction),
  ``retweets``, ``replies``, ``likes``, ``user profile clicks``, ``url clicks``, ``hashtag
  clicks``, ``detail expands``, ``permalink clicks``, ``app opens``, ``app installs``,
  ``follows``, ``email tweet``, ``dial phone``, ``media views``, ``media engagements``, then the
  same 18 metrics prefixed ``promoted`` (``promoted impressions`` … ``promoted media
  engagements``), written ``-`` on days nothing was promoted (unknown, not zero). Counts are plain
  integers. A day's impressions include those of older tweets seen that day. Read: impressions,
  engagements, profile_visits = ``user profile clicks`` (clicks on the profile from tweets; the
  visits table keeps the overview's ``Profile visits``), follows = ``follows`` (organic: the
  promoted columns are not added). The file does not name the account (the handle in its name is
  not read: files are recognised by content), so the account is :data:`NO_ACCOUNT`. It has no
  ``Tweet id`` nor ``time``: it is never read as posts.

Posts: reactions = likes, comments = replies, shares = retweets (current export: reposts plus
X's ``Shares``, i.e. sends by message or copied links), clicks = URL clicks, saves = bookmarks,
video_views = ``media views`` (X counts views of images and GIFs there too, not only videos),
engagements = ``engagements`` (X's own count: every click, like, reply, repost, follow…, the
numerator of X's engagement rate).
Neither export gives reach: it stays empty. Neither names the kind of post a row is; ``format``
takes X's own names (text, link, photo, video) from what the row shows (:func:`post_format`):

* media seen (``media views`` or ``media engagements`` above 0): ``video`` when the media was
  viewed more than :data:`VIDEO_VIEW_RATIO` times as often as it was clicked (a video plays by
  itself in the timeline, an image is viewed only when opened), else ``photo``;
* no media seen: ``link`` when the post drew URL clicks or its text holds a link (X writes
  attached links as ``https://t.co/…``), else ``text``.

The current export has no media columns: its posts are ``link`` or ``text``, and a photo or a
video whose media nobody opened reads as ``link`` (its media link is in the text). ``paid`` is
known in the legacy export only (promoted impressions above 0).

The account is the handle in each post's link. Excel re-saves turn the 18–19 digit ids into
``8,12370E+17``; the id is then taken from the link (and the row flagged).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from helpers.client.imports.core import Context, ExportError, Format, Grid
from helpers.client.imports.formats.common import count_column, daily_rows, number_column
from helpers.client.imports.values import local_day, plausible_times, timestamps

SNOWFLAKE_EPOCH_MS = 1288834974657
STATUS = r"/status(?:es)?/(\d+)"
HANDLE = r"(?:twitter|x)\.com/([A-Za-z0-9_]+)/status"

NO_ACCOUNT = ""  # the export does not name the profile: the brief's account fills it in


def post_ids(grid: Grid, ctx: Context, column: str, links: pd.Series) -> pd.Series:
    """Post ids as digits; from the link when a spreadsheet rounded the id (``8,12370E+17``)."""
    raw = grid.col(column)
    digits = raw.str.fullmatch(r"\d+")
    from_link = links.str.extract(STATUS, expand=False)
    ids = raw.where(digits, from_link)
    bad = ids.isna()
    if bad.any():
        i = ids.index[bad][0]
        raise ExportError(
            f"{grid.source}: row {grid.line(i)}, column {column!r}: expected a numeric post id "
            f"(or a link ending in /status/<id>); got {raw[i]!r}"
        )
    repaired = ids.index[~digits]
    if len(repaired):
        why = "id not written in full (re-saved file?): taken from the link"
        ctx.flag(grid, repaired, column, why, raw, "posts")
    return ids


def snowflake_times(ids: pd.Series) -> pd.Series:
    """Creation times (UTC) encoded in X snowflake ids."""
    ms = pd.to_numeric(ids.map(lambda v: (int(v) >> 22) + SNOWFLAKE_EPOCH_MS), errors="coerce")
    return pd.to_datetime(ms, unit="ms", utc=True)


def _accounts(links: pd.Series) -> pd.Series:
    handles = links.str.extract(HANDLE, expand=False).fillna("")
    return handles.where(~handles.isin(["", "i"]), NO_ACCOUNT)


#: A post whose media was viewed more than this many times per click on it is a video (it plays
#: by itself in the timeline); an image is viewed only when opened, so its views and clicks match.
VIDEO_VIEW_RATIO = 2.0
#: A link in a post's text (X writes every attached link and media as ``https://t.co/…``).
URL = r"https?://\S+"


def post_format(
    media_views: pd.Series, media_engagements: pd.Series, url_clicks: pd.Series, text: pd.Series
) -> pd.Series:
    """X's format of each post (text, link, photo, video) from the export's columns.

    Args:
        media_views: ``media views`` (NaN where the export has no such column).
        media_engagements: ``media engagements`` (clicks on the media; NaN where absent).
        url_clicks: ``url clicks``.
        text: the post's text.

    Returns:
        A Series of format names aligned with the inputs (see the module docstring for the rule).
    """
    views, clicks = media_views.fillna(0), media_engagements.fillna(0)
    media = views.gt(0) | clicks.gt(0)
    video = views.gt(VIDEO_VIEW_RATIO * clicks)
    linked = url_clicks.fillna(0).gt(0) | text.fillna("").astype(str).str.contains(URL, regex=True)
    kinds = np.select([media & video, media, linked], ["video", "photo", "link"], "text")
    return pd.Series(kinds, index=text.index)


def _format(grid: Grid, text: pd.Series) -> pd.Series:
    """X's format of each row of ``grid`` (:func:`post_format`)."""
    return post_format(
        number_column(grid, "media views"),
        number_column(grid, "media engagements"),
        number_column(grid, "url clicks"),
        text,
    )


def legacy_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``tweet_activity_metrics_…``: one row per tweet."""
    links = grid.col("tweet permalink")
    text = grid.col("tweet text").map(html.unescape)  # the export keeps &amp; and friends
    frame = pd.DataFrame(
        {
            "post_id": post_ids(grid, ctx, "tweet id", links),
            "channel": "x",
            "account": _accounts(links),
            "published_at": timestamps(grid, "time", ctx.tz, ctx=ctx, table="posts"),
            "format": _format(grid, text),
            "text": text,
            "permalink": links,
            "impressions": count_column(grid, ctx, "posts", "impressions"),
            "reactions": count_column(grid, ctx, "posts", "likes", "favorites"),
            "comments": count_column(grid, ctx, "posts", "replies"),
            "shares": count_column(grid, ctx, "posts", "retweets"),
            "clicks": count_column(grid, ctx, "posts", "url clicks"),
            "video_views": count_column(grid, ctx, "posts", "media views"),
            "engagements": count_column(grid, ctx, "posts", "engagements"),
        }
    )
    if "promoted impressions" in grid.frame.columns:
        frame["paid"] = number_column(grid, "promoted impressions").fillna(0).gt(0)
    return frame


def _published(grid: Grid, ctx: Context, ids: pd.Series) -> pd.Series:
    """The snowflake time when it agrees with ``Date`` (within a day) and is plausible, else
    ``Date`` at midnight (:func:`helpers.client.imports.values.plausible_times`)."""
    day = timestamps(grid, "date", ctx.tz)
    posted = snowflake_times(ids).dt.floor("s")
    return plausible_times(grid, ctx, posted, day, network="x", column="date", what="post id")


def content_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``account_analytics_content_…``: one row per post."""
    links = grid.col("post link", "link", "permalink", required=False)
    ids = post_ids(grid, ctx, "post id", links)
    reposts = count_column(grid, ctx, "posts", "reposts", "retweets")
    sends = count_column(grid, ctx, "posts", "shares", "share")
    text = grid.col("post text", required=False)
    return pd.DataFrame(
        {
            "post_id": ids,
            "channel": "x",
            "account": _accounts(links),
            "published_at": _published(grid, ctx, ids),
            "format": _format(grid, text),
            "text": text,
            "permalink": links,
            "impressions": count_column(grid, ctx, "posts", "impressions"),
            "reactions": count_column(grid, ctx, "posts", "likes"),
            "comments": count_column(grid, ctx, "posts", "replies"),
            "shares": reposts.add(sends, fill_value=0),
            "saves": count_column(grid, ctx, "posts", "bookmarks"),
            "clicks": count_column(grid, ctx, "posts", "url clicks"),
            "video_views": count_column(grid, ctx, "posts", "media views", "video views"),
            "engagements": count_column(grid, ctx, "posts", "engagements"),
        }
    )


def overview_visits(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``account_overview_analytics.csv``: profile visits per day (the file names no account)."""
    day = local_day(timestamps(grid, "date", ctx.tz), ctx.tz)
    return daily_rows(grid, ctx, "visits", day, "x", NO_ACCOUNT, {"page_views": ("profile visits",)})


def daily_activity(grid: Grid, ctx: Context) -> pd.DataFrame:
    """``daily_tweet_activity_metrics_…``: the account's figures per day (the file names no account)."""
    day = local_day(timestamps(grid, "date", ctx.tz), ctx.tz)
    columns = {
        "impressions": ("impressions",),
        "engagements": ("engagements",),
        "profile_visits": ("user profile clicks",),
        "follows": ("follows",),
    }
    return daily_rows(grid, ctx, "account_daily", day, "x", NO_ACCOUNT, columns)


FORMATS = [
    Format(
        "x_tweet_activity",
        "X (Twitter) analytics · tweet activity (legacy)",
        "posts",
        ("tweet id", "tweet permalink", "time", "impressions"),
        legacy_posts,
        channel="x",
    ),
    Format(
        "x_account_content",
        "X analytics · posts (account_analytics_content)",
        "posts",
        ("post id", "date", "post text", "impressions"),
        content_posts,
        excludes=("publish time", "page id", "account id"),
        channel="x",
    ),
    Format(
        "x_account_overview",
        "X analytics · account overview (profile visits)",
        "visits",
        ("date", "impressions", "new follows", "unfollows", "profile visits"),
        overview_visits,
        excludes=("post id", "post text"),
        channel="x",
    ),
    Format(
        "x_daily_tweet_activity",
        "X (Twitter) analytics · daily tweet activity (legacy)",
        "account_daily",
        ("date", "tweets published", "impressions", "engagements", "user profile clicks", "follows"),
        daily_activity,
        excludes=("tweet id", "time", "post id"),
        channel="x",
    ),
]
