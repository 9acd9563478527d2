"""The catalogue of bad inputs: exports, tables and briefs that are broken, hostile or absurd.

Each case starts from a small client made from the demo's files (its brief and logo, one X export,
three tables), breaks one thing, and runs ``workbook check`` (or ``workbook import``) as a user
would. Every case asserts:

* the exit code (1 for a refused client or import, 2 for a usage error, 0 for what is accepted
  with a note, such as a file left out with ``exports_ignore``);
* the key parts of the message: the file, the row, column or key, the value and what was expected;
* that no traceback reaches the user;
* that nothing was written: the client folder is as it was, and ``import`` made no output folder.

The command runs in this process (``helpers.run.cli.main``) for speed; a few cases run it through
``python -m helpers`` as well, as the user does.
"""

from __future__ import annotations

import io
import os
import shutil
import traceback
import zipfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.run.cli import main
from tests.conftest import DEMO, workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
X_EXPORT = "tweet_activity_metrics_atelierseve_20260101_20260201_fr.csv"
TABLES = ("competitors", "spend", "audience")

META_HEADER = (
    '"Post ID","Page ID","Page name",Title,Description,"Publish time",Permalink,"Post type",'
    'Date,Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares,"Total clicks"'
)
META_ROW = (
    '{id},1221,"Atelier Sève",,"Texte",{date},https://www.facebook.com/atelierseve/posts/{id},'
    "Photos,Lifetime,{views},{reach},10,8,1,1,2"
)


# --------------------------------------------------------------------------- the small client


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A small valid client: the demo's brief and logo, one month of X posts, three tables."""
    folder = tmp_path_factory.mktemp("template") / "shop"
    (folder / "exports").mkdir(parents=True)
    (folder / "tables").mkdir()
    for name in ("brief.yaml", "logo.svg"):
        shutil.copy(DEMO / name, folder / name)
    shutil.copy(DEMO / "exports" / X_EXPORT, folder / "exports" / X_EXPORT)
    for name in TABLES:
        shutil.copy(DEMO / "tables" / f"{name}.csv", folder / "tables" / f"{name}.csv")
    return folder


@pytest.fixture
def client(template, tmp_path) -> Path:
    target = tmp_path / "clients" / "shop"
    shutil.copytree(template, target)
    return target


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root``, with sizes and modification times."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size if p.is_file() else -1, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


@dataclass
class Outcome:
    code: int | str
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(*args: str) -> Outcome:
    """``workbook ARGS`` in this process; an exception that escapes is written out as the user
    would see it (a traceback), never raised here."""
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)  # --max-bytes / --max-rows set the limits for the process
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code: int | str = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException:  # noqa: BLE001 - the point is to show it
                traceback.print_exc(file=err)
                code = "traceback"
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Outcome(code, out.getvalue(), err.getvalue())


# --------------------------------------------------------------------------- ways to break it


def write(client: Path, name: str, content: str | bytes) -> Path:
    path = client / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def edit(client: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = client / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def brief(old: str, new: str) -> Callable[[Path], None]:
    return lambda c: edit(c, "brief.yaml", old, new)


def meta(rows: list[dict], header: str = META_HEADER, row: str = META_ROW) -> str:
    """A Meta Business Suite Facebook post export (UTF-8 with BOM)."""
    base = {"date": "01/05/2026 10:00", "views": "100", "reach": "90"}
    return "\ufeff" + "\n".join(
        [header, *(row.format(**{**base, "id": i + 1, **r}) for i, r in enumerate(rows))]
    )


def x_export(client: Path) -> Path:
    return client / "exports" / X_EXPORT


def cut_mid_row(client: Path) -> None:
    lines = x_export(client).read_bytes().split(b"\n")
    last = lines[3].split(b'","')
    x_export(client).write_bytes(b"\n".join([*lines[:3], b'","'.join(last[:5]) + b'"']))


def cut_in_quote(client: Path) -> None:
    data = x_export(client).read_bytes()
    x_export(client).write_bytes(data[: data.index(b"Coulisses") + 4])


def latin1_byte(client: Path) -> None:
    data = x_export(client).read_bytes()
    x_export(client).write_bytes(data.replace(b"Coulisses : ce matin", b"Coulisses \xe0 ce matin", 1))


def bom_then_latin1(client: Path) -> None:
    write(client, "exports/posts_fb.csv", meta([{}]).encode("utf-8").replace("Sève".encode(), b"S\xe8ve"))


def cp1252_file(client: Path) -> None:
    write(client, "exports/posts_fb.csv", meta([{}]).lstrip("\ufeff").encode("cp1252"))


def garbage_xlsx(client: Path) -> None:
    write(client, "exports/content.xlsx", bytes(range(256)) * 8)


def cut_xlsx(client: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "All posts"
    for i in range(400):
        sheet.append([f"post {i}", f"https://www.linkedin.com/feed/update/urn:li:activity:{i}", "Organic"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    write(client, "exports/content.xlsx", data[: len(data) // 2])


def corrupt_zip(client: Path) -> None:
    write(client, "exports/Content.csv", b"PK\x03\x04" + bytes(range(200)))


def zipped(
    client: Path, member: str = "Content.csv", content: str | bytes = "a,b\n" + "1,2\n" * 5000
) -> None:
    with zipfile.ZipFile(client / "exports" / "download.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, content)


def linkedin_export(rows: list[tuple[str, str]]) -> Callable[[Path], None]:
    """A LinkedIn Page content export (.xlsx): a title line, then the ``All posts`` header."""

    def build(client: Path) -> None:
        book = Workbook()
        sheet = book.active
        sheet.title = "All posts"
        sheet.append(["All posts: Atelier Sève"])
        sheet.append(["Post title", "Post link", "Post type", "Created date", "Impressions", "Clicks",
                      "Likes", "Comments", "Reposts", "Content Type"])  # fmt: skip
        for link, created in rows:
            sheet.append(["Un post", f"https://www.linkedin.com/feed/update/{link}", "Organic", created,
                          1000, 10, 20, 2, 1, "Image"])  # fmt: skip
        book.save(client / "exports" / "atelier-seve_content.xlsx")

    return build


def symlinked_logo(client: Path) -> None:
    outside = client.parent.parent / "outside.svg"
    outside.write_bytes((DEMO / "logo.svg").read_bytes())
    (client / "link.svg").symlink_to(outside)
    edit(client, "brief.yaml", "logo: logo.svg", "logo: link.svg")


def activity_table(hour: str) -> str:
    return f"date,hour,channel,account,active_followers\n2026-03-01,{hour},instagram,atelier.seve,120\n"


# --------------------------------------------------------------------------- the catalogue


@dataclass
class Case:
    build: Callable[[Path], None]
    expect: tuple[str, ...]
    code: int = 1
    args: tuple[str, ...] = ()


CASES: dict[str, Case] = {
    # ---- exports: damaged or unreadable files
    "export cut in the middle of a row": Case(
        cut_mid_row, (X_EXPORT, "row 4 (5 values)", "fewer values than the 40 columns", "cut short")
    ),
    "export cut inside a quoted value": Case(
        cut_in_quote, (X_EXPORT, "ends inside a quoted value", "line 2")
    ),
    "one Latin-1 byte in a UTF-8 export": Case(
        latin1_byte,
        (
            X_EXPORT,
            "line 2",
            "byte 0xE0",
            "is not UTF-8, while the rest of the file is UTF-8",
            "Coulisses \\xe0 ce matin",
        ),
    ),
    "UTF-8 BOM followed by Latin-1 bytes": Case(
        bom_then_latin1, ("posts_fb.csv", "line 2", "byte 0xE8", "UTF-8 byte order mark", "Atelier S\\xe8ve")
    ),
    "binary file named .csv": Case(
        lambda c: write(c, "exports/photo.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("photo.csv", "a PNG image, not a text file"),
    ),
    "file of zero bytes": Case(
        lambda c: write(c, "exports/empty.csv", b""), ("empty.csv", "empty file (0 bytes)")
    ),
    "garbage named .xlsx": Case(garbage_xlsx, ("content.xlsx", "the workbook is damaged or cut short")),
    "xlsx cut in half": Case(cut_xlsx, ("content.xlsx", "damaged or cut short")),
    "corrupt zip renamed .csv": Case(corrupt_zip, ("Content.csv", "the zip archive is damaged or cut short")),
    "file no format recognises": Case(
        lambda c: write(c, "exports/notes.csv", "a,b\n1,2\n"),
        ("exports/notes.csv", "no known export format", "exports_ignore"),
    ),
    "Meta export whose header lost its first columns": Case(
        lambda c: write(
            c,
            "exports/posts_fb.csv",
            meta([{}], META_HEADER.split(",", 3)[3], META_ROW.split(",", 3)[3].replace("{id}", "p")),
        ),
        (
            "posts_fb.csv",
            "looks like a Meta Business Suite · Facebook posts export",
            "lacks 'post id', 'page id'",
        ),
    ),
    # ---- exports: values that would be misread
    "two Reach columns": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{}], META_HEADER.replace("Views", "Reach"))),
        ("posts_fb.csv", "the column title 'reach' is there twice", "columns 10 and 11"),
    ),
    "12,345 and 1,5 in one column": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{"reach": '"12,345"'}, {"reach": '"1,5"'}])),
        ("posts_fb.csv", "column 'reach'", "row 2 ('12,345')", "row 3 ('1,5')", "numbers written two ways"),
    ),
    "1,5 and 2.5 in one column": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{"views": '"1,5"'}, {"views": "2.5"}])),
        (
            "posts_fb.csv",
            "column 'views'",
            "('2.5') reads with a decimal point",
            "('1,5') with a decimal comma",
        ),
    ),
    "a % sign in a count column": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{}, {"reach": "12%"}])),
        ("posts_fb.csv", "column 'reach'", "row 3 ('12%')", "without a % sign"),
    ),
    "a % sign on one row of a percentage column": Case(
        lambda c: write(
            c, "exports/FollowerGender.csv", '"Gender","Distribution"\n"Female","58%"\n"Male","0.4"\n'
        ),
        (
            "FollowerGender.csv",
            "column 'distribution'",
            "row 2 ('58%') has a % sign",
            "row 3 ('0.4') has none",
        ),
    ),
    "1e309 in an export": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{"reach": "1e309"}])),
        ("posts_fb.csv", "column 'reach'", "row 2 ('1e309')", "a finite number below 1e+15"),
    ),
    "1e30 where a count is expected": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{"views": "1e30"}])),
        ("posts_fb.csv", "column 'views'", "row 2 ('1e30')", "a finite number below 1e+15"),
    ),
    "a date in year 9999": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{}, {"date": "01/05/9999 10:00"}])),
        (
            "posts_fb.csv",
            "column 'publish time'",
            "row 3 ('01/05/9999 10:00')",
            "a date between 1990 and 2100",
        ),
    ),
    "a date in year 1800": Case(
        lambda c: write(c, "exports/posts_fb.csv", meta([{"date": "12/31/1800 10:00"}])),
        ("posts_fb.csv", "row 2 ('12/31/1800 10:00')", "a date between 1990 and 2100"),
    ),
    # ---- exports: limits
    "a file above --max-bytes": Case(
        lambda c: None,
        (X_EXPORT, "the file is 7.19 KB, above the limit of 5 KB", "--max-bytes"),
        args=("--max-bytes", "5KB"),
    ),
    "a zip member above --max-bytes once decompressed": Case(
        zipped,
        ("download.zip", "'Content.csv' once decompressed is 20 KB", "above the limit of 10 KB"),
        args=("--max-bytes", "10KB"),
    ),
    "files above --max-rows": Case(
        lambda c: None,
        (f"{X_EXPORT}: more than 10 rows", "spend.csv: more than 10 rows, the limit per file", "--max-rows"),
        args=("--max-rows", "10"),
    ),
    "a --max-rows that is not a number": Case(
        lambda c: None, ("--max-rows", "expected a positive number"), 2, ("--max-rows", "lots")
    ),
    # ---- exports: left out on purpose, or read with a note
    "a file named in exports_ignore": Case(
        lambda c: (
            write(c, "exports/notes.csv", "a,b\n1,2\n")
            and edit(c, "brief.yaml", "competitors:\n", "exports_ignore: ['notes*']\n\ncompetitors:\n")
        ),
        ("brief and data are valid", "exports/notes.csv: ignored: exports_ignore 'notes*'"),
        0,
    ),
    "a folder named in exports_ignore": Case(
        lambda c: (
            write(c, "exports/old/broken.csv", b"PK\x03\x04 not a zip")
            and edit(c, "brief.yaml", "competitors:\n", "exports_ignore: ['old/*']\n\ncompetitors:\n")
        ),
        ("brief and data are valid", "exports/broken.csv: ignored: exports_ignore 'old/*'"),
        0,
    ),
    "a zip holding a PDF": Case(
        lambda c: zipped(c, "report.pdf", b"%PDF-1.4"),
        ("download.zip!report.pdf", "not a table (.csv, .tsv, .txt, .xlsx, .xls) inside the zip"),
    ),
    "a whole export in Windows-1252": Case(
        cp1252_file, ("brief and data are valid", "exports/posts_fb.csv: read as Windows-1252"), 0
    ),
    "a LinkedIn link whose id decodes to 1970": Case(
        linkedin_export(
            [("urn:li:activity:123456", "03/05/2026"), ("urn:li:activity:7437799548518400005", "03/12/2026")]
        ),
        (
            "brief and data are valid",
            "row 3, column 'created date' ('03/05/2026')",
            "the post link gives 1970-01-01 00:00 UTC, before LinkedIn opened (2003-05-05)",
            "'created date' kept",
        ),
        0,
    ),
    "a LinkedIn link whose time is a week off Created date": Case(
        linkedin_export([("urn:li:activity:7437799548518400005", "03/20/2026")]),
        (
            "brief and data are valid",
            "row 3",
            "the post link gives 2026-03-12 10:00 UTC",
            "more than a day from 'created date'",
            "read as 2026-03-19 23:00 UTC",
        ),
        0,
    ),
    # ---- tables
    "an empty tables/followers.csv": Case(
        lambda c: write(c, "tables/followers.csv", b""),
        ("followers.csv", "empty file", "expected a header row", "date, channel, account, followers"),
    ),
    "a table with a Latin-1 byte": Case(
        lambda c: write(
            c,
            "tables/spend.csv",
            "date,channel,campaign,amount,hours\n2026-01-05,facebook,Fête,10,1\n".encode("latin-1"),
        ),
        ("spend.csv", "line 2", "byte 0xEA", "is not UTF-8", "F\\xeate"),
    ),
    "1e309 as an amount": Case(
        lambda c: _set_cell(c, "spend", 1, "amount", "1e309"),
        ("spend.csv", "column 'amount'", "row 2 ('1e309')", "a finite number below 1e+15"),
    ),
    "1e30 as a whole count": Case(
        lambda c: _set_cell(c, "competitors", 2, "followers", "1e30"),
        ("competitors.csv", "column 'followers'", "row 3 ('1e30')", "a finite number below 1e+15"),
    ),
    "a negative count": Case(
        lambda c: _set_cell(c, "competitors", 1, "posts", "-3"),
        ("competitors.csv", "column 'posts'", "row 2 ('-3')", "a number ≥ 0"),
    ),
    "a table date in year 9999": Case(
        lambda c: _set_cell(c, "spend", 3, "date", "9999-01-01"),
        ("spend.csv", "column 'date'", "row 4 ('9999-01-01')", "a date between 1990 and 2100"),
    ),
    "an hour of 25": Case(
        lambda c: write(c, "tables/activity.csv", activity_table("25")),
        ("activity.csv", "column 'hour'", "row 2 ('25')", "a number from 0 to 23"),
    ),
    "a share above 1": Case(
        lambda c: _set_cell(c, "audience", 1, "share", "1.7"),
        ("audience.csv", "column 'share'", "row 2 ('1.7')", "a number from 0 to 1"),
    ),
    "a table row cut short": Case(
        lambda c: (c / "tables" / "competitors.csv").write_text(
            (c / "tables" / "competitors.csv").read_text(encoding="utf-8").rstrip("\n").rsplit(",", 2)[0]
            + "\n",
            encoding="utf-8",
        ),
        ("competitors.csv", "(4 values): fewer values than the 6 columns"),
    ),
    "a table row with an unquoted comma": Case(
        lambda c: write(
            c,
            "tables/spend.csv",
            "date,channel,campaign,amount,hours\n2026-01-05,facebook,Soldes, hiver,10,1\n",
        ),
        ("spend.csv", "row 2 (6 values): more values than the 5 columns", "unquoted comma"),
    ),
    "a table column given twice": Case(
        lambda c: write(
            c, "tables/spend.csv", "date,channel,campaign,amount,hours,amount\n2026-01-05,facebook,,10,1,12\n"
        ),
        ("spend.csv", "the column 'amount' is there twice (columns 4 and 6)"),
    ),
    "a table with an unclosed quote": Case(
        lambda c: write(
            c, "tables/spend.csv", 'date,channel,campaign,amount,hours\n2026-01-05,facebook,"Soldes,10,1\n'
        ),
        ("spend.csv", "line 2", "not a well-formed CSV", "cut short"),
    ),
    # ---- the brief
    "start: 2025-02-30": Case(
        brief("  start: 2025-11-01", "  start: 2025-02-30"),
        ("brief.yaml", "period.start", "day value is outside expected range", "'2025-02-30'"),
    ),
    "a brief saved in Latin-1": Case(
        lambda c: (c / "brief.yaml").write_bytes(
            (c / "brief.yaml").read_text(encoding="utf-8").encode("latin-1", "replace")
        ),
        ("brief.yaml", "line 4", "byte 0xE8", "save the brief as UTF-8", "Atelier S\\xe8ve"),
    ),
    "a key given twice": Case(
        brief("  currency: EUR\n", "  currency: EUR\n  currency: USD\n"),
        ("brief.yaml", "line 12: the key 'currency' is given twice (first on line 11)"),
    ),
    "currency XYZ": Case(
        brief("currency: EUR", "currency: XYZ"),
        ("brief.yaml", "client.currency", "unknown currency 'XYZ'", "ISO 4217"),
    ),
    "country ZZ": Case(
        brief("country: FR", "country: ZZ"), ("brief.yaml", "client.country", "country 'ZZ'", "ISO 3166-1")
    ),
    "a region France does not have": Case(
        brief("region: null", "region: Atlantis"),
        (
            "brief.yaml",
            "client",
            "client.region: region 'Atlantis' is not a subdivision of FR",
            "expected one of",
        ),
    ),
    "an unknown time zone": Case(
        brief("timezone: Europe/Paris", "timezone: Europe/Lutece"),
        ("brief.yaml", "client.timezone", "unknown time zone 'Europe/Lutece'"),
    ),
    "a logo that is missing": Case(
        brief("logo: logo.svg", "logo: brand.png"),
        ("brief.yaml: branding.logo", "'brand.png'", "no such file"),
    ),
    "a logo that is not an image": Case(
        lambda c: (
            write(c, "logo.png", "not a picture")
            and edit(c, "brief.yaml", "logo: logo.svg", "logo: logo.png")
        ),
        ("brief.yaml: branding.logo", "'logo.png' is not an image", "PNG, JPEG, SVG, GIF or WebP"),
    ),
    "a logo linked from outside the client folder": Case(
        symlinked_logo, ("brief.yaml: branding.logo", "'link.svg' leads outside the client folder")
    ),
    "a horizon in the past": Case(
        brief("  start: 2027-01-01\n  end: 2027-03-31", "  start: 2026-05-01\n  end: 2026-07-31"),
        ("brief.yaml", "horizon.end: 2026-07-31", "analysed period, which ends on 2026-10-31"),
    ),
    "a goal deadline in 2020": Case(
        brief("deadline: 2027-03-31", "deadline: 2020-06-30"),
        ("brief.yaml", "goals.0.deadline: 2020-06-30", "'ig_community'", "ends on 2026-10-31"),
    ),
    "a negative posting frequency": Case(
        brief("frequency: {facebook: 4,", "frequency: {facebook: -2,"),
        ("brief.yaml", "planning.frequency.facebook", "greater than or equal to 0", "-2"),
    ),
    "-1 people": Case(
        brief("{role: content_lead, people: 1,", "{role: content_lead, people: -1,"),
        ("brief.yaml", "team.0.people", "greater than 0", "-1"),
    ),
    "1e309 hours a week": Case(
        brief("people: 1, hours_per_week: 10}", "people: 1, hours_per_week: 1e309}"),
        ("brief.yaml", "team.0.hours_per_week", "finite number", "'1e309'"),
    ),
    "inverted influencer tiers": Case(
        brief("{nano: 1000, micro: 10000, macro: 100000}", "{nano: 100000, micro: 10000, macro: 1000}"),
        ("brief.yaml", "influencer_tiers", "nano < micro < macro", "nano 100000, micro 10000, macro 1000"),
    ),
    "a notable date in 2999": Case(
        brief("- {date: 2027-02-03,", "- {date: 2999-02-03,"),
        ("brief.yaml", "planning.notable_dates.0.date", "between 1990 and 2100", "2999-02-03"),
    ),
}


def _set_cell(client: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell of a template table (``row`` 1 is the first data row), writing it back as it was."""
    path = client / "tables" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("name", list(CASES))
def test_each_bad_input_is_named_and_nothing_is_written(name, client):
    case = CASES[name]
    case.build(client)
    before = tree(client.parent.parent)
    done = cli("check", "shop", "--clients-dir", str(client.parent), *case.args)
    assert "Traceback" not in done.text, done.text
    assert done.code == case.code, done.text
    for part in case.expect:
        assert part in done.text, f"{part!r} not in:\n{done.text}"
    assert tree(client.parent.parent) == before  # nothing written, nothing touched


# --------------------------------------------------------------------------- the import command


def test_import_that_reads_nothing_exits_1_and_writes_nothing(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    done = cli("import", str(folder), "--out", str(tmp_path / "out"))
    assert done.code == 1 and "Traceback" not in done.text
    assert "notes.csv: skipped: no known export format" in done.err
    assert "nothing was written" in done.err
    assert not (tmp_path / "out").exists()


def test_import_refuses_every_broken_file_at_once(client, tmp_path):
    cut_mid_row(client)
    corrupt_zip(client)
    done = cli("import", str(client / "exports"), "--out", str(tmp_path / "out"))
    assert done.code == 1 and "Traceback" not in done.text
    assert (
        f"{X_EXPORT}: row 4 (5 values)" in done.err and "Content.csv: the zip archive is damaged" in done.err
    )
    assert "Nothing was written" in done.err and not (tmp_path / "out").exists()


def test_import_usage_errors_exit_2(tmp_path):
    zone = cli("import", str(tmp_path), "--out", str(tmp_path / "out"), "--tz", "Mars/Olympus")
    size = cli("import", str(tmp_path), "--out", str(tmp_path / "out"), "--max-bytes", "huge")
    for done in (zone, size):
        assert done.code == 2 and "Traceback" not in done.text
    assert "unknown time zone 'Mars/Olympus'" in zone.err and "expected a size such as 800MB" in size.err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- as the user runs it


@pytest.mark.parametrize(
    "name", ["corrupt zip renamed .csv", "start: 2025-02-30", "an empty tables/followers.csv"]
)
def test_the_command_line_says_the_same(name, client):
    CASES[name].build(client)
    done = workbook("check", "shop", "--clients-dir", str(client.parent))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert all(part in done.stderr for part in CASES[name].expect)


def test_run_refuses_a_bad_export_before_anything_is_written(client, tmp_path):
    corrupt_zip(client)
    reports = tmp_path / "reports"
    before = tree(client)
    done = cli("run", "shop", "--clients-dir", str(client.parent), "--reports-dir", str(reports))
    assert done.code == 2 and "Traceback" not in done.text, done.text
    assert "client 'shop' cannot be run" in done.err and "Content.csv: the zip archive is damaged" in done.err
    assert tree(client) == before
    assert not reports.exists() or not any(reports.rglob("*"))


def test_import_says_which_file_it_read_as_windows_1252(client, tmp_path):
    cp1252_file(client)
    done = cli("import", str(client / "exports" / "posts_fb.csv"), "--out", str(tmp_path / "out"))
    assert done.code == 0 and "Traceback" not in done.text
    assert (
        "posts_fb.csv: Meta Business Suite · Facebook posts → posts, 1 rows (read as Windows-1252" in done.out
    )
    assert (tmp_path / "out" / "posts.csv").is_file()
