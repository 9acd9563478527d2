"""The client's data read once per run: the snapshot in the run folder, and open_run reusing it."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest

from helpers.client import loading, snapshot
from helpers.client.snapshot import EmptyPeriodError
from helpers.run import context
from helpers.run.context import open_run


@pytest.fixture(scope="module")
def demo_period():
    return snapshot.load_period("demo", None)


def test_the_snapshot_keeps_every_table_with_its_dtypes(tmp_path, demo_period):
    data, start, end = demo_period
    snapshot.write(data, tmp_path, start, end, origin="run")
    back = snapshot.read(tmp_path)
    for name, table in data.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], table, check_dtype=True)
    assert back.brief == data.brief
    assert [s.sha256 for s in back.sources] == [s.sha256 for s in data.sources]
    assert [r.format for r in back.imports] == [r.format for r in data.imports]
    assert back.duplicates == data.duplicates
    assert not list(tmp_path.glob(".tables-*")), "no staging folder left behind"


def test_the_period_is_cut_and_an_empty_one_says_what_the_posts_cover(demo_period):
    data, start, end = demo_period
    posts = data.tables["posts"]["published_at"]
    assert posts.min() >= pd.Timestamp(start, tz="UTC") - pd.Timedelta(days=1)
    assert posts.max() < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=2)
    with pytest.raises(EmptyPeriodError, match="no post between 2030-01-01 and 2030-02-01.*the posts read cover"):
        snapshot.cut(data, dt.date(2030, 1, 1), dt.date(2030, 2, 1))


def test_a_workspace_reads_the_client_once_until_its_folder_changes(tmp_path, demo_copy, monkeypatch):
    calls = []
    real = loading.load_client

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot, "load_client", counting)
    clients, folder = str(demo_copy.parent), str(tmp_path / "ws")
    first = open_run("demo", clients, folder, step="01_observation")
    second = open_run("demo", clients, folder, step="02_synthesis")
    assert len(calls) == 1, "the second notebook reuses the snapshot"
    pd.testing.assert_frame_equal(first.table("posts"), second.table("posts"))
    brief = demo_copy / "brief.yaml"
    later = brief.stat().st_mtime_ns + 2_000_000_000
    os.utime(brief, ns=(later, later))
    open_run("demo", clients, folder, step="02_synthesis")
    assert len(calls) == 2, "a changed client folder is read again"


def test_a_run_snapshot_serves_without_the_client_folder(tmp_path, demo_copy, demo_period, monkeypatch):
    data, start, end = demo_period
    snapshot.write(data, tmp_path, start, end, origin="run")

    def refuse(*args, **kwargs):
        raise AssertionError("the client folder must not be read again")

    monkeypatch.setattr(snapshot, "load_client", refuse)
    run = open_run("demo", str(demo_copy.parent / "nowhere"), str(tmp_path), step="05_strategy")
    assert len(run.table("posts")) == len(data.tables["posts"])
    assert run.step == "05_strategy" and run.lang == data.brief.client.lang


def test_a_period_override_on_a_run_folder_never_replaces_its_snapshot(tmp_path, demo_period):
    data, start, end = demo_period
    snapshot.write(data, tmp_path, start, end, origin="run")
    before = (tmp_path / "tables" / "snapshot.json").read_bytes()
    run = open_run("demo", "", str(tmp_path), period_start=str(end - dt.timedelta(days=60)), period_end=str(end))
    assert run.start == end - dt.timedelta(days=60)
    assert (tmp_path / "tables" / "snapshot.json").read_bytes() == before


def test_unknown_step_is_refused(tmp_path, demo_period):
    data, start, end = demo_period
    snapshot.write(data, tmp_path, start, end, origin="run")
    with pytest.raises(ValueError, match="step must be one of"):
        context.open_run("demo", "", str(tmp_path), step="08_party")
