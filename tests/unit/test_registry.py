"""The KPI registry (helpers/kpis/registry.yaml): complete, checked when read, and the one source the
goals, the scorecard, the pages, the formatter, the engagement rate and docs/kpis.md read."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from helpers import kpis
from helpers.client.brief import KpiConventions
from helpers.kpis import docs
from helpers.kpis.registry import KPI_FIELDS, REGISTRY_FILE, RegistryError, load_registry, parse_registry
from helpers.method import goals, synthesis, tracking
from helpers.report.i18n import format_value
from helpers.report.pages.common import kpi_fmt, kpi_value
from helpers.report.words import letter_text
from tests.unit.test_steps import _brief, _growing, posts_at

RAW = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))


def _with(monkeypatch, kpi_id: str, **changes) -> None:
    """Change one KPI's record in the registry for the test."""
    monkeypatch.setitem(kpis.KPIS, kpi_id, dataclasses.replace(kpis.KPIS[kpi_id], **changes))


# ------------------------------------------------------------------ the file
def test_the_yaml_loads_and_every_kpi_gives_every_field():
    registry = load_registry()
    assert list(registry.kpis) == list(RAW["kpis"])
    assert registry.kpis == kpis.KPIS
    for kpi_id, entry in RAW["kpis"].items():
        assert set(KPI_FIELDS) <= set(entry), kpi_id
        record = registry.kpis[kpi_id]
        assert record.formula.strip() and record.name("fr") and record.name("en")
        assert record.percent == (record.unit == "percent")
        assert isinstance(record.higher_is_better, bool)


@pytest.mark.parametrize("field", KPI_FIELDS)
def test_a_kpi_lacking_a_field_is_refused(field):
    raw = copy.deepcopy(RAW)
    del raw["kpis"]["virality"][field]
    with pytest.raises(RegistryError, match=f"'virality' lacks {field}"):
        parse_registry(raw)


@pytest.mark.parametrize(
    ("field", "value"),
    [("unit", "furlongs"), ("objective", "fame"), ("percent", False), ("counts", ["likes"]), ("goal", "wave")],
)
def test_a_wrong_value_is_refused(field, value):
    raw = copy.deepcopy(RAW)
    raw["kpis"]["engagement_rate"][field] = value
    with pytest.raises(RegistryError, match=f"invalid {field}"):
        parse_registry(raw)


def test_every_network_says_what_each_interaction_column_counts():
    raw = copy.deepcopy(RAW)
    del raw["interactions"]["networks"]["tiktok"]["saves"]
    with pytest.raises(RegistryError, match="tiktok"):
        parse_registry(raw)
    raw = copy.deepcopy(RAW)
    raw["interactions"]["networks"]["x"]["reactions"] = {"en": "likes"}
    with pytest.raises(RegistryError, match="fr and en"):
        parse_registry(raw)
    assert kpis.REGISTRY.interactions_on("linkedin", "en", ("shares", "saves")) == ["reposts"]


def test_variants_come_from_the_registry():
    by_followers = kpis.kpi("engagement_rate", denominator="followers", aggregation="mean_of_rates")
    assert by_followers.formula == "mean(interactions / followers_at_post) over the posts with followers_at_post > 0"
    assert kpis.kpi("engagement_rate", denominator="reach") == kpis.KPIS["engagement_rate"]
    assert kpis.kpi("net_sentiment", include_neutral=True).formula.endswith("+ neutral)")
    raw = copy.deepcopy(RAW)
    raw["variants"]["engagement_rate"]["aggregation"]["options"]["mean_of_rates"]["name"]["en"] = "Mean ER ({tag})"
    changed = parse_registry(raw)
    assert changed.kpi("engagement_rate", aggregation="mean_of_rates").name("en") == "Mean ER (by reach)"
    conv = KpiConventions(engagement_rate="impressions", aggregation="mean_of_rates", net_sentiment_neutral=True)
    assert changed.for_conventions("engagement_rate", conv).name("en") == "Mean ER (by impressions)"


# ------------------------------------------------------------------ the engagement-rate convention
def test_one_convention_object_gives_the_rate_the_denominators_and_the_sql():
    posts = posts_at(["2026-03-02T10:00Z", "2026-03-03T10:00Z"], [100, 0], [10, 5])
    conv = KpiConventions(engagement_rate="impressions", aggregation="mean_of_rates")
    rule = kpis.EngagementConvention.of(conv)
    assert rule == kpis.EngagementConvention("impressions", "mean_of_rates")
    assert rule.definition == kpis.for_conventions("engagement_rate", conv)
    assert list(rule.denominators(posts)) == [200.0, 0.0]
    assert kpis.engagement(posts, conv) == pytest.approx(10 / 200)  # the zero-impression post is left out
    assert kpis.engagement(posts, KpiConventions()) == pytest.approx(15 / 100)
    assert rule.sql("inter") == "avg(CASE WHEN impressions > 0 THEN inter / impressions END)"
    assert "followers_at_post" in kpis.EngagementConvention("followers").sql()
    with pytest.raises(ValueError, match="denominator 'clicks'"):
        kpis.EngagementConvention("clicks")


def test_interactions_are_the_registry_columns(monkeypatch):
    posts = posts_at(["2026-03-02T10:00Z"], [100], [10]).assign(comments=3, shares=2, saves=1)
    assert kpis.interactions(posts).iloc[0] == 16
    fewer = dataclasses.replace(kpis.REGISTRY, interaction_columns=("reactions", "comments"))
    monkeypatch.setattr("helpers.kpis.posts.REGISTRY", fewer)
    assert kpis.interactions(posts).iloc[0] == 13


# ------------------------------------------------------------------ one formatter
def test_format_value_follows_the_unit():
    assert format_value("engagement_rate", 0.0452, "fr") == "4,52\u202f%"
    assert format_value("engagement_rate", 0.0452, "en") == "4.52%"
    assert format_value("share_of_voice", 0.31, "en") == "31.0%"
    assert format_value("response_time_median", 2.54, "fr") == "2,5\u00a0h"
    assert format_value("followers", 12345.4, "fr") == "12\u202f345"
    assert format_value("posts_per_week", 3.25, "en") == "3.2"
    assert format_value("currency", 1234.5, "fr") == "1\u202f234\u00a0€"
    assert format_value("percent", float("nan"), "en") == "n/a"
    with pytest.raises(KeyError, match="neither a KPI nor a unit"):
        format_value("furlongs", 1.0, "en")


def test_flipping_a_unit_in_a_copy_of_the_registry_changes_the_text():
    leads = kpis.KPIS["leads"]
    as_percent = dataclasses.replace(leads, unit="percent", percent=True)
    assert format_value(leads, 0.5, "en") == "0.5"
    assert format_value(as_percent, 0.5, "en") == "50.0%"
    raw = copy.deepcopy(RAW)
    raw["kpis"]["leads"].update(unit="hours")
    assert format_value(parse_registry(raw).kpis["leads"], 0.5, "en") == "0.5\u00a0h"


# ------------------------------------------------------------------ readers of the registry
def test_goals_read_the_unit_the_series_kind_and_the_direction(monkeypatch):
    brief = _brief()
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02), dt.date(2026, 10, 31))
    assert check.achievability == "likely" and check.baseline == pytest.approx(1000 * 1.02**11)
    assert "1,243" in letter_text(check.letters["M"], "en") and "%" not in letter_text(check.letters["M"], "en")
    _with(monkeypatch, "followers", unit="percent", percent=True)
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02), dt.date(2026, 10, 31))
    assert "124,337.4%" in letter_text(check.letters["M"], "en")
    _with(monkeypatch, "followers", goal="flow")  # the mean of the last three months, not the last one
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02), dt.date(2026, 10, 31))
    assert check.baseline == pytest.approx(1000 * (1.02**9 + 1.02**10 + 1.02**11) / 3)
    _with(monkeypatch, "followers", goal="stock", higher_is_better=False)  # a rise is now bad
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02), dt.date(2026, 10, 31))
    assert check.achievability == "unknown"  # the target moves the KPI the wrong way: not classed
    assert check.letters["A"]["message"] == "smart.achievable_wrong_way"
    _with(monkeypatch, "followers", goal=None)  # no longer a goal KPI
    assert "followers" not in kpis.goal_kpis()
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02), dt.date(2026, 10, 31))
    assert not check.letters["S"]["pass"]


def test_tracking_reads_the_direction(monkeypatch):
    goal = {"id": "g", "kpi": "followers", "scope": "instagram", "baseline": 1000.0, "target": 1300.0,
            "deadline": "2027-03-31", "baseline_date": "2026-10-31", "objective": "community"}
    as_of = dt.date(2026, 10, 31)
    # the series ends at 1,243 and rises: the forecast passes 1,300 by the deadline
    assert tracking.goal_status(goal, _growing(0.02), _brief(), as_of)["status"] == "on_track"
    _with(monkeypatch, "followers", higher_is_better=False)
    # lower is better: 1,243 is already under the target of 1,300
    assert tracking.goal_status(goal, _growing(0.02), _brief(), as_of)["status"] == "reached"
    rising = {**goal, "target": 1200.0}  # under the latest value, and the series moves away from it
    assert tracking.goal_status(rising, _growing(0.02), _brief(), as_of)["status"] == "at_risk"


BENCHMARK = pd.DataFrame({
    "brand": ["Us", "A", "B"],
    "followers": [1000.0, 2000.0, 4000.0],
    "share_of_voice": [0.5, 0.3, 0.2],
})


def test_scorecard_reads_the_list_the_direction_and_the_unit(monkeypatch):
    card = synthesis.scorecard(BENCHMARK, "Us").set_index("kpi")
    assert list(card.index) == ["followers", "share_of_voice"]  # the registry's order, present columns
    assert card.loc["followers", "verdict"] == "weakness" and card.loc["followers", "objective"] == "community"
    assert format_value("share_of_voice", card.loc["share_of_voice", "brand"], "en") == "50.0%"
    _with(monkeypatch, "followers", higher_is_better=False, unit="percent", percent=True)
    card = synthesis.scorecard(BENCHMARK, "Us").set_index("kpi")
    assert card.loc["followers", "verdict"] == "strength"
    assert format_value("followers", card.loc["followers", "brand"], "en") == "100,000.0%"
    monkeypatch.setattr(kpis, "REGISTRY", dataclasses.replace(kpis.REGISTRY, scorecard=("share_of_voice",)))
    assert list(synthesis.scorecard(BENCHMARK, "Us")["kpi"]) == ["share_of_voice"]


def test_pages_write_values_in_the_registry_unit(monkeypatch):
    run = SimpleNamespace(
        lang="fr",
        kpi=lambda kpi_id: kpis.for_conventions(kpi_id, KpiConventions()),
        brief=SimpleNamespace(client=SimpleNamespace(currency="EUR")),
    )
    assert kpi_value(run, "engagement_rate", 0.045) == "4,50\u202f%"
    assert kpi_value(run, "sqls", 42.0) == "42"  # a whole count: no ",0"
    assert kpi_value(run, "sqls", 43.5) == "43,5"
    assert kpi_fmt(run, "response_rate", 0)(0.456) == "46\u202f%"
    assert kpi_fmt(run, "sqls", 0)(42.0) == "42"
    _with(monkeypatch, "sqls", unit="currency")
    assert kpi_value(run, "sqls", 42.0) == "42\u00a0€"
    assert kpi_fmt(run, "sqls", 0)(42.0) == "42\u00a0€"


# ------------------------------------------------------------------ docs/kpis.md
def test_the_committed_reference_is_in_step_with_the_registry():
    assert docs.DOCS_FILE.read_text(encoding="utf-8") == docs.render(), (
        "docs/kpis.md is out of date: run `make docs` and commit it"
    )


def test_the_reference_lists_every_kpi_with_its_facts_and_variants():
    text = docs.render()
    for record in kpis.KPIS.values():
        section = text.split(f"(`{record.id}`)\n", 1)[1].split("\n### ", 1)[0]
        for fact in (record.name("en"), record.name("fr"), record.unit, record.objective, record.formula):
            assert fact in section, (record.id, fact)
        assert ("lower is better" in section) is (not record.higher_is_better)
    assert "Average engagement rate (by followers)" in text and "Net sentiment (neutral included)" in text
    assert re.search(r"\| linkedin \| reactions, comments, reposts \|", text)
    raw = copy.deepcopy(RAW)
    raw["kpis"]["virality"]["formula"] = "shares over impressions"
    assert "`shares over impressions`" in docs.render(parse_registry(raw))
