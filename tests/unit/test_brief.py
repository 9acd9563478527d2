"""The brief: the demo's is valid, and each kind of mistake gets a message naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers.client.brief import BriefError, load_brief
from tests.conftest import DEMO


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def demo_dict() -> dict:
    return yaml.safe_load((DEMO / "brief.yaml").read_text(encoding="utf-8"))


def test_demo_brief_is_valid():
    brief = load_brief(DEMO / "brief.yaml")
    assert brief.client.name == "Atelier Sève"
    assert brief.channels == ["facebook", "instagram", "linkedin", "x"]
    assert len(brief.competitors) == 3
    assert brief.period.start.isoformat() == "2025-11-01"
    assert {g.objective for g in brief.goals} >= {"community", "engagement", "satisfaction", "leads"}


def test_defaults_fill_what_is_left_out(tmp_path):
    minimal = {
        "client": {"name": "Mini"},
        "period": {"start": "2026-01-01", "end": "2026-06-30"},
        "horizon": {"start": "2026-07-01", "end": "2026-09-30"},
        "profiles": [{"channel": "instagram", "account": "mini"}],
    }
    brief = load_brief(write(tmp_path, minimal))
    assert brief.client.lang == "fr"
    assert brief.kpi.engagement_rate == "reach"
    assert brief.kpi.aggregation == "ratio_of_sums"
    assert brief.branding.colour.startswith("#")
    assert brief.goals == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["client"].update(colour_name="red"), "client.colour_name: unknown key"),
        (lambda d: d["client"].update(lang="de"), "client.lang"),
        (lambda d: d["client"].update(timezone="Europe/Lutece"), "unknown time zone 'Europe/Lutece'"),
        (lambda d: d["branding"].update(logo="../../etc/passwd"), "inside the client folder"),
        (lambda d: d["branding"].update(colour="green"), "expected a colour like"),
        (lambda d: d["period"].update(end="2025-01-01"), "must come after start"),
        (lambda d: d["goals"][0].update(target={}), "exactly one of 'value' or 'relative'"),
        (lambda d: d["goals"][0].update(scope="myspace"), "scope 'myspace'"),
        (lambda d: d["goals"][0].update(business_objective="world_peace"), "unknown business objective"),
        (lambda d: d["goals"][0].pop("deadline"), "goals.0.deadline: Field required"),
        (lambda d: d.pop("profiles"), "profiles: Field required"),
    ],
)
def test_each_mistake_is_named(tmp_path, change, expected):
    data = demo_dict()
    change(data)
    with pytest.raises(BriefError) as err:
        load_brief(write(tmp_path, data))
    assert expected in str(err.value)
    assert str(tmp_path / "brief.yaml") in str(err.value)


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(BriefError, match="brief not found"):
        load_brief(tmp_path / "nope.yaml")
    bad = tmp_path / "brief.yaml"
    bad.write_text("client: [unclosed", encoding="utf-8")
    with pytest.raises(BriefError, match="not valid YAML"):
        load_brief(bad)
