"""LinkedIn Page analytics exports (.xlsx or the older BIFF .xls), English headers.

Layouts from the exports themselves. One file per tab:

- content: sheet ``All posts``, a title line above the header (``Post title``, ``Post link``,
  ``Post type``, ``Created date``, ``Impressions``, ``Clicks``, ``Likes``, ``Comments``,
  ``Reposts``, ``Follows``, ``Engagement rate``, ``Content Type``...; older files say
  ``Update title/link/type``, ``Shares``, ``Video views``). ``Follows`` is kept (``follows``):
  LinkedIn's own engagement rate counts it. Its ``Metrics`` sheet holds daily
  page totals, not posts, and is not read.
- followers: sheet ``New followers`` (``Date``, ``Sponsored followers``, ``Organic followers``,
  ``Auto-invited followers``, ``Total followers``) and one sheet per demographic breakdown
  (``Location``, ``Job function``, ``Seniority``, ``Industry``, ``Company size``), each
  ``[category, Total followers]``.
- visitors: sheet ``Visitor metrics`` (``Date`` and page views / unique visitors by section and
  device, ``Total page views (total)``, ``Total unique visitors (total)``...).

The files do not name the page: ``account`` is :data:`ACCOUNT` for every row, to be replaced
by the brief's LinkedIn handle.
"""

from __future__ import annotations

import pandas as pd

from helpers.client.imports.core import Context, Format, Grid, normalise
from helpers.client.imports.formats.common import count_column, first_text, formats_of, number_column
from helpers.client.imports.values import MISSING, counts, local_day, plausible_times, timestamps

#: What ``account`` holds: the exports never name the page. Meant to be "" (the caller fills
#: it from the brief), but the import pipeline refuses an empty required ``account`` for now.
ACCOUNT = ""

LINK = ("post link", "update link")
TITLE = ("post title", "update title")
POST_TYPE = ("post type", "update type")
CREATED = ("created date",)
SHARES = ("reposts", "shares")
VIDEO_VIEWS = ("views (excluding off-site video views)", "video views")
SPONSORED = {"sponsored", "sponsorisé", "sponsorisée"}
NEW_FOLLOWERS = ("sponsored followers", "organic followers", "auto-invited followers")

#: LinkedIn's own definition: (clicks + reactions + comments + reposts + follows) / impressions.
RATE_TOLERANCE = 0.005

_URN = r"urn:li:(?:activity|share|ugcPost):\d+"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


# --- posts ------------------------------------------------------------------------------------------


def activity_times(urns: pd.Series) -> pd.Series:
    """Posting time (UTC) encoded in ``urn:li:activity:<id>``: the id's top bits, ``id >> 22``,
    are milliseconds since 1970. NaT for other URNs (shares, ugcPosts) and blanks."""
    ids = urns.str.extract(r"urn:li:activity:(\d+)", expand=False)
    millis = ids.map(lambda v: int(v) >> 22 if isinstance(v, str) else None)
    return pd.to_datetime(millis.astype("Float64"), unit="ms", utc=True, errors="coerce")


def _serials_as_dates(text: pd.Series) -> pd.Series:
    """Excel day numbers (``45366`` in a cell not formatted as a date) written as ISO dates."""
    serial = text.str.fullmatch(r"\d{5}(\.\d+)?")
    days = pd.to_numeric(text.where(serial), errors="coerce")
    dates = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.strftime("%Y-%m-%d")
    return text.where(~serial, dates)


def _created(grid: Grid, ctx: Context) -> pd.Series:
    column = next(c for c in CREATED if c in grid.frame.columns)
    text = _serials_as_dates(grid.frame[column])
    return timestamps(grid, column, ctx.tz, month_first=True, text=text, ctx=ctx, table="posts")


def _check_rate(grid: Grid, ctx: Context, frame: pd.DataFrame) -> None:
    """Read ``Engagement rate`` (``0.045``, ``4,5 %``) and flag rates LinkedIn's definition does
    not give back from the post's own counts: a sign of shifted or mislabelled columns."""
    if "engagement rate" not in grid.frame.columns:
        return
    reported = number_column(grid, "engagement rate", percent=True)
    follows = count_column(grid, ctx, "posts", "follows").fillna(0)
    actions = frame[["clicks", "reactions", "comments", "shares"]].fillna(0).sum(axis=1) + follows
    computed = actions / frame["impressions"].where(frame["impressions"] > 0)
    off = (reported - computed).abs() > RATE_TOLERANCE
    if off.any():
        ctx.flag(
            grid,
            grid.frame.index[off],
            "engagement rate",
            "engagement rate differs from (clicks + likes + comments + reposts + follows) / impressions",
            grid.frame["engagement rate"],
            "posts",
        )


def posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """One row per post of the ``All posts`` sheet.

    ``published_at`` comes from the activity URN of ``Post link`` (to the millisecond, UTC) when
    that time agrees with ``Created date`` (the same day in the client's zone, give or take one)
    and is plausible (:func:`helpers.client.imports.values.plausible_times`); otherwise, and for
    posts without one (``urn:li:share``, ``urn:li:ugcPost``, no link), ``Created date`` at 00:00
    in the client's zone, the disagreement flagged. LinkedIn gives no per-post reach: ``reach``
    stays empty.
    """
    link = grid.col(*LINK)
    urn = link.str.extract(f"({_URN})", expand=False)
    created = _created(grid, ctx)
    column = next(c for c in CREATED if c in grid.frame.columns)
    posted = plausible_times(
        grid, ctx, activity_times(urn), created, network="linkedin", column=column, what="post link"
    )
    kind = grid.col(*POST_TYPE, required=False).str.strip().str.lower()
    content = grid.col("content type", required=False)
    frame = pd.DataFrame(
        {
            "post_id": urn.fillna(link),
            "channel": "linkedin",
            "account": ACCOUNT,
            "published_at": posted,
            "format": formats_of(content),
            "text": first_text(grid, *TITLE),
            "permalink": link,
            "impressions": count_column(grid, ctx, "posts", "impressions"),
            "reactions": count_column(grid, ctx, "posts", "likes", "reactions"),
            "comments": count_column(grid, ctx, "posts", "comments"),
            "shares": count_column(grid, ctx, "posts", *SHARES),
            "clicks": count_column(grid, ctx, "posts", "clicks"),
            "video_views": count_column(grid, ctx, "posts", *VIDEO_VIEWS),
            "follows": count_column(grid, ctx, "posts", "follows"),
            "paid": kind.map(lambda v: None if v in MISSING else v in SPONSORED),
        },
        index=grid.frame.index,
    )
    _check_rate(grid, ctx, frame)
    return frame


# --- followers, audience, visits ----------------------------------------------------------------------


def _days(grid: Grid, ctx: Context) -> pd.Series:
    """``Date`` as the local calendar day (``MM/DD/YYYY`` text or an Excel date)."""
    text = _serials_as_dates(grid.frame["date"])
    stamps = timestamps(grid, "date", ctx.tz, month_first=True, text=text)
    return local_day(stamps, ctx.tz)


def followers(grid: Grid, ctx: Context) -> pd.DataFrame:
    """Daily new followers of the ``New followers`` sheet.

    In LinkedIn's layout ``Total followers`` is the day's total of *new* followers (sponsored +
    organic + auto-invited), not the size of the community: it goes to ``gained`` and
    ``followers`` stays empty, the file holding no community size. Only when ``Total
    followers`` is at least the sum of the other columns on every row and above it on some
    (a file re-made with a running total) is it read as the community size.
    """
    parts = [c for c in NEW_FOLLOWERS if c in grid.frame.columns]
    new = pd.DataFrame({c: counts(grid, c, ctx, "followers") for c in parts}, index=grid.frame.index)
    new = new.sum(axis=1, min_count=1)
    total = count_column(grid, ctx, "followers", "total followers")
    known = total.notna() & new.notna()
    running = bool(parts) and (total[known] >= new[known]).all() and (total[known] > new[known]).any()
    return pd.DataFrame(
        {
            "date": _days(grid, ctx),
            "channel": "linkedin",
            "account": ACCOUNT,
            "followers": total if running else float("nan"),
            "gained": new if running else total.fillna(new),
        },
        index=grid.frame.index,
    )


def visits(grid: Grid, ctx: Context) -> pd.DataFrame:
    """Daily page views and unique visitors, all sections and devices, of ``Visitor metrics``."""
    return pd.DataFrame(
        {
            "date": _days(grid, ctx),
            "channel": "linkedin",
            "account": ACCOUNT,
            "page_views": count_column(grid, ctx, "visits", "total page views (total)"),
            "unique_visitors": count_column(grid, ctx, "visits", "total unique visitors (total)"),
        },
        index=grid.frame.index,
    )


#: Demographic sheets of the followers file → ``audience.dimension``. LinkedIn's ``Location``
#: lists metropolitan areas ("Greater Paris Metropolitan Region"), hence ``city``.
DIMENSIONS = {
    "location": "city",
    "job function": "job function",
    "seniority": "seniority",
    "industry": "industry",
    "company size": "company size",
}


def audience(grid: Grid, ctx: Context) -> pd.DataFrame:
    """One demographic sheet: the share of each category in the sheet's total of followers.

    LinkedIn lists the top categories only, so the shares are of the followers it lists.
    """
    dimension = DIMENSIONS[normalise(grid.sheet.name)]
    category = grid.columns[0]
    value = counts(grid, "total followers", ctx, "audience")
    total = value.sum()
    return pd.DataFrame(
        {
            "channel": "linkedin",
            "dimension": dimension,
            "value": grid.frame[category],
            "share": value / total if total else float("nan"),
        },
        index=grid.frame.index,
    )


FORMATS = [
    Format(
        "linkedin_posts",
        "LinkedIn Page · posts (All posts)",
        "posts",
        ("post title", "post link", "post type", "created date", "impressions", "clicks"),
        posts,
        channel="linkedin",
    ),
    Format(
        "linkedin_posts_legacy",
        "LinkedIn Page · updates (All posts, older export)",
        "posts",
        ("update title", "update link", "update type", "created date", "impressions", "clicks"),
        posts,
        channel="linkedin",
    ),
    Format(
        "linkedin_followers",
        "LinkedIn Page · new followers",
        "followers",
        ("date", "sponsored followers", "organic followers", "total followers"),
        followers,
        channel="linkedin",
    ),
    Format(
        "linkedin_visitors",
        "LinkedIn Page · visitor metrics",
        "visits",
        ("date", "total page views (total)", "total unique visitors (total)"),
        visits,
        channel="linkedin",
    ),
    *(
        Format(
            f"linkedin_audience_{sheet.replace(' ', '_')}",
            f"LinkedIn Page · followers by {sheet}",
            "audience",
            ("total followers",),
            audience,
            excludes=("date", "new followers", "total posts"),
            sheet=sheet,
            channel="linkedin",
        )
        for sheet in DIMENSIONS
    ),
]
