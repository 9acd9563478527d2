"""Severity, the brief's weights, the data's PESTEL entries and the choice of problems."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from helpers.client.brief import Brief, load_brief
from helpers.method import observation, synthesis
from helpers.report.words import entry_text, finding_text
from tests.conftest import DEMO


def brief_with(**synthesis_keys) -> Brief:
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["synthesis"] = synthesis_keys
    return Brief.model_validate(raw)


def finding(kind: str = "weakness", value: float = 1.0, reference: float = 2.0, weight: float = 1.0):
    gap = (value - reference) / reference
    return synthesis.Finding("f", kind, "engagement", "engagement_rate", "all", value, reference, gap, weight)


def test_gap_size_is_symmetric_in_log_and_falls_back_to_the_gap():
    assert synthesis.gap_size(1.0, 2.0, -0.5) == pytest.approx(math.log(2))
    assert synthesis.gap_size(2.0, 1.0, 1.0) == pytest.approx(math.log(2))  # doubling = halving
    # Net sentiment can be negative: the ratio means nothing, the relative gap is used.
    assert synthesis.gap_size(-0.1, 0.2, -1.5) == pytest.approx(1.5)
    assert synthesis.gap_size(float("nan"), 0.2, float("nan")) == 0.0


def test_a_strength_weighs_less_than_a_weakness_of_the_same_size():
    weak = synthesis.severity(finding("weakness", 1.0, 2.0), strength_weight=0.5)
    strong = synthesis.severity(finding("strength", 2.0, 1.0), strength_weight=0.5)
    assert weak == pytest.approx(math.log(2), abs=1e-4)
    assert strong == pytest.approx(0.5 * math.log(2), abs=1e-4)
    assert synthesis.severity(finding("strength", 2.0, 1.0), strength_weight=1.0) == weak


def test_objective_weights_come_from_the_goals_unless_the_brief_sets_them():
    default = synthesis.objective_weights(brief_with())
    # The demo sets goals on community, engagement, satisfaction and leads, none on awareness.
    assert default == {"awareness": 0.5, "community": 1.0, "engagement": 1.0, "satisfaction": 1.0, "leads": 1.0}
    chosen = synthesis.objective_weights(brief_with(objective_weights={"awareness": 2.0, "leads": 0.2}))
    assert chosen["awareness"] == 2.0 and chosen["leads"] == 0.2 and chosen["engagement"] == 1.0


def test_brief_weights_change_the_ranking():
    audit = pd.DataFrame({"channel": ["facebook"], "response_rate": [0.95]})
    trend = pd.DataFrame({"channel": ["facebook"], "before": [0.04], "recent": [0.03], "change": [-0.25],
                          "before_start": ["2026-05-01"], "before_end": ["2026-07-31"], "recent_start": ["2026-08-01"],
                          "recent_end": ["2026-10-31"], "low": [-0.35], "high": [-0.15], "posts_before": [40],
                          "posts_recent": [40], "direction": ["fall"]})
    empty_formats = pd.DataFrame(columns=observation.FORMAT_COLUMNS)
    no_slots = pd.DataFrame(columns=observation.SLOT_COLUMNS)
    bench = pd.DataFrame({"brand": ["Atelier Sève", "Maison Argile"], "share_of_voice": [0.3, 0.5]})
    args = (audit, trend, empty_formats, no_slots, bench)
    low = synthesis.key_findings(brief_with(objective_weights={"awareness": 0.5}), *args)
    high = synthesis.key_findings(brief_with(objective_weights={"awareness": 1.0}), *args)
    assert [f.id for f in low] == ["decline_facebook", "sov_leader"]  # ln(4/3)=0.29 > 0.5·ln(5/3)=0.26
    assert [f.id for f in high] == ["sov_leader", "decline_facebook"]  # ln(5/3)=0.51
    assert high[0].severity == pytest.approx(math.log(5 / 3), abs=1e-4)


def test_finding_sentences_name_the_engagement_rate_variant():
    audit = pd.DataFrame({"channel": ["facebook"], "response_rate": [0.95]})
    trend = pd.DataFrame({"channel": ["facebook"], "before": [0.04], "recent": [0.02], "change": [-0.5],
                          "before_start": ["2026-05-01"], "before_end": ["2026-07-31"], "recent_start": ["2026-08-01"],
                          "recent_end": ["2026-10-31"], "low": [-0.6], "high": [-0.4], "posts_before": [40],
                          "posts_recent": [40], "direction": ["fall"]})
    formats = pd.DataFrame({"channel": ["instagram"], "format": ["reel"], "posts": [30], "share": [0.3],
                            "engagement_rate": [0.12], "low": [0.10], "high": [0.14], "reference": [0.12 / 2.2],
                            "lift": [1.2], "verdict": ["above"]})
    slots = pd.DataFrame(columns=observation.SLOT_COLUMNS)
    bench = pd.DataFrame({"brand": ["Atelier Sève"], "share_of_voice": [1.0]})
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    for denominator, name in (("reach", "(by reach)"), ("impressions", "(by impressions)")):
        raw["kpi"]["engagement_rate"] = denominator
        brief = Brief.model_validate(raw)
        found = synthesis.key_findings(brief, audit, trend, formats, slots, bench)
        texts = {f.id: finding_text(f, "en", brief.kpi) for f in found}
        assert texts["decline_facebook"].startswith(f"Engagement rate {name} on Facebook fell 50%")
        assert f"engagement rate {name}: 12.00%, interval 10.00% to 14.00%" in texts["format_instagram"]


def test_pestel_merges_the_brief_with_figures_from_the_data():
    brief = load_brief(DEMO / "brief.yaml")
    formats = pd.DataFrame({"channel": ["instagram", "instagram", "x"], "format": ["reel", "photo", "text"],
                            "posts": [40, 60, 4], "engagement_rate": [0.09, 0.04, 0.5], "low": [0.08, 0.03, 0.4],
                            "reference": [0.04, 0.09, 0.125], "lift": [1.19, -0.3, 3.0],
                            "verdict": ["above", "below", "above"]})
    ages = pd.DataFrame({"instagram": [0.2, 0.45, 0.35]}, index=["18-24", "25-34", "35-44"])
    months = pd.date_range("2026-01-01", periods=12, freq="MS")
    monthly = pd.Series([100] * 11 + [200], index=months)
    emotions = pd.Series({"joy": 0.6, "sadness": 0.4})
    merged = synthesis.pestel(brief, formats, ages, monthly, emotions)
    assert merged["legal"] == [{"source": "brief", "text": brief.pestel.legal[0]}]
    assert entry_text(merged["legal"][0], "en", brief.kpi) == f"{brief.pestel.legal[0]} (strategist)"
    assert json.dumps(merged, allow_nan=False)  # numbers and ids: the same file in every language
    data = {
        factor: [entry_text(e, "en", brief.kpi).removesuffix(" (data)") for e in entries if e["source"] == "data"]
        for factor, entries in merged.items()
    }
    assert data["technological"] == ["On Instagram, reel posts carry engagement: 119% above the other formats (40 posts)."]
    # x's text posts lift 300 % but on 4 posts only, under the brief's analysis.min_posts (5).
    raised = synthesis.pestel(brief, formats.assign(posts=[40, 60, 5]), ages, monthly, emotions, min_posts=5)
    assert any("On X, text posts" in entry_text(e, "en", brief.kpi) for e in raised["technological"])
    strict = synthesis.pestel(brief, formats.assign(posts=[40, 60, 5]), ages, monthly, emotions, min_posts=41)
    assert [e for e in strict["technological"] if e["source"] == "data"] == []
    assert any("25-34 (45% of the audience)" in line for line in data["sociocultural"])
    assert any(line.startswith("Joy is the dominant emotion") and "60%" in line for line in data["sociocultural"])
    # 200 against a mean of 108.3: +85 %.
    assert data["economic"] == [
        "The conversation about the brand peaks in Dec 2026: 200 mentions, 85% above the monthly average."
    ]
    assert data["political"] == [] and data["environmental"] == []


def test_flat_conversation_gives_no_season():
    months = pd.date_range("2026-01-01", periods=12, freq="MS")
    assert synthesis._pestel_season(pd.Series([100] * 12, index=months)) == []


def test_brief_rejects_bad_synthesis_keys(tmp_path):
    raw = (DEMO / "brief.yaml").read_text(encoding="utf-8")
    path = tmp_path / "brief.yaml"
    path.write_text(raw.replace("strength_weight: 0.5", "strength_weight: 3"), encoding="utf-8")
    with pytest.raises(Exception, match="synthesis.strength_weight"):
        load_brief(path)


def test_problems_are_the_chosen_findings_or_the_defects_among_the_most_severe():
    from helpers.method.problem import UnknownProblemError, choose_problems

    found = [
        {"id": "reels", "kind": "opportunity"},
        {"id": "decline", "kind": "weakness"},
        {"id": "leader", "kind": "threat"},
        {"id": "care", "kind": "weakness"},
    ]
    # the defects among the `count` most severe findings (analysis.findings), not the first
    # `count` defects: the opportunity ranked first takes a place
    assert [p["id"] for p in choose_problems(found, count=2)] == ["decline"]
    assert [p["id"] for p in choose_problems(found, count=3)] == ["decline", "leader"]
    assert [p["id"] for p in choose_problems(found)] == ["decline", "leader", "care"]
    assert choose_problems(found, count=1) == []
    assert [p["id"] for p in choose_problems(found, ["care", "reels"])] == ["care", "reels"]
    with pytest.raises(UnknownProblemError, match=r"\['nope'\].*findings of this run: \['care'"):
        choose_problems(found, ["nope"])


def test_the_stakes_are_the_defects_among_the_findings_setting(tmp_path):
    from helpers.client.loading import ClientData
    from helpers.report.pages import problem
    from helpers.run.context import Run

    brief = load_brief(DEMO / "brief.yaml")

    def run(step: str) -> Run:
        return Run(ClientData("demo", DEMO, brief, {}), "en", tmp_path, brief.period.start, brief.period.end,
                   step=step)

    def found(id_: str, kind: str, rate: float) -> dict:
        return synthesis.Finding(
            id_, kind, "satisfaction", "response_rate", "all", rate, 0.9, rate / 0.9 - 1, 1.0, 1 - rate,
            message="findings.care_response", values={"rate": rate, "target": 0.9},
            kinds={"rate": "percent:0", "target": "percent:0"}).as_dict()

    run("02_synthesis").save("findings", [found("a", "opportunity", 0.5), found("b", "weakness", 0.6),
                                          found("c", "threat", 0.7), found("d", "weakness", 0.8)])
    step = run("03_problem_statement")
    two = problem.problems(step, findings=2)
    assert two.table[["rank", "id"]].values.tolist() == [[2, "b"]]
    assert "among the 2 most severe findings" in two._repr_html_()
    assert problem.problems(step).table["id"].tolist() == ["b", "c", "d"]  # the brief's analysis.findings, 5
    none = problem.problems(step, findings=1)
    assert none.table.empty and "None of the 1 most severe finding of the audit" in none._repr_html_()
    tree = problem.kpi_tree(step, two)
    assert tree.figure is not None
    assert ("Stakes from the audit", "satisfaction", "response_rate") in tree.table.itertuples(index=False, name=None)
    problem.save(step, two)
    assert [p["id"] for p in run("04_smart_goals").load("problems")] == ["b"]



def test_the_top_findings_cover_different_subjects():
    """One theme seen on three networks, or two shifts of one competitor, take one top place each:
    the next subject (a falling network) is not pushed out of the five findings that matter."""
    from helpers.method.synthesis import Finding, subject_of, top_findings

    def f(id_, message, kpi="engagement_rate", subject=""):
        return Finding(id_, "opportunity", "engagement", kpi, "all", 1.0, 1.0, 0.0, 1.0, message=message,
                       subject=subject)  # fmt: skip

    ranked = [
        f("rival_growth", "findings.rival_growth_rise", "follower_growth", "competitor:Herbier"),
        f("format_ig", "findings.format"),
        f("rival_sov", "findings.rival_sov_rise", "share_of_voice", "competitor:Herbier"),
        f("theme_ig", "themes.finding"),
        f("theme_fb", "themes.finding"),
        f("best_slot", "findings.best_slot"),
        f("decline_fb", "findings.decline"),
        f("sov_leader", "findings.sov_leader", "share_of_voice"),
    ]
    assert subject_of(ranked[0]) == subject_of(ranked[2]) == "competitor:Herbier"
    assert subject_of(ranked[3].as_dict()) == "themes.finding|engagement_rate"
    top = [ranked[i].id for i in top_findings(ranked, 5)]
    assert top == ["rival_growth", "format_ig", "theme_ig", "best_slot", "decline_fb"]
    # fewer subjects than places: the next most severe fill the rest, in order
    assert top_findings(ranked[3:5], 2) == [0, 1]
    assert top_findings([], 5) == []
