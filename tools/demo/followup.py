"""The demo's follow-up months: the exports of a second monthly run, with planted adherence to the plan.

A first demo run writes ``calendar.csv`` (the plan of the horizon, from January 2027). This module
continues the demo world (:func:`tools.demo.world.continued`) over the :data:`MONTHS_ON` months
after the demo's period and writes a *scenario folder* (default ``data/scenarios/demo-followup``):

* ``exports/``: only the new export files (2026-11-01..2027-01-31), in the demo's formats and
  names (:mod:`tools.demo.exports` with :data:`LAYOUT`). Next to the demo's exports they give
  the importers fifteen months, with no post twice;
* November and December follow the world's habits. In January the brand follows the plan's
  posts due by the data's end (:data:`AS_OF`): most on time (published up to
  :data:`ON_TIME_MINUTES` after the planned time, in the planned format), some late (published
  :data:`LATE_HOURS` after), some missing, a few on time in another format, and a few posts that
  were not planned. Engagement and reach come from the world's model;
* ``tables/``: the demo's template tables as full replacements, their series continued to the
  data's end; ``brief.yaml``: the demo's brief with the period moved on (rolling twelve months);
  ``planned_calendar.csv``: the plan followed; ``truth.json``: what was planted; ``README.md``.

The planted statuses must be what :func:`helpers.method.adherence.match` finds, with no
ambiguous match. The matcher first matches as many planned posts as it can, then minimises the
hours between plan and publication (plus a penalty per format differing), so the posts are
placed by explicit rules (:func:`plant`):

* a late post's delay never spans another planned post of the same format (on a time line, two
  crossing pairs cost the same as the swapped ones: only the formats tell them apart), nor reaches
  the early window of an upcoming post;
* no planned post left without publication (missing, or upcoming) can take one more cheaply
  through a chain of shifted matches (:func:`_separated`): going forward from one planned post to
  a later one costs at least the hours between them, less twice the hours the publications on the
  way span. So a missing post lies well after any late one before it, and a late post not too
  near the first upcoming one;
* an unplanned post, and every post of November and December, stays out of every planned
  post's window, except the window of an on-time post whose own publication no other planned
  post could take, and then more than a day from it: any other free post would let the matcher
  match one more planned post by shifting a chain of them. On a network planned every day or two
  (Instagram here), that leaves no room: such a network gets no unplanned post, and
  ``truth.json`` says so;

then :func:`helpers.method.adherence.match` is run on the posts as the importers will read them
(:func:`tools.demo.world.canonical_posts_of`); any difference with the plant raises
:class:`PlantError` (a generator bug, never re-drawn).

``python -m tools.demo.followup [--calendar CSV] [--out FOLDER] [--seed N]``; the default
calendar is the scenario's committed ``planned_calendar.csv``, so the files come out byte for
byte the same. :func:`apply_followup` puts a scenario into a client folder (a copy of the demo).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.client.brief import load_brief
from helpers.config import DATA_DIR
from helpers.method import adherence
from helpers.method.planning import calendar_to_csv, read_calendar_csv
from tools.demo import exports as demo_exports
from tools.demo import world as demo
from tools.demo.generate import write_campaigns, write_client

DEFAULT_SEED = 20270201
#: The demo client whose world is continued, and where the scenario is written by default.
DEMO_DIR = DATA_DIR / "clients" / "demo"
SCENARIO_DIR = DATA_DIR / "scenarios" / "demo-followup"
#: Months of data after the demo's period: the second run comes this many months later.
MONTHS_ON = 3
FIRST_DAY = demo.END + pd.Timedelta(days=1)
LAST_DAY = demo.END + pd.DateOffset(months=MONTHS_ON)
DAYS = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
#: The data's end: planned posts after it are upcoming, not missing.
AS_OF = LAST_DAY.date()
#: Streams of the continued world, then the plan's (which posts are late, missing...).
STREAMS = (*demo.STREAMS, "plan")

#: Shares of the planned posts due by AS_OF published on time, late, and missing, per network.
SHARES = {"on_time": 0.70, "late": 0.15, "missing": 0.15}
#: A network with at least this many planned posts due gets at least one late and one missing.
EVERY_STATUS_FROM = 4
#: An on-time post is published this many minutes after its planned time (first, last).
ON_TIME_MINUTES = (2, 180)
#: A late post is published this many hours after its planned time (first, last): beyond the
#: matcher's on-time tolerance (24 h), within its late one (7 days).
LATE_HOURS = (48.0, 120.0)
#: Unplanned posts per network (fewest, most), when the plan leaves room for them.
UNPLANNED = (2, 4)
#: Share of the on-time posts published in another format than planned (rounded half up).
FORMAT_MISMATCH_SHARE = 0.20
#: Hours kept between a planted post and the edge of any window it must stay out of (the
#: matcher's times come from exports that round to the minute; this is far more than that).
CLEARANCE_HOURS = 6.0

#: The follow-up exports: one Meta export per network over the three months, downloaded the
#: day after; LinkedIn's content export downloaded the same morning.
LAYOUT = replace(
    demo_exports.DEMO,
    start=FIRST_DAY,
    end=LAST_DAY,
    meta_periods=((FIRST_DAY, LAST_DAY, pd.Timestamp("2027-02-01 09:07")),),
    meta_file_ids={"facebook": ("1268804511237790",), "instagram": ("1270516692084431",)},
    linkedin_exported=pd.Timestamp("2027-02-01 09:16:05.348", tz=demo.TZ),
)
#: When the X monthly files and the Brandwatch export were downloaded (the importers take an
#: export's date from its file's modification time: :func:`stamp` sets it).
X_EXPORTED = pd.Timestamp("2027-02-01 09:21:40", tz=demo.TZ)
LISTENING_EXPORTED = pd.Timestamp("2027-02-01 09:33:12", tz=demo.TZ)
#: What a scenario folder holds besides its exports and README.md, checked by apply_followup.
SCENARIO_FILES = ("brief.yaml", "planned_calendar.csv", "truth.json")
SCENARIO_TABLES = (*demo.TEMPLATE_TABLES, "campaigns")


class PlantError(RuntimeError):
    """The matcher does not find what the generator planted, or the plan leaves no room for it."""


# --------------------------------------------------------------------------- planting


@dataclass
class Network:
    """What is planted on one network: statuses by planned post, publication times in hours."""

    channel: str
    plan: pd.DataFrame  # the network's planned posts, by time, with ``t`` (hours, UTC)
    due: np.ndarray  # bool per planned post: its time has passed at AS_OF
    status: dict[int, str] = field(default_factory=dict)  # row -> on_time | late | missing
    published: dict[int, float] = field(default_factory=dict)  # row -> hours (UTC)
    formats: dict[int, str] = field(default_factory=dict)  # row -> published format
    unplanned: list[tuple[float, str]] = field(default_factory=list)  # (hours, format)

    def rows(self, status: str) -> list[int]:
        return sorted(r for r, s in self.status.items() if s == status)

    def mismatched(self) -> list[int]:
        fmt = self.plan["format"].to_numpy()
        return sorted(r for r, f in self.formats.items() if f != fmt[r])


def _hours(stamps: pd.Series | pd.Timestamp) -> np.ndarray | float:
    """Hours since 1970 (UTC) of aware timestamps."""
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    if isinstance(stamps, pd.Timestamp):
        return (stamps - epoch) / pd.Timedelta(hours=1)
    return ((stamps - epoch) / pd.Timedelta(hours=1)).to_numpy(dtype=float)


def _counts(due: int) -> dict[str, int]:
    """Planned posts due on a network split into on time, late and missing (:data:`SHARES`)."""
    counts = dict(zip(SHARES, demo.quota(np.array(list(SHARES.values())), due).tolist(), strict=True))
    if due >= EVERY_STATUS_FROM:
        for status in ("late", "missing"):
            if counts[status] == 0:
                counts[status], counts["on_time"] = 1, counts["on_time"] - 1
    return counts


def _covered(intervals: list[tuple[float, float]], low: float, high: float) -> float:
    """Hours of ``low``..``high`` inside the union of ``intervals``."""
    clipped = sorted((max(a, low), min(b, high)) for a, b in intervals if b > low and a < high)
    total, reach = 0.0, low
    for a, b in clipped:
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


def _separated(net: Network, tol: adherence.Tolerance) -> bool:
    """Whether no planned post left without publication could take a published one in a cheaper
    assignment (the matcher keeps as many matches, so it would free another planned post).

    Such an alternative is a chain: the unmatched post ``m`` takes the publication of ``k1``,
    ``k1`` that of ``k2``... up to a post ``j`` left without one. On a time line its cost grows
    by (t_j − t_m) + 2 × (hours moved early) + (format penalties). Moving forward, from ``j`` to a
    later ``m``, is early except inside the spans [planned, published] of the posts on the way,
    so the growth is at least (t_m − t_j) − 2 × (hours of those spans between them); each post
    published in another format may take a format penalty off. Every such bound must exceed
    :data:`CLEARANCE_HOURS`. Due posts not decided yet count as on time, as late as allowed.
    """
    t = net.plan["t"].to_numpy()
    unmatched = [r for r in range(len(t)) if not net.due[r] or net.status.get(r) == "missing"]
    matched = [r for r in np.flatnonzero(net.due).tolist() if net.status.get(r) != "missing"]
    spans = [(t[r], net.published.get(r, t[r] + ON_TIME_MINUTES[1] / 60)) for r in matched]
    off = t[net.mismatched()] if net.formats else np.array([])
    for m in unmatched:
        for j in matched:
            low, high = sorted((t[j], t[m]))
            penalties = tol.format_penalty * int(((off >= low) & (off <= high)).sum())
            if t[j] < t[m]:
                growth = (t[m] - t[j]) - 2 * _covered(spans, t[j], t[m]) - penalties
            else:
                growth = (t[j] - t[m]) - penalties
            if growth <= CLEARANCE_HOURS:
                return False
    return True


def _pick(
    rng: np.random.Generator, net: Network, status: str, n: int, place, tol: adherence.Tolerance
) -> None:
    """Give ``status`` to ``n`` due planned posts, tried in a random order: ``place(row)`` sets
    what it needs and says whether the post may have the status; a post that leaves the plan not
    :func:`_separated` is given up. Raises when fewer than ``n`` posts fit."""
    done = 0
    for row in rng.permutation(np.flatnonzero(net.due)).tolist():
        if done == n:
            return
        if row in net.status:
            continue
        net.status[row] = status
        if place(row) and _separated(net, tol):
            done += 1
            continue
        del net.status[row]
        net.published.pop(row, None)
        net.formats.pop(row, None)
    if done < n:
        raise PlantError(
            f"{net.channel}: the plan leaves room for {done} {status} post(s), {n} wanted "
            f"({int(net.due.sum())} planned posts due by {AS_OF})"
        )


def _late_limit(net: Network, row: int, end: float, tol: adherence.Tolerance) -> float:
    """The longest delay (hours) a late publication of ``row`` may have: published before the
    data's end, not over another planned post of its format (the two pairs could swap at the same
    cost), nor within the early window of an upcoming post."""
    t, fmt, upcoming = net.plan["t"].to_numpy(), net.plan["format"].to_numpy(), ~net.due
    limit = min(LATE_HOURS[1], end - CLEARANCE_HOURS - t[row])
    after = t > t[row]
    same = after & (fmt == fmt[row])
    if same.any():
        limit = min(limit, t[same].min() - t[row] - CLEARANCE_HOURS)
    ahead = after & upcoming
    if ahead.any():
        limit = min(limit, t[ahead].min() - tol.early - CLEARANCE_HOURS - t[row])
    return limit


def _isolated(net: Network, tol: adherence.Tolerance) -> np.ndarray:
    """Planned posts published on time whose publication lies in no other planned post's window."""
    t = net.plan["t"].to_numpy()
    out = np.zeros(len(t), dtype=bool)
    for row in net.rows("on_time"):
        x = net.published[row]
        inside = (x - t >= -tol.early) & (x - t <= tol.late)
        inside[row] = False
        out[row] = not inside.any()
    return out


def _free(net: Network, x: float, tol: adherence.Tolerance, isolated: np.ndarray) -> bool:
    """Whether a post no planned post stands for may be published at ``x`` (hours): in no
    planned post's window (with the clearance), or only in windows of isolated on-time posts and
    more than the on-time tolerance (and the clearance) away from their times."""
    t = net.plan["t"].to_numpy()
    inside = (x >= t - tol.early - CLEARANCE_HOURS) & (x <= t + tol.late + CLEARANCE_HOURS)
    far = np.abs(x - t) > tol.on_time + CLEARANCE_HOURS
    return not (inside & ~(isolated & far)).any()


def plant(
    rng: np.random.Generator,
    plan: pd.DataFrame,
    first: float,
    end: float,
    as_of: float,
    tol: adherence.Tolerance,
) -> Network:
    """Plant one network's statuses and publication times (see the module's rules).

    Args:
        rng: the plan's random stream.
        plan: the network's planned posts (``post_no``, ``start`` aware, ``format``).
        first: the first hour (UTC) an unplanned post may have (the plan's first day).
        end: the hour (UTC) the data ends (the last day's end, local).
        as_of: the hour (UTC) the matcher takes as the data's end.
        tol: the matcher's tolerance.

    Raises:
        PlantError: the plan leaves no room for the wanted late or missing posts.
    """
    plan = plan.sort_values("start", kind="stable").reset_index(drop=True)
    plan["t"] = _hours(plan["start"].dt.tz_convert("UTC"))
    net = Network(str(plan["channel"].iloc[0]), plan, plan["t"].to_numpy() <= as_of)
    t, fmt = plan["t"].to_numpy(), plan["format"].to_numpy()
    counts = _counts(int(net.due.sum()))

    def late(row: int) -> bool:
        limit = _late_limit(net, row, end, tol)
        if limit < LATE_HOURS[0]:
            return False
        net.published[row] = t[row] + round(rng.uniform(LATE_HOURS[0], limit) * 60) / 60
        net.formats[row] = fmt[row]
        return True

    _pick(rng, net, "late", counts["late"], late, tol)
    _pick(rng, net, "missing", counts["missing"], lambda row: True, tol)
    for row in np.flatnonzero(net.due).tolist():
        if row in net.status:
            continue
        net.status[row] = "on_time"
        later = t[t > t[row]]
        room = ON_TIME_MINUTES[1]
        if len(later):
            room = min(room, int((later.min() - t[row] - CLEARANCE_HOURS) * 60))
        if room < ON_TIME_MINUTES[0]:
            raise PlantError(f"{net.channel}: post {plan['post_no'].iloc[row]} has no room to be on time")
        net.published[row] = t[row] + int(rng.integers(ON_TIME_MINUTES[0], room + 1)) / 60
        net.formats[row] = fmt[row]
    _mismatch(rng, net, tol)
    _unplanned(rng, net, first, end, tol)
    return net


def _mismatch(rng: np.random.Generator, net: Network, tol: adherence.Tolerance) -> None:
    """Publish :data:`FORMAT_MISMATCH_SHARE` of the on-time posts in another format, keeping the
    plan :func:`_separated`, never over a late post's span (the pairs could swap at the same cost)."""
    on_time = net.rows("on_time")
    wanted = math.floor(FORMAT_MISMATCH_SHARE * len(on_time) + 0.5)
    t, fmt = net.plan["t"].to_numpy(), net.plan["format"].to_numpy()
    spans = [(t[r], net.published[r] + CLEARANCE_HOURS) for r in net.rows("late")]
    for row in rng.permutation(on_time).tolist():
        if len(net.mismatched()) == wanted:
            return
        options = [f for f in demo.FORMATS[net.channel] if f not in (fmt[row], "story")]
        if not options or any(a <= t[row] <= b for a, b in spans):
            continue
        net.formats[row] = str(rng.choice(options))
        if not _separated(net, tol):
            net.formats[row] = fmt[row]


def _unplanned(
    rng: np.random.Generator, net: Network, first: float, end: float, tol: adherence.Tolerance
) -> None:
    """Place :data:`UNPLANNED` posts where the plan leaves room (:func:`_free`), one a day at most."""
    isolated = _isolated(net, tol)
    wanted = int(rng.integers(UNPLANNED[0], UNPLANNED[1] + 1))
    start = pd.Timestamp(first * 3600, unit="s", tz="UTC").tz_convert(demo.TZ).tz_localize(None).normalize()
    days = pd.date_range(start, LAST_DAY, freq="D")
    weights = demo.POST_HOUR_WEIGHTS / demo.POST_HOUR_WEIGHTS.sum()
    local = days + pd.to_timedelta(
        rng.choice(demo.POST_HOURS, len(days), p=weights) * 60 + rng.integers(0, 60, len(days)), unit="min"
    )
    at = _hours(pd.Series(local.tz_localize(demo.TZ).tz_convert("UTC")))
    room = [x for x in at.tolist() if first <= x <= end - CLEARANCE_HOURS and _free(net, x, tol, isolated)]
    picked = sorted(rng.choice(room, min(wanted, len(room)), replace=False).tolist()) if room else []
    names = list(demo.FORMATS[net.channel])
    shares = np.array([demo.FORMATS[net.channel][f][0] for f in names])
    net.unplanned = [(x, str(rng.choice(names, p=shares / shares.sum()))) for x in picked]


# --------------------------------------------------------------------------- the posts


def _local(hours: float) -> pd.Timestamp:
    """The naive local time (the world's ``local``) of an hour since 1970, UTC (to the second)."""
    return pd.Timestamp(round(hours * 3600), unit="s", tz="UTC").tz_convert(demo.TZ).tz_localize(None)


def _publications(
    rng: np.random.Generator, nets: dict[str, Network], followed_from: pd.Timestamp, tol: adherence.Tolerance
) -> pd.DataFrame:
    """What the brand publishes: the habits before ``followed_from`` (kept out of the plan's
    windows, :func:`_free`), then the planted posts; ``post_no`` and ``planted`` say which is which."""
    habits = demo.schedule(rng, DAYS[DAYS < followed_from])
    at = _hours(habits["local"].dt.tz_localize(demo.TZ).dt.tz_convert("UTC"))
    isolated = {channel: _isolated(net, tol) for channel, net in nets.items()}
    keep = [
        channel not in nets or _free(nets[channel], x, tol, isolated[channel])
        for channel, x in zip(habits["channel"], at, strict=True)
    ]
    habits = habits[keep].assign(post_no=pd.NA, planted="habit")
    rows = []
    for channel, net in nets.items():
        numbers = net.plan["post_no"].to_numpy()
        for row, hours in sorted(net.published.items()):
            rows.append((_local(hours), channel, net.formats[row], int(numbers[row]), net.status[row]))
        rows += [(_local(x), channel, fmt, pd.NA, "unplanned") for x, fmt in net.unplanned]
    planted = pd.DataFrame(rows, columns=["local", "channel", "format", "post_no", "planted"])
    planted.insert(3, "paid", rng.random(len(planted)) < demo.PAID_SHARE)
    frame = pd.concat([habits, planted], ignore_index=True)
    frame["post_no"] = frame["post_no"].astype("Int64")
    return frame


def _check(calendar: pd.DataFrame, published: pd.DataFrame, nets: dict[str, Network], horizon: tuple) -> None:
    """Run the matcher on the posts as the importers read them; raise unless it finds the plant.

    ``published`` is the canonical posts table with the plant's ``post_no`` and ``planted``.
    """
    problems = []
    expected_unplanned = set(published.loc[published["planted"] == "unplanned", "post_id"])
    by_no = published.dropna(subset=["post_no"]).set_index("post_no")
    mismatched = {int(net.plan["post_no"].iloc[r]) for net in nets.values() for r in net.mismatched()}
    for span in (None, horizon):
        found = adherence.match(calendar, published, as_of=AS_OF, horizon=span)
        if found["ambiguous"].any():
            problems.append(f"ambiguous matches: {found.loc[found['ambiguous'], 'post_no'].tolist()}")
        for _, row in found.dropna(subset=["post_no"]).iterrows():
            no = int(row["post_no"])
            want = by_no["planted"].get(no, "missing")
            if want == "missing" and row["planned_at"] > pd.Timestamp(AS_OF, tz="UTC") + pd.Timedelta(days=1):
                want = "upcoming"
            if row["status"] != want:
                problems.append(f"post_no {no}: matcher says {row['status']}, planted {want}")
            elif want in adherence.PUBLISHED and row["post_id"] != by_no.loc[no, "post_id"]:
                problems.append(
                    f"post_no {no}: matched with {row['post_id']}, planted {by_no.loc[no, 'post_id']}"
                )
        got = set(found.loc[found["status"] == "unplanned", "post_id"])
        if got != expected_unplanned:
            problems.append(f"unplanned: matcher finds {sorted(got)}, planted {sorted(expected_unplanned)}")
        wrong = set(found.loc[found["format_match"].eq(False).fillna(False), "post_no"].astype(int))
        if wrong != mismatched:
            problems.append(f"format mismatches: matcher finds {sorted(wrong)}, planted {sorted(mismatched)}")
    if problems:
        raise PlantError("the matcher does not find the planted statuses: " + "; ".join(problems[:10]))


def _truth(nets: dict[str, Network], published: pd.DataFrame, seed: int, periods: dict) -> dict:
    """What was planted, per network: counts, and which planned posts are late, missing, off format."""
    networks = {}
    for channel, net in sorted(nets.items()):
        nos = net.plan["post_no"].to_numpy()
        off = net.mismatched()
        ids = published.loc[
            (published["channel"] == channel) & (published["planted"] == "unplanned"), "post_id"
        ]
        networks[channel] = {
            "planned_due": int(net.due.sum()),
            "upcoming": int((~net.due).sum()),
            "on_time": len(net.rows("on_time")),
            "late": len(net.rows("late")),
            "missing": len(net.rows("missing")),
            "unplanned": len(net.unplanned),
            "format_mismatch": len(off),
            "late_post_no": sorted(int(nos[r]) for r in net.rows("late")),
            "missing_post_no": sorted(int(nos[r]) for r in net.rows("missing")),
            "format_mismatch_post_no": sorted(int(nos[r]) for r in off),
            "unplanned_post_id": sorted(str(i) for i in ids),
        }
    total = {
        k: sum(n[k] for n in networks.values())
        for k in ("on_time", "late", "missing", "unplanned", "format_mismatch")
    }
    return {
        "seed": seed,
        "as_of": AS_OF.isoformat(),
        "periods": periods,
        "networks": networks,
        "total": total,
    }


# --------------------------------------------------------------------------- the scenario folder


@functools.lru_cache(maxsize=1)
def _demo_world() -> demo.World:
    """The demo's own world (its default seed: what data/clients/demo holds); read, never changed."""
    return demo.build()


def _calendar(calendar: pd.DataFrame | str | Path) -> pd.DataFrame:
    if isinstance(calendar, pd.DataFrame):
        return calendar.copy()
    path = Path(calendar)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: calendar not found (a run's calendar.csv is expected)")
    return read_calendar_csv(path)


def moved_brief(text: str, start: dt.date, end: dt.date) -> str:
    """The brief's text with its ``period`` block's two dates replaced, everything else kept.

    Raises:
        ValueError: the text has no ``period:`` block with ``start:`` and ``end:`` lines.
    """
    pattern = re.compile(r"^(period:\n(?:[ \t]*#.*\n)*[ \t]+start:[ \t]*)\S+(.*\n[ \t]+end:[ \t]*)\S+", re.M)
    moved, n = pattern.subn(rf"\g<1>{start.isoformat()}\g<2>{end.isoformat()}", text, count=1)
    if n != 1:
        raise ValueError("brief.yaml: no 'period:' block with 'start:' then 'end:' lines to move on")
    return moved


README = """# Scenario: the demo's follow-up months

Atelier Sève's exports of the {months} months after the demo's period ({first} → {last}), as the
agency downloads them for its monthly report. In November and December the brand posts as it always
did; in January it followed the content calendar of a first demo run (`planned_calendar.csv`):
most posts went out on time, some late ({late} days), some not at all, a few in another format than
planned, and a few posts were not planned. `truth.json` lists what was planted, network by network;
Instagram, planned almost every day, has no unplanned post (an extra post there reads as a shifted
planned one). `tables/` holds the demo's tables continued to {last}; `brief.yaml` is the demo's
brief over the last twelve months ({start} → {last}), its horizon unchanged.

To use it, copy the demo client and apply the scenario to the copy
(`tools.demo.followup.apply_followup(copy, scenario)`): its exports join the demo's (fifteen months,
no post twice), its tables and brief replace the demo's. Then run the copy again
(`workbook run demo --clients-dir DIR`): it compares with the first run, and step 07, matching the
plan with the posts, finds the counts of `truth.json`. `python -m tools.demo.followup` (or
`make demo-data`) writes the same files again, byte for byte; never apply it to `data/clients/demo`.
"""


def downloaded(path: Path) -> pd.Timestamp:
    """When the follow-up export at ``path`` was downloaded (from its name).

    Raises:
        ValueError: ``path`` is not one of the follow-up's exports.
    """
    name = path.name
    if any(name.endswith(f"_{ids[0]}.csv") for ids in LAYOUT.meta_file_ids.values()):
        return LAYOUT.meta_periods[0][2].tz_localize(demo.TZ)
    if name.startswith(f"{LAYOUT.linkedin_stem}_content_"):
        return LAYOUT.linkedin_exported
    if name.startswith("tweet_activity_metrics_"):
        return X_EXPORTED
    if name.startswith("brandwatch_bulk-mentions_"):
        return LISTENING_EXPORTED
    raise ValueError(f"{path}: not an export of the follow-up scenario")


def stamp(paths: list[Path]) -> None:
    """Set each export's modification time to its download time: the importers read a file's
    time as the day it was exported, and flag posts after it (a checkout or a copy makes it now)."""
    for path in paths:
        seconds = downloaded(path).timestamp()
        os.utime(path, (seconds, seconds))


def generate_followup(
    calendar: pd.DataFrame | str | Path | None = None, out: Path = SCENARIO_DIR, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Write the follow-up scenario folder (see the module's docstring).

    Args:
        calendar: the plan followed in January (a run's ``calendar.csv`` or its table as read by
            :func:`helpers.method.planning.read_calendar_csv`); default the scenario's committed
            ``planned_calendar.csv``.
        out: the scenario folder (created if missing; the files this writes are replaced).
        seed: seed of the follow-up's draws (the demo's own world keeps its seed).

    Returns:
        Data rows written per file, by path relative to ``out``.

    Raises:
        FileNotFoundError: the calendar file does not exist.
        ValueError: the calendar lacks a column or plans nothing after the demo's period.
        PlantError: the plan leaves no room for the planted statuses, or the matcher does not
            find them (a generator bug).
    """
    out = Path(out)
    source = SCENARIO_DIR / "planned_calendar.csv" if calendar is None else calendar
    plan = _calendar(source)
    missing = [c for c in adherence.PLANNED_NEEDS if c not in plan]
    if missing:
        raise ValueError(
            f"calendar: missing column(s) {', '.join(missing)} (a run's calendar.csv is expected)"
        )
    if plan.empty:
        raise ValueError(
            "calendar: no planned post (a run's calendar.csv with the horizon's posts is expected)"
        )
    brief_text = (DEMO_DIR / "brief.yaml").read_text(encoding="utf-8")
    brief = load_brief(DEMO_DIR / "brief.yaml")
    followed_from = pd.Timestamp(brief.horizon.start)
    first_planned = plan["start"].min().tz_convert(demo.TZ).tz_localize(None)
    if not first_planned >= followed_from > demo.END:
        raise ValueError(
            f"calendar: its first post is on {first_planned:%Y-%m-%d}; the follow-up needs a plan from the "
            f"demo's horizon ({brief.horizon.start}), after its period ({brief.period.end})"
        )
    tol = adherence.Tolerance()
    rngs = demo.streams(seed, STREAMS)
    end = float(_hours(pd.Timestamp(LAST_DAY + pd.Timedelta(days=1), tz=demo.TZ).tz_convert("UTC")))
    as_of = float(_hours(pd.Timestamp(AS_OF, tz="UTC") + pd.Timedelta(days=1)))
    first = float(_hours(pd.Timestamp(first_planned.normalize(), tz=demo.TZ).tz_convert("UTC")))
    nets = {
        str(channel): plant(rngs["plan"], rows, first, end, as_of, tol)
        for channel, rows in plan.groupby("channel", sort=True)
    }
    world = demo.continued(
        _demo_world(), DAYS, rngs, planned=_publications(rngs["plan"], nets, followed_from, tol)
    )
    published = demo.canonical_posts_of(world.posts)
    published[["post_no", "planted"]] = world.posts[["post_no", "planted"]].to_numpy()
    _check(plan, published, nets, (brief.horizon.start, brief.horizon.end))

    start = (pd.Timestamp(brief.period.start) + pd.DateOffset(months=MONTHS_ON)).date()
    periods = {
        "data": {"start": f"{FIRST_DAY:%Y-%m-%d}", "end": f"{LAST_DAY:%Y-%m-%d}"},
        "followed": {"start": f"{followed_from:%Y-%m-%d}", "end": f"{LAST_DAY:%Y-%m-%d}"},
        "brief": {"start": start.isoformat(), "end": AS_OF.isoformat()},
        "previous_brief": {"start": brief.period.start.isoformat(), "end": brief.period.end.isoformat()},
        "horizon": {"start": brief.horizon.start.isoformat(), "end": brief.horizon.end.isoformat()},
    }
    tables = demo.joined(_demo_world(), world)
    counts = write_client(out, tables, lambda folder: demo_exports.write_all(world, folder, LAYOUT))
    counts["tables/campaigns.csv"] = write_campaigns(world.campaigns, out / "tables")
    exported = sorted(name for name in counts if name.startswith("exports/"))
    stamp([out / name for name in exported])
    truth = {**_truth(nets, published, seed, periods), "exports": exported}
    (out / "brief.yaml").write_text(moved_brief(brief_text, start, AS_OF), encoding="utf-8")
    target = out / "planned_calendar.csv"
    if isinstance(source, pd.DataFrame):
        calendar_to_csv(source, target)
    elif Path(source).resolve() != target.resolve():
        shutil.copyfile(source, target)
    counts["planned_calendar.csv"] = len(plan)
    text = json.dumps(truth, indent=2, ensure_ascii=False, allow_nan=False)
    (out / "truth.json").write_text(text + "\n", encoding="utf-8")
    readme = README.format(
        months=MONTHS_ON,
        first=f"{FIRST_DAY:%Y-%m-%d}",
        last=f"{LAST_DAY:%Y-%m-%d}",
        start=start,
        late=f"{LATE_HOURS[0] / 24:g} to {LATE_HOURS[1] / 24:g}",
    )
    (out / "README.md").write_text(readme, encoding="utf-8")
    return counts


def apply_followup(client_folder: Path, scenario: Path = SCENARIO_DIR) -> list[str]:
    """Put a scenario into a client folder: its exports added to ``exports/``, its tables and
    brief replacing the client's. Meant for a copy of the demo client, never the demo itself.

    Args:
        client_folder: the client folder (with ``exports/``, ``tables/`` and ``brief.yaml``).
        scenario: the scenario folder (:func:`generate_followup`).

    Returns:
        The files written, relative to ``client_folder``.

    Raises:
        FileNotFoundError: the scenario or the client folder is incomplete (the message lists
            what is missing).
        ValueError: ``client_folder`` is the demo client's own folder, or the scenario's
            ``truth.json`` does not list its exports.
    """
    client_folder, scenario = Path(client_folder), Path(scenario)
    if client_folder.resolve() == DEMO_DIR.resolve():
        raise ValueError(f"{client_folder}: the demo client itself; apply the scenario to a copy of it")
    needed = [*SCENARIO_FILES, *(f"tables/{name}.csv" for name in SCENARIO_TABLES)]
    absent = [name for name in needed if not (scenario / name).is_file()]
    exports = []
    if "truth.json" not in absent:
        try:
            exports = list(json.loads((scenario / "truth.json").read_text(encoding="utf-8"))["exports"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{scenario / 'truth.json'}: unreadable, or no 'exports' list ({exc})") from None
        absent += [name for name in exports if not (scenario / name).is_file()]
    if absent:
        raise FileNotFoundError(f"{scenario}: incomplete scenario folder, missing {', '.join(absent)}")
    absent = [name for name in ("brief.yaml", "exports", "tables") if not (client_folder / name).exists()]
    if absent:
        raise FileNotFoundError(f"{client_folder}: not a client folder, missing {', '.join(absent)}")
    for name in exports:
        shutil.copyfile(scenario / name, client_folder / name)
    stamp([client_folder / name for name in exports])
    written = list(exports)
    for name in SCENARIO_TABLES:
        shutil.copyfile(scenario / "tables" / f"{name}.csv", client_folder / "tables" / f"{name}.csv")
        written.append(f"tables/{name}.csv")
    shutil.copyfile(scenario / "brief.yaml", client_folder / "brief.yaml")
    return [*written, "brief.yaml"]


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m tools.demo.followup [--calendar CSV] [--out FOLDER] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.demo.followup",
        description="Write the demo's follow-up scenario: the next months' exports, the plan, the truth.",
    )
    parser.add_argument(
        "--calendar",
        type=Path,
        default=None,
        help="the calendar.csv followed (default: the scenario's committed planned_calendar.csv)",
    )
    parser.add_argument(
        "--out", type=Path, default=SCENARIO_DIR, help="scenario folder (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        counts = generate_followup(args.calendar, args.out, args.seed)
    except (FileNotFoundError, ValueError, PlantError) as exc:
        parser.exit(2, f"error: {exc}\n")
    for name, rows in counts.items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
