"""The DuckDB path gives the same observation KPIs as the pandas path, and checks the same things."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bench.synthetic import write_synthetic_tables
from helpers.client.brief import load_brief
from helpers.client.loading import DataError, cut_period, read_table
from helpers.config import CLIENTS_DIR
from helpers.kpis import big as bigdata

TABLES = ("channels", "monthly", "brands", "listening", "totals")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict:
    """A client with 4,000 posts and 9,000 mentions (zero and missing reach, missing saves,
    blank and padded authors, brandless mentions, rows outside the period), imported both ways."""
    folder = tmp_path_factory.mktemp("big") / "sample"
    (folder / "tables").mkdir(parents=True)
    shutil.copy(CLIENTS_DIR / "demo" / "brief.yaml", folder / "brief.yaml")
    paths = write_synthetic_tables(folder / "tables", 4000, 9000, seed=11)
    con = bigdata.connect()
    rows = bigdata.import_client(folder, con)
    tables = {name: read_table(path, name) for name, path in paths.items()}
    yield {
        "folder": folder,
        "con": con,
        "rows": rows,
        "tables": tables,
        "brief": load_brief(folder / "brief.yaml"),
    }
    con.close()


def test_the_sample_has_the_edge_cases(sample):
    posts, mentions = sample["tables"]["posts"], sample["tables"]["mentions"]
    assert sample["rows"] == {
        "posts": 4000,
        "mentions": 9000,
        "followers": len(sample["tables"]["followers"]),
    }
    assert (posts["reach"] == 0).sum() > 10 and posts["reach"].isna().sum() > 10
    assert posts["saves"].isna().sum() > 100 and posts["impressions"].isna().sum() > 10
    assert (mentions["author"] == "").sum() > 10 and (mentions["brand"] == "").sum() > 10
    assert (mentions["reach"] == 0).sum() > 10
    period = sample["brief"].period
    assert (posts["published_at"].dt.date < period.start).any() and (
        posts["published_at"].dt.date > period.end
    ).any()
    assert sample["tables"]["followers"]["followers"].isna().any()


@pytest.mark.parametrize(
    ("denominator", "aggregation", "neutral"),
    list(
        itertools.product(
            ["reach", "impressions", "followers"], ["ratio_of_sums", "mean_of_rates"], [False, True]
        )
    ),
)
def test_duckdb_and_pandas_paths_agree(sample, denominator, aggregation, neutral):
    brief = sample["brief"]
    conventions = brief.kpi.model_copy(
        update={"engagement_rate": denominator, "aggregation": aggregation, "net_sentiment_neutral": neutral}
    )
    args = (conventions, brief.period.start, brief.period.end, brief.client.timezone)
    sql = bigdata.observation_kpis_sql(sample["con"], *args)
    pandas = bigdata.observation_kpis_pandas(sample["tables"], *args)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(sql, name), getattr(pandas, name), rtol=1e-9, obj=name)
    assert len(sql.monthly) >= 48 and len(sql.brands) == 5
    assert sql.channels["engagement_rate"].notna().all()


def test_both_paths_read_the_registry_interactions(sample, monkeypatch):
    """Dropping saves from the registry's interaction columns changes both paths, alike."""
    import dataclasses

    from helpers import kpis

    brief = sample["brief"]
    args = (brief.kpi, brief.period.start, brief.period.end, brief.client.timezone)
    before = bigdata.observation_kpis_sql(sample["con"], *args).totals.loc[0, "interactions"]
    fewer = dataclasses.replace(kpis.REGISTRY, interaction_columns=("reactions", "comments", "shares"))
    monkeypatch.setattr("helpers.kpis.posts.REGISTRY", fewer)
    monkeypatch.setattr(bigdata, "REGISTRY", fewer)
    sql = bigdata.observation_kpis_sql(sample["con"], *args)
    pandas = bigdata.observation_kpis_pandas(sample["tables"], *args)
    assert sql.totals.loc[0, "interactions"] < before
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(sql, name), getattr(pandas, name), rtol=1e-9, obj=name)


def test_kpis_match_helpers_kpis_directly(sample):
    """Spot checks against helpers.kpis itself, not only against the pandas path of this module."""
    from helpers import kpis

    brief = sample["brief"]
    result = bigdata.observation_kpis_sql(
        sample["con"], brief.kpi, brief.period.start, brief.period.end, brief.client.timezone
    )
    posts = cut_period(sample["tables"]["posts"], "published_at", brief.period.start, brief.period.end)
    mentions = cut_period(
        sample["tables"]["mentions"], "published_at", brief.period.start, brief.period.end
    )
    assert result.totals.loc[0, "posts"] == len(posts)
    followers = cut_period(sample["tables"]["followers"], "date", brief.period.start, brief.period.end)
    rated = kpis.rated_posts(posts)  # feed posts, organic where flagged: what every rate counts
    rate = kpis.engagement_rate(rated, brief.kpi.engagement_rate, brief.kpi.aggregation, followers=followers)
    assert result.totals.loc[0, "engagement_rate"] == pytest.approx(rate, rel=1e-12)
    sov = kpis.share_of_voice(mentions)
    assert result.brands.set_index("brand")["share_of_voice"].to_dict() == pytest.approx(
        sov.to_dict(), rel=1e-12
    )
    assert result.totals.loc[0, "people_talking"] == kpis.people_talking(mentions, by=None)


def _client_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "c"
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "tables" / name).write_text(text, encoding="utf-8")
    return folder / "tables" / name


POSTS_HEADER = "post_id,channel,account,published_at,format,impressions,reach,reactions,comments,shares\n"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "p1,instagram,a,2026-01-05T10:00:00Z,photo,10,abc,1,1,1\n",
            r"column 'reach': expected a number; got row 2 \('abc'\)",
        ),
        (
            "p1,instagram,a,2026-01-05T10:00:00Z,photo,10,-4,1,1,1\n",
            r"column 'reach': expected a number ≥ 0; got row 2",
        ),
        (
            "p1,instagram,a,2026-01-05T10:00:00Z,photo,10,4.5,1,1,1\n",
            r"column 'reach': expected a whole count",
        ),
        (
            "p1,myspace,a,2026-01-05T10:00:00Z,photo,10,4,1,1,1\n",
            r"column 'channel': expected one of facebook",
        ),
        (
            "p1,instagram,a,05/01/2026,photo,10,4,1,1,1\n",
            r"column 'published_at': expected an ISO 8601 timestamp",
        ),
        ("p1,instagram,a,,photo,10,4,1,1,1\n", r"column 'published_at': expected a value"),
        (
            "p1,instagram,a,2026-01-05T10:00:00Z,photo,10,4,1,1,1\np1,instagram,a,2026-01-06T10:00:00Z,photo,1,1,1,1,1\n",
            r"duplicated key \(channel, post_id\) on rows 2, 3",
        ),
    ],
)
def test_bad_values_are_named_like_read_table(tmp_path, rows, message):
    path = _client_with(
        tmp_path, "posts.csv", POSTS_HEADER + "p0,facebook,a,2026-01-04T10:00:00Z,photo,5,5,1,0,0\n" + rows
    )
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0], *text[2:], text[1]]) + "\n", encoding="utf-8")  # the good row last
    con = bigdata.connect()
    with pytest.raises(DataError, match=message):
        bigdata.import_table(con, path, "posts")
    with pytest.raises(DataError, match=message.replace("≥", "≥")):
        read_table(path, "posts")


def test_missing_column_and_lenient_numbers(tmp_path):
    path = _client_with(
        tmp_path, "mentions.csv", "mention_id,published_at,channel\nm1,2026-01-01T00:00:00Z,x\n"
    )
    with pytest.raises(DataError, match="missing column\\(s\\) sentiment"):
        bigdata.import_table(bigdata.connect(), path, "mentions")
    path.write_text(
        "mention_id,published_at,channel,reach,sentiment,author,brand\n"
        'm1,2026-01-01T00:00:00+01:00, X ,"12 345",Positive,  ana ,B\n',
        encoding="utf-8",
    )
    con = bigdata.connect()
    assert bigdata.import_table(con, path, "mentions") == 1
    row = con.execute("SELECT channel, reach, sentiment, author, brand FROM mentions").fetchone()
    assert row == ("x", 12345.0, "positive", "ana", "B")
    expected = read_table(path, "mentions").iloc[0]
    assert (expected["channel"], expected["reach"], expected["sentiment"], expected["author"]) == (
        "x", 12345, "positive", "ana",
    )  # fmt: skip


def test_kpis_command_both_paths(sample, tmp_path, capsys):
    from helpers.run.cli import main

    clients = tmp_path / "clients"
    shutil.copytree(sample["folder"], clients / "sample")
    out_big, out_small = tmp_path / "big", tmp_path / "small"
    command = ["kpis", "sample", "--clients-dir", str(clients)]
    assert main([*command, "--big", "--out", str(out_big)]) == 0
    assert "DuckDB path" in capsys.readouterr().out
    assert main([*command, "--no-big", "--out", str(out_small)]) == 0
    assert "pandas path" in capsys.readouterr().out
    for name in TABLES:
        a, b = pd.read_csv(out_big / f"kpis_{name}.csv"), pd.read_csv(out_small / f"kpis_{name}.csv")
        pd.testing.assert_frame_equal(a, b, rtol=1e-9, obj=name)
    assert not bigdata.is_big(clients / "sample")


def test_kpis_command_reports_invalid_data(tmp_path, capsys):
    from helpers.run.cli import main

    clients = tmp_path / "clients"
    (clients / "bad" / "tables").mkdir(parents=True)
    shutil.copy(CLIENTS_DIR / "demo" / "brief.yaml", clients / "bad" / "brief.yaml")
    (clients / "bad" / "tables" / "posts.csv").write_text(
        POSTS_HEADER + "p1,instagram,a,nope,photo,1,1,1,1,1\n"
    )
    assert main(["kpis", "bad", "--big", "--clients-dir", str(clients), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "column 'published_at'" in err and "row 2" in err
    assert not (tmp_path / "o").exists()
