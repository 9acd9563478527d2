"""Reading a client's tables: typed columns, and errors that name file, row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.client.loading import DataError, check_client, load_client, read_table
from helpers.client.schemas import TABLES


def test_demo_client_loads_every_table():
    data = load_client("demo")
    for name in ("posts", "followers", "mentions", "audience", "competitors", "care", "leads", "spend"):
        assert len(data.tables[name]) > 0, name
        assert list(data.tables[name].columns) == TABLES[name].column_names
    posts = data.tables["posts"]
    assert str(posts["published_at"].dt.tz) == "UTC"
    assert posts["reach"].dtype == "Int64"
    assert {s.table for s in data.sources} >= {"brief", "posts", "mentions", "followers"}
    assert any(s.path.parent.name == "exports" for s in data.sources)
    # exports name profiles their own way; the brief's single profile per network wins
    assert set(posts["account"]) == {p.account for p in data.brief.profiles}
    assert all(len(s.sha256) == 64 for s in data.sources)


def _posts_csv(tmp_path, rows: list[str], header: str | None = None):
    header = header or ",".join(TABLES["posts"].column_names)
    path = tmp_path / "posts.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = "p1,instagram,acct,2026-03-05T17:12:00Z,reel,hello,https://x,100,80,5,1,1,0,0,10,,,false,"  # follows, engagements, source empty


def test_good_row_is_typed(tmp_path):
    table = read_table(_posts_csv(tmp_path, [GOOD]), "posts")
    row = table.iloc[0]
    assert row["published_at"] == pd.Timestamp("2026-03-05 17:12", tz="UTC")
    assert row["impressions"] == 100
    assert not row["paid"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (GOOD.replace(",100,80,", ",-5,80,"), "column 'impressions': expected a number ≥ 0; got row 3 ('-5')"),
        (GOOD.replace(",100,80,", ",lots,80,"), "column 'impressions': expected a number; got row 3 ('lots')"),
        (GOOD.replace("instagram", "myspace"), "column 'channel': expected one of facebook"),
        (GOOD.replace("2026-03-05T17:12:00Z", "05/03/2026"), "column 'published_at': expected an ISO 8601"),
        (GOOD.replace(",reel,", ",hologram,"), "column 'format'"),
        (GOOD.replace(",false", ",maybe"), "column 'paid': expected true or false"),
        (GOOD.replace(",100,80,", ",10.5,80,"), "column 'impressions': expected a whole count"),
        (GOOD.replace("p1,", ","), "column 'post_id': expected a value"),
    ],
)
def test_bad_values_are_named(tmp_path, row, message):
    path = _posts_csv(tmp_path, [GOOD.replace("p1", "p0"), row])
    with pytest.raises(DataError) as err:
        read_table(path, "posts")
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_missing_column_and_duplicate_key(tmp_path):
    header = ",".join(c for c in TABLES["posts"].column_names if c != "reach")
    with pytest.raises(DataError, match="missing column\\(s\\) reach"):
        read_table(_posts_csv(tmp_path, [], header), "posts")
    with pytest.raises(DataError, match="duplicated key \\(channel, post_id\\) on rows 2, 3"):
        read_table(_posts_csv(tmp_path, [GOOD, GOOD]), "posts")


def test_check_lists_every_problem_and_leaves_files_alone(demo_copy):
    posts = demo_copy / "tables" / "care.csv"
    original = posts.read_bytes()
    table = pd.read_csv(posts, dtype=str, keep_default_na=False)
    table.loc[2, "channel"] = "myspace"  # third data row = row 4 of the file
    table.to_csv(posts, index=False)
    (demo_copy / "tables" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    brief = demo_copy / "brief.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace("lang: fr", "lang: de"), encoding="utf-8")
    problems = check_client("demo", demo_copy.parent)
    text = "\n".join(problems)
    assert "client.lang" in text
    assert "care.csv: column 'channel'" in text and "row 4 ('myspace')" in text
    assert "notes.csv: not a known table" in text
    assert posts.read_bytes() != original  # our edit is there...
    edited = posts.read_bytes()
    check_client("demo", demo_copy.parent)
    assert posts.read_bytes() == edited  # ...and the check never rewrites a file
    assert "a,b" in (demo_copy / "tables" / "notes.csv").read_text(encoding="utf-8")


def test_missing_client_folder(tmp_path):
    assert "client folder not found" in check_client("nobody", tmp_path)[0]


def test_a_table_no_file_feeds_comes_back_empty_with_its_columns():
    data = load_client("demo")  # the demo has no per-day account export
    daily = data.tables["account_daily"]
    assert daily.empty and list(daily.columns) == TABLES["account_daily"].column_names


def test_daily_account_figures_take_the_brief_account_of_a_single_profile():
    from helpers.client.loading import _fill_accounts, client_dir, load_brief

    brief = load_brief(client_dir("demo") / "brief.yaml")
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-01-02", "2026-01-02"]), "channel": ["x", "tiktok"],
                          "account": ["", ""], "impressions": [10, 20]})
    tables = {"account_daily": daily}
    _fill_accounts(tables, brief)
    # x is a single profile in the demo brief; tiktok is not in it: left as the export gave it
    assert tables["account_daily"]["account"].tolist() == ["atelierseve", ""]


def test_a_checked_client_loads_without_reading_its_files_again(demo_copy, monkeypatch):
    """What the check read (brief, exports, tables) is what the load uses: each table file is parsed once."""
    from helpers.client import loading

    calls: list[str] = []
    real = loading.read_table
    monkeypatch.setattr(loading, "read_table", lambda path, spec: calls.append(str(path).rsplit("/", 1)[-1]) or real(path, spec))
    problems, inspected = loading.inspect_client("demo", demo_copy.parent)
    assert problems == [] and inspected.brief is not None and inspected.imported is not None
    checked = sorted(calls)
    data = loading.load_client("demo", demo_copy.parent, inspected=inspected)
    assert sorted(calls) == checked and len(checked) == len(set(checked)) > 0
    pd.testing.assert_frame_equal(data.tables["care"], loading.load_client("demo", demo_copy.parent).tables["care"])
