"""The Brightlane world written as the platforms' own export files.

Instagram, LinkedIn and the listening export are written by the demo's writers
(:mod:`tools.demo.exports`) with this client's :data:`LAYOUT`: two overlapping Meta Business
Suite exports of Instagram, LinkedIn's content export (.xlsx), a Brandwatch "Bulk Mentions
Download". TikTok, which the demo does not use, is written here as a TikTok Studio download:
``Content.csv``, ``Overview.csv``, ``Viewers.csv`` and ``Followers_<handle>.zip`` (follower
history, gender, territories, activity), in a folder named after the download day.

Each file's modification time is set to when it was downloaded (:func:`stamp`): TikTok writes
dates without a year, and the importer gives them one from the file's date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from tools.clients.b2b import world as b2b
from tools.demo import exports as demo_exports
from tools.demo.exports import Layout

TIKTOK_EXPORTED = pd.Timestamp("2026-10-01 09:31:07", tz=b2b.TZ)
LISTENING_EXPORTED = pd.Timestamp("2026-10-01 10:12:45", tz=b2b.TZ)
LAYOUT = Layout(
    brand=b2b.BRAND,
    tz=b2b.TZ,
    start=b2b.START,
    end=b2b.END,
    meta_periods=(
        (pd.Timestamp("2025-10-01"), pd.Timestamp("2026-03-31"), pd.Timestamp("2026-04-01 08:47")),
        (pd.Timestamp("2026-03-01"), pd.Timestamp("2026-09-30"), pd.Timestamp("2026-10-01 08:55")),
    ),
    meta_file_ids={"instagram": ("1252093847716204", "1287340019265531")},
    page_id="",
    instagram_id="17841460328817264",
    instagram_username=b2b.PROFILES["instagram"][0],
    linkedin_exported=pd.Timestamp("2026-10-01 09:02:41.318", tz=b2b.TZ),
    linkedin_stem="brightlane-analytics",
    linkedin_campaign=b2b.BUDGET.always_on["linkedin"],
    listening_group="Brightlane & competitors",
    query_ids={
        b2b.BRAND: 2011870345,
        "Fieldgate Software": 2011870362,
        "Quantly": 2011870377,
        "Ostara Systems": 2011870391,
    },  # fmt: skip
    language="en",
    listening_stem="brightlane",
)
TIKTOK_FOLDER = f"tiktok-studio_{TIKTOK_EXPORTED:%Y-%m-%d}"
#: Names of the files this module writes; others in ``exports/`` are left alone.
OWNED = re.compile(
    r"[A-Z][a-z]{2}-\d{2}-\d{4}_[A-Z][a-z]{2}-\d{2}-\d{4}_\d+\.csv"
    r"|brightlane-analytics_content_\d+\.xlsx"
    r"|brandwatch_bulk-mentions_brightlane_.*\.csv"
)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
#: Share of a video's lifetime views reached on its day of publication, the next day...
VIEW_DECAY = np.array([0.45, 0.25, 0.12, 0.08, 0.05, 0.03, 0.02])
#: Followers online at each hour (0 h first), as a share of the followers.
ONLINE = np.array([2, 1, 1, 0.5, 0.5, 1, 3, 6, 9, 8, 7, 8, 12, 11, 8, 8, 9, 12, 15, 18, 20, 18, 12, 6]) / 100


def write_all(world: b2b.World, folder: Path) -> dict[str, int]:
    """Write every export of ``world`` into ``folder``, dated as downloaded; data rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.iterdir()):
        if path.is_file() and OWNED.fullmatch(path.name):
            path.unlink()
        elif path.is_dir() and path.name.startswith("tiktok-studio_"):
            shutil.rmtree(path)
    posts = world.posts
    counts = demo_exports.meta_posts(posts[posts["channel"] == "instagram"], "instagram", folder, LAYOUT)
    counts |= demo_exports.linkedin_content(posts[posts["channel"] == "linkedin"], folder, LAYOUT)
    counts |= demo_exports.brandwatch_mentions(world.mentions, folder, LAYOUT)
    tiktok = world.followers[world.followers["channel"] == "tiktok"]
    counts |= tiktok_studio(posts[posts["channel"] == "tiktok"], tiktok, folder / TIKTOK_FOLDER, world.seed)
    stamp(folder)
    return counts


def downloaded(path: Path) -> pd.Timestamp:
    """When the export at ``path`` was downloaded (from its name and folder)."""
    if path.parent.name == TIKTOK_FOLDER:
        return TIKTOK_EXPORTED
    if path.name.startswith(LAYOUT.linkedin_stem):
        return LAYOUT.linkedin_exported
    for (_, _, when), file_id in zip(LAYOUT.meta_periods, LAYOUT.meta_file_ids["instagram"], strict=True):
        if path.name.endswith(f"_{file_id}.csv"):
            return when.tz_localize(b2b.TZ)
    return LISTENING_EXPORTED


def stamp(folder: Path) -> None:
    """Set each export's modification time to its download time (the date TikTok's years come from)."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        seconds = downloaded(path).timestamp()
        os.utime(path, (seconds, seconds))


# --- TikTok Studio --------------------------------------------------------------------------


def _day(values: pd.Series | pd.DatetimeIndex) -> list[str]:
    """``September 28``: TikTok's English dates, without a year."""
    return [f"{MONTH_NAMES[d.month - 1]} {d.day}" for d in pd.DatetimeIndex(values)]


def _tiktok_csv(header: tuple[str, ...], rows: list[list[object]]) -> bytes:
    """Every field quoted, ``\\n`` between rows and none after the last one."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().removesuffix("\n").encode("utf-8")


def _content(posts: pd.DataFrame) -> bytes:
    """``Content.csv``: one row per post, most viewed first; the title keeps TikTok's trailing space."""
    rows = posts.sort_values(["impressions", "unix_ms"], ascending=False, kind="stable")
    exported = _day([TIKTOK_EXPORTED.tz_localize(None)])[0]
    table = zip(
        _day(rows["local"]), rows["text"], rows["permalink"], rows["reactions"], rows["comments"],
        rows["shares"], rows["impressions"], strict=True,
    )  # fmt: skip
    return _tiktok_csv(
        ("Time", "Video title", "Video link", "Post time", "Total likes", "Total comments", "Total shares",
         "Total views"),
        [[exported, f"{text} ", link, day, *counts] for day, text, link, *counts in table],
    )  # fmt: skip


def _daily(posts: pd.DataFrame, column: str) -> np.ndarray:
    """A count of the posts spread over the days after publication, per day of the year."""
    start = ((posts["local"].dt.normalize() - b2b.START) // pd.Timedelta(days=1)).to_numpy()
    days = start[:, None] + np.arange(len(VIEW_DECAY))
    inside = days < len(b2b.DAYS)
    daily = np.zeros(len(b2b.DAYS), dtype=int)
    np.add.at(daily, days[inside], demo_exports.spread(posts[column].to_numpy(), VIEW_DECAY)[inside])
    return daily


def _overview_and_viewers(rng: np.random.Generator, posts: pd.DataFrame) -> tuple[bytes, bytes]:
    """``Overview.csv`` (views, profile views, likes, comments, shares a day) and ``Viewers.csv``."""
    views = _daily(posts, "impressions")
    likes, comments, shares = (_daily(posts, c) for c in ("reactions", "comments", "shares"))
    profile = rng.binomial(views, 0.018)
    viewers = np.round(views * rng.uniform(0.62, 0.74, len(views))).astype(int)
    new = rng.binomial(viewers, 0.68)
    days = _day(b2b.DAYS)
    overview = [
        [d, *values] for d, *values in zip(days, views, profile, likes, comments, shares, strict=True)
    ]
    daily_viewers = [[d, v, n, v - n] for d, v, n in zip(days, viewers, new, strict=True)]
    return (
        _tiktok_csv(("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"), overview),
        _tiktok_csv(
            ("Date", "Total Viewers", "New Viewers", "Returning Viewers"),
            [*daily_viewers, ["undefined", "0", "0"]],  # the day under way, one cell short
        ),
    )


def _followers_files(rng: np.random.Generator, followers: pd.DataFrame) -> dict[str, bytes]:
    """The files of ``Followers_<handle>.zip``: history, activity (the last 7 days), gender, territories."""
    net = (followers["gained"] - followers["lost"]).to_numpy()
    history = [
        [d, f, c] for d, f, c in zip(_day(followers["date"]), followers["followers"], net, strict=True)
    ]
    now = TIKTOK_EXPORTED.tz_localize(None)
    week = pd.date_range(now.normalize() - pd.Timedelta(days=6), now.normalize(), freq="D")
    size = int(followers["followers"].iloc[-1])
    active = rng.binomial(size, np.tile(ONLINE, len(week)))
    active[(len(week) - 1) * 24 + now.hour + 1 :] = 0  # hours of the export day still to come
    hours = [
        [d, h, a] for (d, h), a in zip(((d, h) for d in _day(week) for h in range(24)), active, strict=True)
    ]
    return {
        "FollowerHistory.csv": _tiktok_csv(
            ("Date", "Followers", "Difference in followers from previous day"), history
        ),
        "FollowerActivity.csv": _tiktok_csv(("Date", "Hour", "Active followers"), hours),
        "FollowerGender.csv": _tiktok_csv(
            ("Gender", "Distribution"), [list(i) for i in b2b.TIKTOK_GENDER.items()]
        ),
        "FollowerTopTerritories.csv": _tiktok_csv(
            ("Top territories", "Distribution"), [list(i) for i in b2b.TIKTOK_TERRITORIES.items()]
        ),
    }


def _zip(files: dict[str, bytes], path: Path, when: dt.datetime) -> None:
    """A zip whose entries carry the download time and are stored uncompressed (same bytes on every run)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.create_system = 0
            target.writestr(entry, data)


def tiktok_studio(posts: pd.DataFrame, followers: pd.DataFrame, folder: Path, seed: int) -> dict[str, int]:
    """One TikTok Studio download: content, overview, viewers, and the followers' zip.

    ``seed`` draws what only this download holds (profile views, viewers, followers online).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    overview, viewers = _overview_and_viewers(rng, posts)
    files = {"Content.csv": _content(posts), "Overview.csv": overview, "Viewers.csv": viewers}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    archive = f"Followers_{b2b.PROFILES['tiktok'][0]}.zip"
    _zip(
        _followers_files(rng, followers), folder / archive, TIKTOK_EXPORTED.tz_localize(None).to_pydatetime()
    )
    rows = {"Content.csv": len(posts), "Overview.csv": len(b2b.DAYS), "Viewers.csv": len(b2b.DAYS)}
    rows[archive] = len(followers)
    return {f"{TIKTOK_FOLDER}/{name}": n for name, n in rows.items()}
