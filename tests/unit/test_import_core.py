"""The import core: reading any encoding and delimiter, parsing values, detection, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.client.imports import ExportError, import_paths
from helpers.client.imports.core import Sheet, make_grid, normalise, read_sheets
from helpers.client.imports.values import numbers, sentiments, timestamps
from helpers.client.loading import read_table, write_table
from helpers.config import ROOT

META_HEADER = ('"Post ID","Page ID","Page name",Title,Description,"Publish time",Permalink,"Post type",'
               'Date,Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares,"Total clicks"')


def grid_of(column: str, values: list[str]):
    sheet = Sheet("f.csv", Path("f.csv"), None, [[column], *[[v] for v in values]])
    return make_grid(sheet, 0)


@pytest.mark.parametrize(("cells", "expected"), [
    (["1234", "12 345", "12\u00a0345", "12\u202f345"], [1234, 12345, 12345, 12345]),
    (["1,234", "12,345,678"], [1234, 12345678]),
    (["4,5", "1.234,5"], [4.5, 1234.5]),
    (["-", "n/a", "undefined", "-14"], [None, None, None, -14]),
])
def test_numbers_in_every_local_habit(cells, expected):
    got = numbers(grid_of("n", cells), "n")
    assert [None if pd.isna(v) else v for v in got] == expected


def test_percentages():
    assert list(numbers(grid_of("p", ["4,5 %", "12%"]), "p", percent=True)) == pytest.approx([0.045, 0.12])
    assert list(numbers(grid_of("p", ["0.045", "0.1"]), "p", percent=True)) == pytest.approx([0.045, 0.1])
    assert list(numbers(grid_of("p", ["38.21", "4"]), "p", percent=True)) == pytest.approx([0.3821, 0.04])


def test_bad_number_names_file_row_and_column():
    with pytest.raises(ExportError) as err:
        numbers(grid_of("reach", ["12", "beaucoup"]), "reach")
    assert "f.csv: column 'reach': expected a number" in str(err.value) and "row 3 ('beaucoup')" in str(err.value)


def test_timestamps_zones_and_orders():
    g = grid_of("t", ["03/05/2026 18:12", "2026-03-05T17:12:00.000Z", "2016-12-23 18:50 +0000",
                      "Sat, Sep 6, 2025", "2027-03-28 02:30"])
    got = timestamps(g, "t", "Europe/Paris", month_first=True)
    assert got[0] == pd.Timestamp("2026-03-05 17:12", tz="UTC")  # Paris winter: UTC+1
    assert got[1] == pd.Timestamp("2026-03-05 17:12", tz="UTC")
    assert got[2] == pd.Timestamp("2016-12-23 18:50", tz="UTC")
    assert got[3] == pd.Timestamp("2025-09-05 22:00", tz="UTC")  # midnight Paris summer time
    assert got[4] == pd.Timestamp("2027-03-28 01:30", tz="UTC")  # 02:30 does not exist: read as 03:30
    dayfirst = timestamps(grid_of("t", ["05/03/2026 10:00", "25/03/2026 10:00"]), "t", "UTC")
    assert dayfirst[0] == pd.Timestamp("2026-03-05 10:00", tz="UTC")  # 25 > 12: the file is day-first
    yearless = timestamps(grid_of("t", ["11 septembre", "March 2"]), "t", "UTC",
                          exported=pd.Timestamp("2026-01-10").date())
    assert list(yearless.dt.year) == [2025, 2025]  # after the export date: the year before
    with pytest.raises(ExportError, match="column 't': expected a date"):
        timestamps(grid_of("t", ["yesterday"]), "t", "UTC")


def test_sentiments_in_words_and_scores():
    got = sentiments(grid_of("s", ["Positif", "négatif", "neutral", "0,8", "-2", "0"]), "s")
    assert list(got) == ["positive", "negative", "neutral", "positive", "negative", "neutral"]
    with pytest.raises(ExportError, match="expected a sentiment"):
        sentiments(grid_of("s", ["furieux"]), "s")


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("cp1252", ";"), ("utf-16", "\t")])
def test_any_encoding_and_delimiter(tmp_path, encoding, delimiter):
    text = f"Titre{delimiter}Portée\nCafé{delimiter}1 200\n"
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    sheet = read_sheets(path)[0]
    assert sheet.rows[1] == ["Café", "1 200"] and sheet.delimiter == delimiter


def test_sep_hint_line_and_header_normalisation(tmp_path):
    path = tmp_path / "Reach.csv"
    path.write_bytes("sep=;\nA;B\n1;2\n".encode("utf-16"))
    assert read_sheets(path)[0].rows == [["A", "B"], ["1", "2"]]
    assert normalise(" Reactions,\n  Comments\u00a0and Shares ") == "reactions, comments and shares"
    assert normalise("Vues de vidéo d\u2019une minute") == "vues de vidéo d'une minute"


def _meta(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + META_HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8"))
    return path


ROW = '{id},1221,"Atelier Sève",,"Texte",{date},https://www.facebook.com/atelierseve/posts/{id},Photos,Lifetime,{views},90,10,8,1,1,2'


def test_overlapping_exports_keep_the_newest(tmp_path):
    old = _meta(tmp_path, "a.csv", [ROW.format(id=1, date="03/01/2026 10:00", views=100),
                                    ROW.format(id=2, date="03/02/2026 10:00", views=100)])
    new = _meta(tmp_path, "b.csv", [ROW.format(id=2, date="03/02/2026 10:00", views=150),
                                    ROW.format(id=3, date="04/02/2026 10:00", views=100)])
    result = import_paths([old, new], tz="Europe/Paris")
    posts = result.tables["posts"].set_index("post_id")
    assert len(posts) == 3 and result.duplicates["posts"] == 1
    assert posts.loc["2", "impressions"] == 150  # from b.csv, the export reaching the later date


def test_unknown_files_are_skipped_and_known_bad_ones_stop(tmp_path):
    _meta(tmp_path, "good.csv", [ROW.format(id=1, date="03/01/2026 10:00", views=100)])
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = import_paths([tmp_path], tz="Europe/Paris")
    assert [r.note for r in result.files if not r.format] == ["skipped: no known export format"]
    _meta(tmp_path, "bad.csv", [ROW.format(id=9, date="13/45/2026 10:00", views=100)])
    with pytest.raises(ExportError) as err:
        import_paths([tmp_path], tz="Europe/Paris")
    assert "bad.csv: column 'publish time': expected a date" in str(err.value) and "row 2" in str(err.value)


def test_template_round_trip(tmp_path):
    demo = ROOT / "data" / "clients" / "demo" / "tables" / "care.csv"
    table = read_table(demo, "care")
    write_table(table, tmp_path / "care.csv", "care")
    again = read_table(tmp_path / "care.csv", "care")
    pd.testing.assert_frame_equal(table, again)
    imported = import_paths([tmp_path / "care.csv"], tz="UTC").tables["care"]
    assert len(imported) == len(table)
    assert (imported["received_at"] == table["received_at"]).all()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "import", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_import_command_reports_and_writes_nothing_on_failure(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    raw = _meta(src, "export.csv", [ROW.format(id=1, date="03/01/2026 10:00", views=100)]).read_bytes()
    (src / "readme.txt").write_text("not an export\n", encoding="utf-8")
    ok = run_cli(str(src), "--out", str(tmp_path / "out"))
    assert ok.returncode == 0, ok.stderr
    assert "export.csv: Meta Business Suite · Facebook posts → posts, 1 rows" in ok.stdout
    assert "warning: readme.txt: skipped: no known export format" in ok.stderr
    assert read_table(tmp_path / "out" / "posts.csv", "posts")["impressions"].tolist() == [100]
    assert (src / "export.csv").read_bytes() == raw  # the raw file is never rewritten
    _meta(src, "broken.csv", [ROW.format(id=2, date="03/01/2026 10:00", views="lots")])
    bad = run_cli(str(src), "--out", str(tmp_path / "out2"))
    assert bad.returncode == 1
    assert "broken.csv: column 'views': expected a number" in bad.stderr and "Nothing was written" in bad.stderr
    assert not (tmp_path / "out2").exists()


FIXTURES = ROOT / "tests" / "fixtures" / "exports"


def test_a_folder_mixing_every_format_adds_up(tmp_path):
    """Importing every fixture at once gives what each format gives alone (their own tests hold
    each one against hand-written golden outputs): same rows, same per-channel sums."""
    folders = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    assert {p.name for p in folders} >= {"x", "tiktok", "youtube", "facebook_insights", "linkedin", "listening"}
    together = import_paths(folders, tz="Europe/Paris")
    alone = [import_paths([folder], tz="Europe/Paris") for folder in folders]
    metrics = ["impressions", "reach", "reactions", "comments", "shares"]
    for name, table in together.tables.items():
        parts = [r.tables[name] for r in alone if name in r.tables]
        assert len(table) == sum(len(p) for p in parts), name
        if name == "posts":
            mine = table.groupby("channel")[metrics].sum()
            theirs = pd.concat(parts).groupby("channel")[metrics].sum()
            pd.testing.assert_frame_equal(mine, theirs)
            assert set(mine.index) >= {"x", "tiktok", "youtube", "facebook", "linkedin"}
        if name == "account_daily":
            daily = ["impressions", "reach", "engagements", "profile_visits", "follows", "viewers", "new_viewers"]
            mine = table.groupby("channel")[daily].sum()
            theirs = pd.concat(parts).groupby("channel")[daily].sum()
            pd.testing.assert_frame_equal(mine, theirs)
            assert set(mine.index) == {"x", "tiktok", "instagram"}
    assert sum(together.duplicates.values()) == sum(sum(r.duplicates.values()) for r in alone)
    assert len(together.tables["mentions"]) > 0
    # the X daily files, TikTok's Viewers.csv, Meta's per-metric files merged into 3 days
    assert len(together.tables["account_daily"]) == 8 + 11 + 3
    unused = sorted(r.source for r in together.files if r.note.startswith("recognised, not used"))
    assert any(u.endswith("!Chart data.csv") for u in unused)
    assert len(together.tables["activity"]) == 6 * 24 + 9
    assert not [r.source for r in together.files if r.note.startswith("skipped")]
