"""The demo world written as the platforms' own export files.

Each writer takes the world drawn by :mod:`tools.demo` and writes files byte for byte the
same on every run: Meta Business Suite post exports for Facebook and Instagram (two
overlapping periods each), X's legacy per-tweet activity export (one file a month), LinkedIn's
content export (.xlsx) and a Brandwatch "Bulk Mentions Download". Cells an export would hold
but the demo cannot fill honestly are left empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from tools.demo import world as demo

#: Names of the files this module writes; others in ``exports/`` are left alone.
OWNED = re.compile(
    r"[A-Z][a-z]{2}-\d{2}-\d{4}_[A-Z][a-z]{2}-\d{2}-\d{4}_\d+\.csv"
    r"|tweet_activity_metrics_atelierseve_\d{8}_\d{8}_fr\.csv"
    r"|atelier-seve_content_\d+\.xlsx"
    r"|brandwatch_bulk-mentions_.*\.csv"
)

# --- Meta Business Suite (§2-3) --------------------------------------------------------------
PAGE_ID, PAGE_NAME = "104829361774512", demo.BRAND
IG_ACCOUNT_ID = "17841452736198045"
#: Two overlapping exports: (first day, last day, when it was downloaded, local time).
META_PERIODS = (
    (pd.Timestamp("2025-11-01"), pd.Timestamp("2026-05-31"), pd.Timestamp("2026-06-01 09:12")),
    (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-10-31"), pd.Timestamp("2026-11-02 09:05")),
)
META_FILE_IDS = {
    "facebook": ("1209467318842057", "1236890214573318"),
    "instagram": ("1211785530927746", "1240032695318864"),
}
FACEBOOK_HEADER = (
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
    "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels",
    "Funded content status", "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares",
    "Reactions", "Comments", "Shares", "Total clicks", "Link Clicks", "Other Clicks",
)  # fmt: skip
INSTAGRAM_HEADER = (
    "Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
    "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares",
    "Follows", "Comments", "Saves",
)  # fmt: skip
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FACEBOOK_TYPES = {"photo": "Photos", "video": "Videos", "reel": "Videos", "link": "Links", "text": "Text"}
INSTAGRAM_TYPES = {"photo": "IG image", "carousel": "IG carousel", "reel": "IG reel", "story": "IG story"}
#: Metrics that keep growing after publication (the older export shows less of them).
GROWING = ("impressions", "reach", "reactions", "comments", "shares", "saves", "follows",
           "link_clicks", "other_clicks")  # fmt: skip

# --- X legacy per-tweet export (§1a) ---------------------------------------------------------
X_ORGANIC = (
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate",
    "retweets", "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
    "permalink clicks", "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
    "media engagements",
)  # fmt: skip
X_HEADER = X_ORGANIC + tuple(f"promoted {name}" for name in X_ORGANIC[4:])

# --- LinkedIn content export (§5) ------------------------------------------------------------
LINKEDIN_EXPORTED = pd.Timestamp("2026-11-02 09:14:27.512", tz=demo.TZ)
LINKEDIN_POSTS_HEADER = (
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
    "Campaign start date", "Campaign end date", "Audience", "Impressions",
    "Views (excluding off-site video views)", "Off-site views", "Clicks", "Click through rate (CTR)",
    "Likes", "Comments", "Reposts", "Follows", "Engagement rate", "Content Type",
)  # fmt: skip
LINKEDIN_CONTENT_TYPES = {
    "text": "Text",
    "photo": "Image",
    "video": "Video",
    "carousel": "Document",
    "link": "Link",
}
#: Daily metrics: canonical column -> LinkedIn's name; each comes as (organic|sponsored|total).
LINKEDIN_DAILY = {"impressions": "Impressions", "clicks": "Clicks", "reactions": "Reactions",
                  "comments": "Comments", "shares": "Reposts"}  # fmt: skip
#: Share of a post's lifetime metrics reached on its day of publication, the next day...
LINKEDIN_DECAY = np.array([0.55, 0.22, 0.1, 0.06, 0.04, 0.02, 0.01])

# --- Brandwatch Bulk Mentions Download (§8) --------------------------------------------------
BRANDWATCH_GROUP = "Atelier Sève & concurrents"
QUERY_IDS = {demo.BRAND: 2003458121, "Maison Argile": 2003458137, "Bulles d'Ici": 2003458142,
             "Herbier Moderne": 2003458160}  # fmt: skip
PAGE_TYPES = {"x": "twitter", "instagram": "instagram", "facebook": "facebook", "tiktok": "tiktok",
              "news": "news", "blog": "blogs", "forum": "forums"}  # fmt: skip
BRANDWATCH_HEADER = (
    "Query Id", "Query Name", "Date", "Mention Id", "Resource Id", "Url", "Page Type", "Language",
    "Sentiment", "Full Text", "Author", "Reach (new)", "Likes", "Comments", "Shares", "X Followers",
    "Instagram Followers", "Emotion",
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """What the writers need to know of a client besides its world: names, ids, period, downloads."""

    brand: str
    tz: str
    start: pd.Timestamp  # first and last day of the analysed period
    end: pd.Timestamp
    #: Meta exports: (first day, last day, when it was downloaded, local time), oldest first.
    meta_periods: tuple[tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp], ...]
    meta_file_ids: dict[str, tuple[str, ...]]  # network -> file id of each period
    page_id: str  # the Facebook Page's
    instagram_id: str
    instagram_username: str
    linkedin_exported: pd.Timestamp  # when the LinkedIn content export was downloaded (aware)
    linkedin_stem: str  # the Page's name in LinkedIn's file names
    linkedin_campaign: str  # the campaign of sponsored LinkedIn posts
    listening_group: str  # the Brandwatch project's name (its ``Brand:`` line)
    query_ids: dict[str, int]  # one Brandwatch query per brand
    language: str  # of the mentions
    listening_stem: str  # the brand's name in the Brandwatch file name

    @property
    def days(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, self.end, freq="D")


DEMO = Layout(
    demo.BRAND, demo.TZ, demo.START, demo.END, META_PERIODS, META_FILE_IDS, PAGE_ID, IG_ACCOUNT_ID,
    demo.PROFILES["instagram"][0], LINKEDIN_EXPORTED, "atelier-seve", demo.ALWAYS_ON["linkedin"],
    BRANDWATCH_GROUP, QUERY_IDS, "fr", "atelier-seve",
)  # fmt: skip


def write_all(world: demo.World, folder: Path, layout: Layout = DEMO) -> dict[str, int]:
    """Write every export of ``world`` over ``layout``'s period into ``folder``; data rows per file name."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.iterdir()):
        if path.is_file() and OWNED.fullmatch(path.name):
            path.unlink()
    posts = world.posts
    counts = meta_posts(posts[posts["channel"] == "facebook"], "facebook", folder, layout)
    counts |= meta_posts(posts[posts["channel"] == "instagram"], "instagram", folder, layout)
    counts |= x_tweet_activity(posts[posts["channel"] == "x"], folder, layout)
    counts |= linkedin_content(posts[posts["channel"] == "linkedin"], folder, layout)
    counts |= brandwatch_mentions(world.mentions, folder, layout)
    return counts


# --- Meta -----------------------------------------------------------------------------------


def _meta_field(value: object) -> str:
    """Meta's quoting: a value with a space, comma, quote or line break is quoted."""
    text = "" if value is None else str(value)
    if any(c in text for c in ' ,"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_meta_csv(frame: pd.DataFrame, path: Path) -> int:
    lines = [",".join(_meta_field(c) for c in frame.columns)]
    lines += [",".join(_meta_field(v) for v in row) for row in frame.itertuples(index=False)]
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    return len(frame)


def _grown_by(local: pd.Series, exported: pd.Timestamp) -> np.ndarray:
    """Share of its final metrics a post had reached when an export was downloaded."""
    age = np.asarray((exported - local) / pd.Timedelta(days=1), dtype=float)
    return 1 - 0.25 * np.exp(-age / 5) - 0.03 * np.exp(-age / 40)


def _as_exported(posts: pd.DataFrame, period: int, layout: Layout = DEMO) -> pd.DataFrame:
    """Posts of one export period, with the metrics they had when it was downloaded.

    A later export holding the same post shows its final metrics; the canonical truth is the
    newest export.
    """
    first, last, exported = layout.meta_periods[period]
    rows = posts[posts["local"].dt.normalize().between(first, last)].copy()
    day = rows["local"].dt.normalize()
    again = np.zeros(len(rows), dtype=bool)
    for later_first, later_last, _ in layout.meta_periods[period + 1 :]:
        again |= day.between(later_first, later_last).to_numpy()
    factor = np.where(again, _grown_by(rows["local"], exported), 1.0)
    for column in GROWING:
        rows[column] = np.floor(rows[column].to_numpy() * factor).astype(int)
    return rows.sort_values("local", ascending=False, kind="stable")


def _facebook_rows(rows: pd.DataFrame) -> pd.DataFrame:
    video = rows["format"].isin(["video", "reel"])
    return pd.DataFrame(
        {
            "Post ID": rows["post_id"],
            "Page ID": PAGE_ID,
            "Page name": PAGE_NAME,
            "Title": "",
            "Description": rows["text"],
            "Duration (sec)": rows["duration"].astype(str).where(video, ""),
            "Publish time": rows["local"].dt.strftime("%m/%d/%Y %H:%M"),
            "Caption type": "",
            "Permalink": rows["permalink"],
            "Is crosspost": "0",
            "Is share": "0",
            "Post type": rows["format"].map(FACEBOOK_TYPES),
            "Languages": "",
            "Custom labels": "",
            "Funded content status": "",
            "Data comment": "",
            "Date": "Lifetime",
            "Views": rows["impressions"],
            "Reach": rows["reach"],
            "Reactions, Comments and Shares": rows[["reactions", "comments", "shares"]].sum(axis=1),
            "Reactions": rows["reactions"],
            "Comments": rows["comments"],
            "Shares": rows["shares"],
            "Total clicks": rows["link_clicks"] + rows["other_clicks"],
            "Link Clicks": rows["link_clicks"],
            "Other Clicks": rows["other_clicks"],
        }
    )[list(FACEBOOK_HEADER)]


def _instagram_rows(rows: pd.DataFrame, layout: Layout = DEMO) -> pd.DataFrame:
    story = rows["format"] == "story"
    return pd.DataFrame(
        {
            "Post ID": rows["post_id"],
            "Account ID": layout.instagram_id,
            "Account username": layout.instagram_username,
            "Account name": layout.brand,
            "Description": rows["text"],
            "Duration (sec)": rows["duration"],
            "Publish time": rows["local"].dt.strftime("%m/%d/%Y %H:%M"),
            "Permalink": rows["permalink"],
            "Post type": rows["format"].map(INSTAGRAM_TYPES),
            "Data comment": "",
            "Date": "Lifetime",
            "Views": rows["impressions"],
            "Reach": rows["reach"],
            "Likes": rows["reactions"],
            "Shares": rows["shares"],
            "Follows": rows["follows"],
            "Comments": rows["comments"].astype(str).where(~story, ""),  # no comments on stories
            "Saves": rows["saves"].astype(str).where(~story, ""),
        }
    )[list(INSTAGRAM_HEADER)]


def _meta_day(day: pd.Timestamp) -> str:
    """``Nov-01-2025``, in English whatever the locale (as Meta names its files)."""
    return f"{MONTH_ABBR[day.month - 1]}-{day:%d-%Y}"


def meta_posts(posts: pd.DataFrame, channel: str, folder: Path, layout: Layout = DEMO) -> dict[str, int]:
    """Meta Business Suite post exports of one network, one file per period of the layout's."""
    counts = {}
    for period, (first, last, _) in enumerate(layout.meta_periods):
        rows = _as_exported(posts, period, layout)
        table = _facebook_rows(rows) if channel == "facebook" else _instagram_rows(rows, layout)
        name = f"{_meta_day(first)}_{_meta_day(last)}_{layout.meta_file_ids[channel][period]}.csv"
        counts[name] = _write_meta_csv(table, folder / name)
    return counts


# --- X ----------------------------------------------------------------------------------------


def _x_rows(rows: pd.DataFrame) -> list[list[str]]:
    """Cells of the legacy export, in the order of ``X_HEADER``.

    Counts are written ``12.0`` from impressions to permalink clicks, ``12`` from app opens on;
    engagements add up every kind of engagement (media engagements too, not media views);
    the engagement rate is a fraction; text has HTML entities (``&amp;``) as X wrote them.
    """
    zero = pd.Series(0, index=rows.index)
    typed = [rows[c] for c in ("shares", "comments", "reactions", "profile_clicks", "clicks",
             "hashtag_clicks", "detail_expands", "permalink_clicks")]  # fmt: skip
    plain = [zero, zero, rows["follows"], zero, zero, rows["media_views"], rows["media_engagements"]]
    engagements = sum(typed) + sum(plain) - rows["media_views"]
    columns = [
        rows["post_id"],
        rows["permalink"],
        rows["text"].map(lambda t: html.escape(t, quote=False)),
        pd.to_datetime(rows["unix_ms"], unit="ms", utc=True).dt.strftime("%Y-%m-%d %H:%M +0000"),
        *(values.map("{}.0".format) for values in (rows["impressions"], engagements, *typed)),
        *(values.map(str) for values in plain),
    ]
    columns.insert(6, (engagements / rows["impressions"]).map(lambda v: repr(float(v))))
    promoted = ["-"] * (len(X_HEADER) - len(X_ORGANIC))
    return [[*cells, *promoted] for cells in zip(*columns, strict=True)]


def x_tweet_activity(posts: pd.DataFrame, folder: Path, layout: Layout = DEMO) -> dict[str, int]:
    """X's legacy ``tweet_activity_metrics`` export, one file per calendar month (UTC) of the layout."""
    utc = pd.to_datetime(posts["unix_ms"], unit="ms", utc=True).dt.tz_localize(None)
    counts = {}
    for month in pd.date_range(layout.start, layout.end, freq="MS"):
        following = month + pd.offsets.MonthBegin(1)
        rows = posts[((utc >= month) & (utc < following)).to_numpy()].sort_values("unix_ms", ascending=False)
        name = f"tweet_activity_metrics_atelierseve_{month:%Y%m%d}_{following:%Y%m%d}_fr.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(X_HEADER)
        writer.writerows(_x_rows(rows))
        (folder / name).write_bytes(buffer.getvalue().encode("utf-8"))
        counts[name] = len(rows)
    return counts


# --- LinkedIn -------------------------------------------------------------------------------


def _us_date(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%m/%d/%Y")


def _linkedin_posts(posts: pd.DataFrame, campaign: str) -> list[list[object]]:
    rows = posts.sort_values("unix_ms", ascending=False)
    paid, video = rows["paid"].to_numpy(), (rows["format"] == "video").to_numpy()
    engaged = rows[["clicks", "reactions", "comments", "shares", "follows"]].sum(axis=1).to_numpy()
    created = rows["local"].dt.normalize()
    table = pd.DataFrame(
        {
            "Post title": rows["text"],
            "Post link": rows["permalink"],
            "Post type": np.where(paid, "Sponsored", "Organic"),
            "Campaign name": np.where(paid, campaign, None),
            "Posted by": None,
            "Created date": _us_date(created),
            "Campaign start date": _us_date(created).where(paid, None),
            "Campaign end date": _us_date(created + pd.Timedelta(days=13)).where(paid, None),
            "Audience": None,
            "Impressions": rows["impressions"],
            "Views (excluding off-site video views)": _only(rows["video_views"], video),
            "Off-site views": _only(np.zeros(len(rows), dtype=int), video),
            "Clicks": rows["clicks"],
            "Click through rate (CTR)": rows["clicks"] / rows["impressions"],
            "Likes": rows["reactions"],
            "Comments": rows["comments"],
            "Reposts": rows["shares"],
            "Follows": rows["follows"],
            "Engagement rate": engaged / rows["impressions"].to_numpy(),
            "Content Type": rows["format"].map(LINKEDIN_CONTENT_TYPES),
        }
    )
    return [[_cell(v) for v in row] for row in table.itertuples(index=False)]


def _only(values: pd.Series | np.ndarray, keep: np.ndarray) -> list[int | None]:
    """Whole numbers where ``keep``, empty cells elsewhere."""
    return [int(v) if k else None for v, k in zip(np.asarray(values), keep, strict=True)]


def _cell(value: object) -> object:
    """Plain Python values for openpyxl; missing ones as empty cells."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def spread(values: np.ndarray, decay: np.ndarray = LINKEDIN_DECAY) -> np.ndarray:
    """Whole counts spread over the days after publication (rows sum to ``values``); ``decay`` is
    the share of the lifetime count reached on the day of publication, the next day..."""
    cuts = np.floor(np.outer(values, np.cumsum(decay)) + 1e-9).astype(int)
    cuts[:, -1] = values
    return np.diff(cuts, axis=1, prepend=0)


def _linkedin_daily(posts: pd.DataFrame, calendar: pd.DatetimeIndex) -> list[list[object]]:
    """The ``Metrics`` sheet: what the posts gathered each day of ``calendar``, organic and sponsored."""
    start = ((posts["local"].dt.normalize() - calendar[0]) // pd.Timedelta(days=1)).to_numpy()
    days = start[:, None] + np.arange(len(LINKEDIN_DECAY))
    inside = days < len(calendar)
    totals = {}
    for paid in (False, True):
        mine = (posts["paid"].to_numpy() == paid)[:, None] & inside
        for column in [*LINKEDIN_DAILY, "reach"]:
            daily = np.zeros(len(calendar), dtype=int)
            np.add.at(daily, days[mine], spread(posts[column].to_numpy())[mine])
            totals[column, paid] = daily
    rows = []
    for k, day in enumerate(calendar):
        row: list[object] = [f"{day:%m/%d/%Y}"]
        for column in LINKEDIN_DAILY:
            organic, sponsored = int(totals[column, False][k]), int(totals[column, True][k])
            row += [organic, sponsored, organic + sponsored]
            if column == "impressions":
                row.append(int(totals["reach", False][k]))  # unique impressions (organic)
        rows.append(row + _daily_rates(totals, k))
    return rows


def _daily_rates(totals: dict, k: int) -> list[float]:
    """Engagement rate (organic, sponsored, total): clicks and interactions per impression."""
    rates = []
    for which in ((False,), (True,), (False, True)):
        shown = sum(int(totals["impressions", p][k]) for p in which)
        engaged = sum(int(totals[c, p][k]) for c in list(LINKEDIN_DAILY)[1:] for p in which)
        rates.append(engaged / shown if shown else 0.0)
    return rates


def _daily_header() -> list[str]:
    header = ["Date"]
    for column, name in LINKEDIN_DAILY.items():
        header += [f"{name} (organic)", f"{name} (sponsored)", f"{name} (total)"]
        if column == "impressions":
            header.append("Unique impressions (organic)")
    return header + ["Engagement rate (organic)", "Engagement rate (sponsored)", "Engagement rate (total)"]


def _save_xlsx(book: Workbook, path: Path, when: dt.datetime) -> None:
    """Save a workbook byte for byte the same on every run.

    openpyxl stamps the save time in ``docProps/core.xml`` and in the zip entries: both are
    set to ``when``, and entries are stored uncompressed (compressed bytes may differ
    between zlib builds). openpyxl writes its XML with lxml when lxml is installed (the project's
    dependencies bring it, through python-pptx), byte for byte otherwise than without it: the
    committed files are written with it.
    """
    book.properties.created = book.properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.create_system = 0
            target.writestr(entry, data)


def linkedin_content(posts: pd.DataFrame, folder: Path, layout: Layout = DEMO) -> dict[str, int]:
    """LinkedIn's Page content export: ``Metrics`` (daily) and ``All posts``, header on row 2."""
    period = f"{layout.start:%m/%d/%Y} - {layout.end:%m/%d/%Y}"
    book = Workbook()
    metrics = book.active
    metrics.title = "Metrics"
    metrics.append([f"Aggregated metrics of the Page's posts by day, {period}"])
    metrics.append(_daily_header())
    for row in _linkedin_daily(posts, layout.days):
        metrics.append(row)
    all_posts = book.create_sheet("All posts")
    all_posts.append([f"All posts published by the Page with their lifetime metrics, {period}"])
    all_posts.append(list(LINKEDIN_POSTS_HEADER))
    for row in _linkedin_posts(posts, layout.linkedin_campaign):
        all_posts.append(row)
    exported = layout.linkedin_exported
    name = f"{layout.linkedin_stem}_content_{int(exported.value // 1_000_000)}.xlsx"
    _save_xlsx(book, folder / name, exported.tz_convert("UTC").tz_localize(None).to_pydatetime())
    return {name: len(posts)}


# --- Brandwatch -----------------------------------------------------------------------------


def _iso_ms(unix_ms: pd.Series) -> pd.Series:
    utc = pd.to_datetime(unix_ms, unit="ms", utc=True)
    return utc.dt.strftime("%Y-%m-%dT%H:%M:%S.") + (unix_ms % 1000).map("{:03d}".format) + "Z"


def brandwatch_mentions(mentions: pd.DataFrame, folder: Path, layout: Layout = DEMO) -> dict[str, int]:
    """Brandwatch's Bulk Mentions Download: 6 preamble rows, then one row per mention.

    One query per brand (``Query Name`` = the brand named). ``Emotion`` is a custom column:
    Brandwatch's own emotions (anger, disgust, fear, joy, sadness, surprise) do not match the
    workbook's list, so the demo carries its emotions in a column a strategist would add.
    """
    rows = mentions.sort_values(["unix_ms", "url"], ascending=False, kind="stable")
    channel = rows["channel"]
    table = pd.DataFrame(
        {
            "Query Id": rows["brand"].map(layout.query_ids),
            "Query Name": rows["brand"],
            "Date": _iso_ms(rows["unix_ms"]),
            "Mention Id": rows["mention_number"],
            "Resource Id": rows["resource_id"],
            "Url": rows["url"],
            "Page Type": channel.map(PAGE_TYPES),
            "Language": layout.language,
            "Sentiment": rows["sentiment"],
            "Full Text": rows["text"],
            "Author": rows["author"],
            "Reach (new)": rows["reach"],
            "Likes": rows["likes"],
            "Comments": rows["comments"],
            "Shares": rows["shares"],
            "X Followers": rows["audience"].where(channel == "x").map("{:.0f}".format, na_action="ignore"),
            "Instagram Followers": rows["audience"]
            .where(channel == "instagram")
            .map("{:.0f}".format, na_action="ignore"),
            "Emotion": rows["emotion"],
        }
    )[list(BRANDWATCH_HEADER)]
    name = (
        f"brandwatch_bulk-mentions_{layout.listening_stem}_{layout.start:%Y-%m-%d}_{layout.end:%Y-%m-%d}.csv"
    )
    start = pd.Timestamp(layout.start, tz=layout.tz).tz_convert("UTC")
    end = pd.Timestamp(layout.end + pd.Timedelta(days=1), tz=layout.tz).tz_convert("UTC")
    end -= pd.Timedelta(seconds=1)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows(
        [
            ["Report:", "Bulk Mentions Download"],
            ["Brand:", layout.listening_group],
            ["From:", f"{start:%Y-%m-%dT%H:%M:%S}.000Z"],
            ["To:", f"{end:%Y-%m-%dT%H:%M:%S}.000Z"],
            ["Label:", ""],
            [],
        ]
    )
    writer.writerow(BRANDWATCH_HEADER)
    writer.writerows(table.fillna("").itertuples(index=False))
    (folder / name).write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return {name: len(table)}
