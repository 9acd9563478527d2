"""The second test client, Brightlane Analytics (UK, B2B, English, LinkedIn/Instagram/TikTok).

Its data come from a seeded generator (``tools/clients/b2b``, ``make b2b-data``): these tests check
that the generator is deterministic and wrote the committed files, that ``workbook check`` accepts
the client, and that the tables the importers make of its exports show the planted truths
(:data:`tools.clients.b2b.world.TRUTHS`, documented in ``tools/clients/b2b/README.md``). The truths
are computed here with plain pandas, independently of ``helpers.method``; the two planted effects
(TikTok's rise, the best slot) must also be absent from a control data set generated without them.

TikTok writes dates without a year and the importer takes the year from the file's date, so the
tables are read from a copy whose files are dated as downloaded (as the generator leaves them),
not from a checkout whose files are dated by git.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.client.loading import ClientData, load_client
from helpers.config import CLIENTS_DIR
from tests.conftest import workbook
from tools.clients.b2b import world as b2b
from tools.clients.b2b.generate import CLIENT, generate
from tools.clients.b2b.world import TRUTHS

CLIENT_DIR = CLIENTS_DIR / CLIENT
INTERACTIONS = ["reactions", "comments", "shares", "saves"]
DEMO_SLOT = (3, 18)  # the demo's best slot: Thursday 18:00


def _digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file the generator writes (exports/ and tables/), by relative path."""
    files = sorted(p for sub in ("exports", "tables") for p in (folder / sub).rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _client_copy(root: Path, **options) -> Path:
    """The committed client (brief, logo) under ``root``, its data generated anew."""
    folder = root / CLIENT
    shutil.copytree(CLIENT_DIR, folder)
    generate(folder, **options)
    return folder


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _client_copy(tmp_path_factory.mktemp("clients"))


@pytest.fixture(scope="module")
def data(generated: Path) -> ClientData:
    return load_client(CLIENT, generated.parent)


@pytest.fixture(scope="module")
def control(tmp_path_factory: pytest.TempPathFactory) -> ClientData:
    folder = _client_copy(tmp_path_factory.mktemp("control"), effects=b2b.NO_EFFECTS)
    return load_client(CLIENT, folder.parent)


def _posts(data: ClientData) -> pd.DataFrame:
    """The imported posts with their local time and interactions (a missing count counts 0)."""
    posts = data.tables["posts"].copy()
    posts["local"] = posts["published_at"].dt.tz_convert(TRUTHS.timezone).dt.tz_localize(None)
    posts["interactions"] = posts[INTERACTIONS].fillna(0).sum(axis=1)
    posts["weekday"], posts["hour"] = posts["local"].dt.day_of_week, posts["local"].dt.hour
    return posts


def _rate(posts: pd.DataFrame) -> float:
    """Engagement rate by the brief's convention: sum(interactions) / sum(impressions)."""
    return float(posts["interactions"].sum() / posts["impressions"].sum())


# --- the generator and the committed files ------------------------------------------------------


def test_the_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / CLIENT
    generate(again)
    assert _digests(again) == _digests(generated)


def test_the_committed_files_are_the_generators(generated: Path) -> None:
    committed, fresh = _digests(CLIENT_DIR), _digests(generated)
    assert sorted(committed) == sorted(fresh), "files differ: run `make b2b-data` and commit"
    changed = [name for name in fresh if committed[name] != fresh[name]]
    assert not changed, f"{changed} differ: run `make b2b-data` and commit"


def test_the_exports_are_dated_as_downloaded(generated: Path) -> None:
    content = generated / "exports" / "tiktok-studio_2026-10-01" / "Content.csv"
    assert pd.Timestamp(content.stat().st_mtime, unit="s", tz="UTC").date().isoformat() == "2026-10-01"


def test_the_client_stays_small() -> None:
    exports = sum(p.stat().st_size for p in (CLIENT_DIR / "exports").rglob("*") if p.is_file())
    assert exports <= 3 * 2**20


@pytest.mark.parametrize("where", ["committed", "generated"])
def test_workbook_check_accepts_the_client(where: str, generated: Path) -> None:
    folder = CLIENT_DIR if where == "committed" else generated
    done = workbook("check", CLIENT, "--clients-dir", str(folder.parent))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "brief and data are valid" in done.stdout


def test_the_client_differs_from_the_demo(data: ClientData) -> None:
    client = data.brief.client
    assert (client.lang, client.business_model, client.country, client.timezone, client.currency) == (
        "en",
        "B2B",
        "GB",
        "Europe/London",
        "GBP",
    )
    assert data.brief.channels == ["linkedin", "instagram", "tiktok"]
    assert set(data.tables["posts"]["channel"]) == set(TRUTHS.networks) == {"linkedin", "instagram", "tiktok"}
    assert 2 <= len(data.brief.competitors) <= 3
    assert data.flags.empty, data.flags.to_string()  # every export read cleanly


# --- the planted truths -------------------------------------------------------------------------


def _tiktok_rise(data: ClientData) -> float:
    tiktok = _posts(data).query("channel == 'tiktok'")
    day = tiktok["local"].dt.normalize()
    before = tiktok[day.between(*TRUTHS.quarter_before)]
    last = tiktok[day.between(*TRUTHS.last_quarter)]
    assert len(before) >= 20 and len(last) >= 20
    return _rate(last) / _rate(before)


def test_1_tiktok_engagement_rises_over_the_last_quarter(data: ClientData, control: ClientData) -> None:
    assert _tiktok_rise(data) >= TRUTHS.tiktok_rise
    assert _tiktok_rise(control) < TRUTHS.tiktok_rise


def _slot_lifts(posts: pd.DataFrame) -> dict[str, float]:
    slot = (posts["weekday"] == TRUTHS.slot[0]) & (posts["hour"] == TRUTHS.slot[1])
    lifts = {}
    for channel in TRUTHS.networks:
        mine = posts["channel"] == channel
        assert (mine & slot).sum() >= 5
        lifts[channel] = _rate(posts[mine & slot]) / _rate(posts[mine & ~slot])
    return lifts


def _best_cell(posts: pd.DataFrame, least: int = 8) -> tuple[int, int]:
    """The weekday x hour cell with the highest rate among those with ``least`` posts or more."""
    cells = posts.groupby(["weekday", "hour"])
    rates = (cells["interactions"].sum() / cells["impressions"].sum())[cells.size() >= least]
    return tuple(int(v) for v in rates.idxmax())


def test_2_the_best_slot_is_tuesday_8_london_time(data: ClientData, control: ClientData) -> None:
    assert TRUTHS.slot != DEMO_SLOT and TRUTHS.slot[0] != DEMO_SLOT[0] and TRUTHS.slot[1] != DEMO_SLOT[1]
    posts = _posts(data)
    assert min(_slot_lifts(posts).values()) >= TRUTHS.slot_lift
    assert _best_cell(posts) == TRUTHS.slot
    assert min(_slot_lifts(_posts(control)).values()) < TRUTHS.slot_lift


def test_2_linkedin_almost_never_posts_at_weekends(data: ClientData) -> None:
    linkedin = _posts(data).query("channel == 'linkedin'")
    weekend = linkedin["weekday"] >= 5
    assert weekend.sum() == TRUTHS.weekend_linkedin_posts
    assert 0 < weekend.mean() <= TRUTHS.linkedin_weekend


def test_3_linkedin_has_no_age_demographics(data: ClientData) -> None:
    audience = data.tables["audience"]
    ages = audience[audience["dimension"] == "age"]
    assert set(ages["channel"]) == set(TRUTHS.age_known)
    for channel in TRUTHS.age_unknown:
        mine = audience[audience["channel"] == channel]
        assert len(mine) and "age" not in set(mine["dimension"])
    for channel, shares in ages.groupby("channel")["share"]:
        assert shares.sum() == pytest.approx(1, abs=1e-6), channel


def test_4_sponsored_linkedin_posts_and_instagram_stories(data: ClientData) -> None:
    posts = data.tables["posts"]
    linkedin = posts[posts["channel"] == "linkedin"]
    assert linkedin["paid"].notna().all()
    assert int(linkedin["paid"].sum()) == TRUTHS.sponsored_linkedin
    stories = posts[(posts["channel"] == TRUTHS.stories_on) & (posts["format"] == "story")]
    assert len(stories) >= 10
    assert stories["comments"].isna().all() and stories["saves"].isna().all()  # none on stories
    assert set(posts.loc[posts["format"] == "story", "channel"]) == {TRUTHS.stories_on}


def test_5_reach_is_unknown_where_the_platform_does_not_give_it(data: ClientData) -> None:
    posts = data.tables["posts"]
    for channel in TRUTHS.reach_unknown:
        assert posts.loc[posts["channel"] == channel, "reach"].isna().all(), channel
    for channel in TRUTHS.reach_known:
        assert posts.loc[posts["channel"] == channel, "reach"].notna().all(), channel
