"""The demo's follow-up scenario (tools/demo/followup.py, data/scenarios/demo-followup).

The planting rules are checked on small hand-made plans against the matcher
(:func:`helpers.method.adherence.match`); the committed scenario is checked as a second run would
read it: its exports through the project's importers, matched with the plan it followed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.client import imports, loading, snapshot
from helpers.method import adherence
from helpers.method.planning import read_calendar_csv
from tools.demo import followup
from tools.demo import world as demo

SCENARIO = followup.SCENARIO_DIR
DEMO_DIR = followup.DEMO_DIR
TZ = "Europe/Paris"
TOL = adherence.Tolerance()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in _files(folder).items()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The scenario generated from its committed calendar into a temporary folder, and the demo
    client's files before and after."""
    before = _digest(DEMO_DIR)
    out = tmp_path_factory.mktemp("followup")
    counts = followup.generate_followup(None, out)
    return {"out": out, "counts": counts, "before": before, "after": _digest(DEMO_DIR)}


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((SCENARIO / "truth.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- hand-made plans


def _plan(*rows: tuple[str, str], channel: str = "facebook") -> pd.DataFrame:
    """Planned posts of one network: (local time, format), numbered from 1."""
    return pd.DataFrame(
        {
            "post_no": range(1, len(rows) + 1),
            "start": [pd.Timestamp(when, tz=TZ) for when, _ in rows],
            "channel": channel,
            "format": [fmt for _, fmt in rows],
        }
    )


def _hours(when: str) -> float:
    return float(followup._hours(pd.Timestamp(when, tz=TZ).tz_convert("UTC")))


def _published(net: followup.Network) -> pd.DataFrame:
    """The network's planted posts as a posts table (ids p<post_no>, u<k> for the unplanned)."""
    rows = [(f"p{net.plan['post_no'].iloc[r]}", x, net.formats[r]) for r, x in sorted(net.published.items())]
    rows += [(f"u{k}", x, fmt) for k, (x, fmt) in enumerate(net.unplanned)]
    return pd.DataFrame(
        {
            "post_id": [r[0] for r in rows],
            "channel": net.channel,
            "published_at": pd.to_datetime([round(r[1] * 3600) for r in rows], unit="s", utc=True),
            "format": [r[2] for r in rows],
        }
    )


def _statuses(found: pd.DataFrame) -> dict[int, str]:
    return {int(no): s for no, s in zip(found["post_no"], found["status"], strict=True) if pd.notna(no)}


AS_OF = dt.date(2027, 1, 31)
WEEKLY = _plan(
    ("2027-01-07 18:00", "photo"),
    ("2027-01-14 18:00", "link"),
    ("2027-01-21 18:00", "video"),
    ("2027-01-28 18:00", "photo"),
    ("2027-02-04 18:00", "text"),
    ("2027-02-11 18:00", "photo"),
)


def _plant(plan: pd.DataFrame, seed: int = 7) -> followup.Network:
    return followup.plant(
        np.random.default_rng(seed),
        plan,
        first=float(followup._hours(plan["start"].min().normalize().tz_convert("UTC"))),  # its first day
        end=_hours("2027-02-01 00:00"),
        as_of=_hours("2027-02-01 01:00"),
        tol=TOL,
    )


@pytest.mark.parametrize("seed", range(6))
def test_a_weekly_plan_gets_every_status_and_the_matcher_finds_them(seed: int) -> None:
    net = _plant(WEEKLY, seed)
    assert sorted(net.status.values()) == ["late", "missing", "on_time", "on_time"]
    assert 2 <= len(net.unplanned) <= 4
    found = adherence.match(WEEKLY, _published(net), as_of=AS_OF)
    planted = {int(net.plan["post_no"].iloc[r]): s for r, s in net.status.items()}
    assert _statuses(found) == {**planted, 5: "upcoming", 6: "upcoming"}
    assert (found["status"] == "unplanned").sum() == len(net.unplanned)
    assert not found["ambiguous"].any()
    for r, x in net.published.items():
        delay = x - net.plan["t"].iloc[r]
        low, high = (48, 120) if net.status[r] == "late" else (2 / 60, 3)
        assert low <= delay <= high


def test_a_daily_plan_leaves_no_room_for_an_unplanned_post() -> None:
    days = pd.date_range("2027-01-14", "2027-02-06", freq="D")
    formats = ("reel", "photo", "carousel")
    plan = _plan(*((f"{d:%Y-%m-%d} 18:00", formats[k % 3]) for k, d in enumerate(days)), channel="instagram")
    net = _plant(plan)
    assert net.unplanned == []
    assert {"late", "missing"} <= set(net.status.values())
    found = adherence.match(plan, _published(net), as_of=AS_OF)
    assert not found["ambiguous"].any()
    assert {k: v for k, v in _statuses(found).items() if v != "upcoming"} == {
        int(net.plan["post_no"].iloc[r]): s for r, s in net.status.items()
    }


CHAIN = _plan(
    ("2027-01-01 12:00", "reel"),
    ("2027-01-03 09:00", "photo"),
    ("2027-01-04 18:00", "carousel"),
    ("2027-01-10 09:00", "carousel"),
    ("2027-01-12 19:00", "photo"),
    ("2027-01-16 12:00", "reel"),
    channel="instagram",
)
#: Publications of CHAIN's posts: two late ones (2, 3), the others on time.
CHAIN_PUBLISHED = {
    0: "2027-01-01 12:40", 1: "2027-01-06 17:13", 2: "2027-01-08 12:13", 3: "2027-01-10 11:59",
    4: "2027-01-12 19:20", 5: "2027-01-16 12:30",
}  # fmt: skip


@pytest.mark.parametrize(("missing", "separated"), [(4, False), (0, True)])
def test_a_missing_post_a_chain_of_shifts_could_take_is_refused(missing: int, separated: bool) -> None:
    """Two late posts, then a missing one a few days on: shifting three posts forward costs less
    than the two delays, so the matcher reads the plan otherwise, and the rule refuses it; a
    missing post before the late ones is read as planted, and the rule accepts it."""
    published = {r: w for r, w in CHAIN_PUBLISHED.items() if r != missing}
    status = {r: "late" if r in (1, 2) else "on_time" for r in published} | {missing: "missing"}
    plan = CHAIN.assign(t=followup._hours(CHAIN["start"].dt.tz_convert("UTC")))
    net = followup.Network("instagram", plan, np.ones(len(plan), dtype=bool), status)
    net.published = {r: _hours(when) for r, when in published.items()}
    net.formats = {r: plan["format"].iloc[r] for r in published}
    assert followup._separated(net, TOL) is separated
    found = adherence.match(CHAIN, _published(net), as_of=AS_OF)
    planted = {r + 1: s for r, s in status.items()}
    assert (_statuses(found) == planted) is separated
    assert not found["ambiguous"].any()


def test_a_plan_without_room_for_a_late_post_is_refused() -> None:
    """Posts of one format every 20 hours up to the data's end: a delay of two days would span
    the next post, or pass the end."""
    plan = _plan(*((f"2027-01-{d} {h:02d}:00", "photo") for d, h in ((29, 0), (29, 20), (30, 16), (31, 12))))
    with pytest.raises(followup.PlantError, match="facebook: the plan leaves room for 0 late post"):
        _plant(plan)


def test_moved_brief_changes_the_period_lines_only() -> None:
    text = (
        "# a comment\nperiod:\n  # the year analysed\n  start: 2025-11-01\n  end: 2026-10-31  # end\n"
        "\nhorizon:\n  start: 2027-01-01\n  end: 2027-03-31\n"
    )
    moved = followup.moved_brief(text, dt.date(2026, 2, 1), dt.date(2027, 1, 31))
    assert moved == text.replace("2025-11-01", "2026-02-01").replace("2026-10-31", "2027-01-31")
    with pytest.raises(ValueError, match="no 'period:' block"):
        followup.moved_brief("horizon:\n  start: 2027-01-01\n", dt.date(2026, 2, 1), dt.date(2027, 1, 31))


# --------------------------------------------------------------------------- the committed scenario


def test_the_committed_scenario_is_what_the_generator_writes(written: dict) -> None:
    committed, fresh = _files(SCENARIO), _files(written["out"])
    assert sorted(committed) == sorted(fresh)
    for name, data in fresh.items():
        assert committed[name] == data, f"{name} differs: run python -m tools.demo.followup"
    assert {f"exports/{p.name}" for p in (written["out"] / "exports").iterdir()} == {
        name for name in written["counts"] if name.startswith("exports/")
    }


def test_the_same_seed_gives_the_same_files(written: dict, tmp_path: Path) -> None:
    followup.generate_followup(written["out"] / "planned_calendar.csv", tmp_path)
    assert _files(tmp_path) == _files(written["out"])


def test_generating_leaves_the_demo_client_alone(written: dict) -> None:
    assert written["after"] == written["before"]


def test_truth_is_strict_json_with_every_network(truth: dict) -> None:
    def refuse(value: str) -> None:
        raise ValueError(f"non-finite number in truth.json: {value}")

    json.loads((SCENARIO / "truth.json").read_text(encoding="utf-8"), parse_constant=refuse)
    assert truth["as_of"] == "2027-01-31"
    assert truth["periods"]["brief"] == {"start": "2026-02-01", "end": "2027-01-31"}
    assert set(truth["networks"]) == {"facebook", "instagram", "linkedin", "x"}
    for channel, counts in truth["networks"].items():
        assert counts["on_time"] + counts["late"] + counts["missing"] == counts["planned_due"], channel
        assert counts["late"] >= 1 and counts["missing"] >= 1, channel
    assert truth["total"]["format_mismatch"] >= 1 and truth["total"]["unplanned"] >= 6


def test_the_imported_exports_match_the_plan_as_planted(written: dict, truth: dict) -> None:
    """The scenario's exports through the importers, matched with the plan followed: the matcher
    finds exactly the planted statuses, with no ambiguity, over the horizon of the brief or the plan."""
    posts = imports.import_paths([written["out"] / "exports"], tz=TZ).tables["posts"]
    plan = read_calendar_csv(SCENARIO / "planned_calendar.csv")
    as_of = dt.date.fromisoformat(truth["as_of"])
    horizon = tuple(dt.date.fromisoformat(truth["periods"]["horizon"][k]) for k in ("start", "end"))
    for span in (None, horizon):
        found = adherence.match(plan, posts, as_of=as_of, horizon=span)
        assert not found["ambiguous"].any()
        counts = adherence.adherence(found).set_index("channel")
        for channel, want in truth["networks"].items():
            mine = found[found["channel"] == channel]
            for status in ("on_time", "late", "missing", "unplanned"):
                assert counts.loc[channel, status] == want[status], (channel, status)
            assert counts.loc[channel, "due"] == want["planned_due"], channel
            assert sorted(mine.loc[mine["status"] == "late", "post_no"]) == want["late_post_no"]
            assert sorted(mine.loc[mine["status"] == "missing", "post_no"]) == want["missing_post_no"]
            off = mine.loc[mine["format_match"].eq(False).fillna(False), "post_no"]
            assert sorted(off) == want["format_mismatch_post_no"], channel
            unplanned = mine.loc[mine["status"] == "unplanned", "post_id"]
            numbers = unplanned.str.extract(r"(\d+)/?$")[0]  # the platform's number, bare or in a URN
            assert sorted(numbers) == want["unplanned_post_id"], channel


def test_the_brief_moves_its_period_only(truth: dict) -> None:
    old = (DEMO_DIR / "brief.yaml").read_text(encoding="utf-8").splitlines()
    new = (SCENARIO / "brief.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    period = truth["periods"]["brief"]
    assert changed == [
        ("  start: 2025-11-01", f"  start: {period['start']}"),
        ("  end: 2026-10-31", f"  end: {period['end']}"),
    ]


@pytest.mark.parametrize("name", [*demo.TEMPLATE_TABLES, "campaigns"])
def test_the_tables_continue_the_demo(name: str) -> None:
    old = (DEMO_DIR / "tables" / f"{name}.csv").read_text(encoding="utf-8")
    new = (SCENARIO / "tables" / f"{name}.csv").read_text(encoding="utf-8")
    assert new.startswith(old), f"{name}: the demo's rows must come first, unchanged"
    if name in ("followers", "leads", "spend", "competitors"):
        assert pd.read_csv(SCENARIO / "tables" / f"{name}.csv")["date"].max() >= "2027-01-01"
    if name == "followers":
        table = pd.read_csv(SCENARIO / "tables" / "followers.csv").sort_values(["channel", "date"])
        for channel, rows in table.groupby("channel"):
            steps = rows["followers"].diff().iloc[1:].to_numpy()
            assert (steps == (rows["gained"] - rows["lost"]).iloc[1:].to_numpy()).all(), channel
            assert rows["date"].iloc[-1] == "2027-01-31"
    if name in ("care", "customers"):
        ids = pd.read_csv(SCENARIO / "tables" / f"{name}.csv").iloc[:, 0]
        assert ids.is_unique and ids.is_monotonic_increasing


def test_the_demo_with_the_scenario_loads_the_new_period(tmp_path: Path, truth: dict) -> None:
    shutil.copytree(DEMO_DIR, tmp_path / "demo2")
    written = followup.apply_followup(tmp_path / "demo2", SCENARIO)
    assert set(written) >= {*truth["exports"], "tables/followers.csv", "brief.yaml"}
    problems, found = loading.inspect_client("demo2", tmp_path)
    assert problems == []  # its horizon is under way at the data's end: planned from the day after
    assert loading.notices(found) == []  # no post flagged as published after its export was made
    data, start, end = snapshot.load_period("demo2", tmp_path, inspected=found)
    assert (start.isoformat(), end.isoformat()) == (truth["periods"]["brief"]["start"], truth["as_of"])
    every = found.imported.tables["posts"]
    assert not every.duplicated(["channel", "post_id"]).any()
    new = imports.import_paths([tmp_path / "demo2" / name for name in truth["exports"]], tz=TZ).tables[
        "posts"
    ]
    assert len(every) == len(followup._demo_world().posts) + len(new)
    local = every["published_at"].dt.tz_convert(TZ)
    assert f"{local.min():%Y-%m}" == "2025-11" and f"{local.max():%Y-%m}" == "2027-01"
    assert data.tables["posts"]["published_at"].min() >= pd.Timestamp("2026-02-01", tz=TZ)
    for name in ("followers", "leads"):
        assert data.tables[name]["date"].max() == pd.Timestamp(truth["as_of"]), name


def test_apply_followup_refuses_an_incomplete_scenario_or_the_demo_itself(tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(SCENARIO, partial)
    (partial / "tables" / "care.csv").unlink()
    next(iter(sorted((partial / "exports").glob("tweet_activity_*")))).unlink()
    client = tmp_path / "client"
    shutil.copytree(DEMO_DIR, client)
    with pytest.raises(FileNotFoundError, match=r"missing tables/care\.csv, exports/tweet_activity_metrics_"):
        followup.apply_followup(client, partial)
    assert _digest(client) == _digest(DEMO_DIR)
    with pytest.raises(ValueError, match="the demo client itself"):
        followup.apply_followup(DEMO_DIR, SCENARIO)


def test_the_command_line_says_what_is_wrong_with_the_calendar(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        followup.main(["--calendar", str(tmp_path / "none.csv"), "--out", str(tmp_path / "out")])
    assert exc.value.code == 2
    assert "none.csv: calendar not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
