"""Local times around both clock changes, in four zones: no import stops, every row is kept, each
odd time is read by the documented rule (helpers/client/imports/values.py) and flagged."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from helpers.client.imports import import_paths
from helpers.client.imports.values import AMBIGUOUS_FIRST, AMBIGUOUS_SECOND, NONEXISTENT

# zone, the repeated local time (clocks back), the skipped local time (clocks forward), gap length
NIGHTS = [
    ("Europe/Paris", "2025-10-26 02:30", "2025-03-30 02:30", 60),
    ("Europe/London", "2025-10-26 01:30", "2025-03-30 01:30", 60),
    ("America/New_York", "2025-11-02 01:30", "2025-03-09 02:30", 60),
    ("Australia/Sydney", "2025-04-06 02:30", "2025-10-05 02:30", 60),
]


def _utc(local: str, tz: str, fold: int) -> pd.Timestamp:
    naive = dt.datetime.fromisoformat(local)
    return pd.Timestamp(naive.replace(tzinfo=ZoneInfo(tz), fold=fold)).tz_convert("UTC")


def _export(folder, rows: list[tuple[str, str]]):
    lines = ["id,date,network,author,text,sentiment"]
    lines += [f"{i},{when},x,@{i},mention {i},positive" for i, when in rows]
    (folder / "mentions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("tz", "repeated", "skipped", "gap"), NIGHTS)
def test_both_clock_changes_keep_every_row_with_the_documented_time(tmp_path, tz, repeated, skipped, gap):
    rows = [
        ("a", repeated),  # first occurrence: summer time
        ("b", "2025-07-01 12:00"),
        ("c", repeated),  # the same wall time listed again: the second occurrence
        ("d", skipped),  # does not exist: moved forward by the gap
    ]
    _export(tmp_path, rows)
    result = import_paths([tmp_path], tz=tz)
    mentions = result.tables["mentions"].set_index("mention_id")
    assert len(mentions) == 4
    got = mentions["published_at"]
    assert got["a"] == _utc(repeated, tz, fold=0)
    assert got["c"] == _utc(repeated, tz, fold=1)
    assert got["c"] - got["a"] == pd.Timedelta(hours=1)
    moved = dt.datetime.fromisoformat(skipped) + dt.timedelta(minutes=gap)
    assert got["d"] == pd.Timestamp(moved, tz=tz).tz_convert("UTC")
    assert got["b"] == pd.Timestamp("2025-07-01 12:00", tz=tz).tz_convert("UTC")
    flags = result.flags.set_index("row")["issue"]
    assert flags.to_dict() == {2: AMBIGUOUS_FIRST, 4: AMBIGUOUS_SECOND, 5: NONEXISTENT}
    assert set(result.flags["table"]) == {"mentions"} and set(result.flags["file"]) == {"mentions.csv"}


def test_a_time_written_with_its_offset_is_not_ambiguous(tmp_path):
    _export(tmp_path, [("a", "2025-10-26T02:30:00+01:00"), ("b", "2025-10-26T02:30:00+02:00")])
    result = import_paths([tmp_path], tz="Europe/Paris")
    got = result.tables["mentions"].set_index("mention_id")["published_at"]
    assert got["a"] - got["b"] == pd.Timedelta(hours=1)
    assert result.flags.empty
