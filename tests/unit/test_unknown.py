"""Unknown stays unknown: a figure a platform does not give is "no data" everywhere, never 0, and
reads ``n.d.`` / ``n/a`` in the deliverables. Small hand-made tables."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import load_brief
from helpers.client.loading import ClientData
from helpers.method import goals, observation, strategy, synthesis, tracking
from helpers.report.display import table
from helpers.report.i18n import unknown
from helpers.report.pages import strategy as strategy_page
from helpers.report.pages import tracking as tracking_page
from helpers.report.pages.observation import target_sketches
from helpers.run.context import Run
from tests.conftest import DEMO

BRIEF = load_brief(DEMO / "brief.yaml")  # B2C; personas 25-44 and 45-64, women; facebook, instagram, linkedin, x


def _audience() -> pd.DataFrame:
    """Instagram gives ages and genders; LinkedIn gives countries only (no age data, as often)."""
    rows = [
        ("instagram", "age", "25-34", 0.40), ("instagram", "age", "35-44", 0.20),
        ("instagram", "age", "45-54", 0.10), ("instagram", "gender", "female", 0.80),
        ("linkedin", "country", "FR", 0.90), ("linkedin", "gender", "female", 0.50),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["channel", "dimension", "value", "share"])


def _run(tmp_path, lang: str, **tables: pd.DataFrame) -> Run:
    data = ClientData("demo", DEMO, BRIEF, dict(tables))
    return Run(data=data, lang=lang, run_dir=tmp_path, start=BRIEF.period.start, end=BRIEF.period.end)


def _text(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


# --------------------------------------------------------------------------- audience fit
def test_audience_share_is_unknown_without_a_breakdown_and_zero_for_an_unlisted_band():
    audience = _audience()
    assert observation.audience_share(audience, "instagram", "age", ["25-34", "35-44"]) == pytest.approx(0.6)
    assert observation.audience_share(audience, "instagram", "age", ["65+"]) == 0.0  # listed bands: a true 0
    assert math.isnan(observation.audience_share(audience, "linkedin", "age", ["25-34"]))  # no age data
    assert math.isnan(observation.audience_share(audience, "tiktok", "age", ["25-34"]))  # nothing at all


def test_a_network_without_demographics_has_an_unknown_audience_fit_and_is_ranked_on_the_rest():
    audience = _audience()
    assert strategy.audience_fit(BRIEF, audience, "instagram") == pytest.approx((0.4 + 0.2 + 0.1) * 0.8)
    assert math.isnan(strategy.audience_fit(BRIEF, audience, "linkedin"))  # not 0.0
    rates = pd.Series({"instagram": 0.05, "linkedin": 0.04, "facebook": 0.02})
    matrix = strategy.network_matrix(BRIEF, audience, rates)
    linkedin = matrix.loc["linkedin"]
    assert math.isnan(linkedin["audience_fit"])
    assert strategy.scored_on(linkedin) == [c for c in strategy.CRITERIA if c != "audience_fit"]
    w = BRIEF.network_weights.model_dump()
    kept = strategy.scored_on(linkedin)
    expected = sum(linkedin[c] * w[c] for c in kept) / sum(w[c] for c in kept)
    assert linkedin["score"] == pytest.approx(expected)
    # Counted as 0, the unknown fit would have pulled LinkedIn's score down by a fifth of its weight.
    as_zero = sum(linkedin[c] * w[c] for c in kept) / sum(w[c] for c in strategy.CRITERIA)
    assert linkedin["score"] > as_zero
    assert list(matrix.index) == list(matrix.sort_values("score", ascending=False).index)


def test_the_strategy_page_says_which_criteria_a_network_was_scored_on(tmp_path):
    matrix = strategy.network_matrix(BRIEF, _audience(), pd.Series({"instagram": 0.05, "linkedin": 0.04}))
    en = strategy_page.reason(_run(tmp_path, "en"), "linkedin", matrix.loc["linkedin"])
    assert "Scored on 4 of 5 criteria; no data for audience fit." in en
    fr = strategy_page.reason(_run(tmp_path, "fr"), "linkedin", matrix.loc["linkedin"])
    assert "Noté sur 4 critères sur 5\u202f; sans données\u202f: adéquation de l'audience." in fr
    tiktok = strategy_page.reason(_run(tmp_path, "en"), "tiktok", matrix.loc["tiktok"])
    assert "Scored on 3 of 5 criteria; no data for audience fit and observed performance." in tiktok
    full = strategy_page.reason(_run(tmp_path, "en"), "instagram", matrix.loc["instagram"])
    assert "Scored on" not in full


def test_personas_reach_says_no_age_data_rather_than_zero(tmp_path):
    for lang, missing in (("en", "LinkedIn: no age data"), ("fr", "LinkedIn : pas de données d'âge")):
        text = _text(target_sketches(_run(tmp_path, lang, audience=_audience())).markup)
        assert missing in text
        assert "LinkedIn: 0" not in text and "LinkedIn : 0" not in text
        assert ("Instagram: 60% of the audience is 25-34, 35-44" if lang == "en" else "Instagram : 60 %") in text


# --------------------------------------------------------------------------- ROI
def _posts(channel: str, reach: list) -> pd.DataFrame:
    return pd.DataFrame(
        {"channel": channel, "published_at": pd.Timestamp("2026-03-01", tz="UTC"),
         "reach": pd.array(reach, dtype="Int64")}
    )  # fmt: skip


def _roi_inputs() -> dict[str, pd.DataFrame]:
    """Facebook and Instagram give reach; LinkedIn and X do not. X has no spend row."""
    posts = pd.concat(
        [_posts("facebook", [100, 200]), _posts("instagram", [300, None]), _posts("linkedin", [None, None]),
         _posts("x", [None])],
        ignore_index=True,
    )  # fmt: skip
    day = pd.Timestamp("2026-03-01")
    spend = pd.DataFrame({"date": day, "channel": ["facebook", "instagram", "linkedin"], "campaign": "c",
                          "amount": [100.0, 200.0, 0.0], "hours": [10.0, 10.0, 5.0]})  # fmt: skip
    leads = pd.DataFrame({"date": day, "channel": ["facebook", "instagram", "linkedin"], "leads": [5, 8, 2],
                          "sqls": [1, 2, 1], "revenue": [1000.0, 100.0, 0.0]})  # fmt: skip
    followers = pd.DataFrame(columns=["date", "channel", "account", "followers"])
    return {"posts": posts, "spend": spend, "leads": leads, "followers": followers}


def _roi(inputs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tracking.roi_table(
        inputs["spend"], inputs["leads"], inputs["posts"], inputs["followers"], 40.0,
        ["facebook", "instagram", "linkedin", "x"], dt.date(2026, 1, 1), dt.date(2026, 12, 31),
    ).set_index("channel")  # fmt: skip


def test_roi_reach_is_unknown_where_the_platform_gives_none_and_the_total_says_what_it_covers():
    roi = _roi(_roi_inputs())
    assert roi.loc["facebook", "reach"] == 300 and roi.loc["instagram", "reach"] == 300  # known posts only
    assert pd.isna(roi.loc["linkedin", "reach"]) and pd.isna(roi.loc["x", "reach"])  # not 0
    assert roi.loc["total", "reach"] == 600
    assert tracking.total_coverage(roi.reset_index())["reach"] == ["linkedin", "x"]
    # X: no spend row, so its hours, money, cost and ROI are unknown; it brought no lead (a true 0).
    assert pd.isna(roi.loc["x", "hours"]) and pd.isna(roi.loc["x", "cost"]) and pd.isna(roi.loc["x", "roi"])
    assert roi.loc["x", "leads"] == 0 and roi.loc["x", "revenue"] == 0.0
    assert roi.loc["total", "cost"] == pytest.approx(500 + 600 + 200)
    assert roi.loc["total", "roi"] == pytest.approx((1100 - 1300) / 1300)  # over the networks with both known
    assert tracking.total_coverage(roi.reset_index())["cost"] == ["x"]
    assert tracking.partial_reach(_roi_inputs()["posts"], ["facebook", "instagram", "linkedin"]) == {
        "instagram": (1, 2)
    }


def test_roi_without_a_crm_extract_is_unknown_not_minus_100_percent():
    inputs = _roi_inputs()
    inputs["leads"] = inputs["leads"].iloc[0:0]
    roi = _roi(inputs)
    assert roi["revenue"].isna().all() and roi["leads"].isna().all() and roi["roi"].isna().all()
    assert pd.isna(roi.loc["total", "roi"])


def test_a_network_without_posts_has_a_true_zero_reach():
    inputs = _roi_inputs()
    inputs["posts"] = inputs["posts"][inputs["posts"]["channel"] != "x"]
    assert _roi(inputs).loc["x", "reach"] == 0


@pytest.mark.parametrize(
    ("lang", "covers", "missing"),
    [
        ("en", "Reach: total over Facebook and Instagram; unknown for LinkedIn and X, left out.", "n/a"),
        ("fr", "Portée : total sur Facebook et Instagram ; non disponible pour LinkedIn et X, laissé de côté.",
         "n.d."),
    ],
)  # fmt: skip
def test_the_roi_table_shows_unknown_reach_as_unknown_and_names_what_totals_cover(tmp_path, lang, covers, missing):
    section = tracking_page.roi(_run(tmp_path, lang, **_roi_inputs()))
    text = _text(section.markup)
    assert covers in text
    partial = {"en": "Reach on Instagram counts 1 of its 2 posts (the others give none).",
               "fr": "La portée sur Instagram compte 1 de ses 2 publications (les autres n'en donnent pas)."}  # fmt: skip
    assert partial[lang] in text
    rows = re.findall(r"<tr>(.*?)</tr>", section.markup)
    linkedin = [[_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows if "LinkedIn" in r][0]
    reach_column = list(section.table.columns).index("reach")
    assert linkedin[reach_column] == missing
    assert re.search(r"(?<![\w-])(<NA>|NaN|nan|None|inf)(?![\w-])", text) is None
    # The sentence gives the ROI over the networks whose cost and revenue are known, and names them.
    assert ("on Facebook, Instagram, and LinkedIn" if lang == "en" else "sur Facebook, Instagram et LinkedIn") in text


def test_the_roi_table_says_when_the_roi_cannot_be_measured(tmp_path):
    inputs = _roi_inputs()
    inputs["spend"] = inputs["spend"].iloc[0:0]
    section = tracking_page.roi(_run(tmp_path, "en", **inputs))
    text = _text(section.markup)
    assert "The ROI cannot be measured" in text and section.figure is None
    assert "Hours, time cost, money spent, total cost, followers gained, and ROI: unknown for every network." in text


# --------------------------------------------------------------------------- tables
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_table_writes_a_missing_number_or_date_as_unknown_and_a_missing_text_as_empty(lang):
    frame = pd.DataFrame(
        {
            "name": pd.array(["a", None], dtype="string"),
            "followers": pd.array([1200, None], dtype="Int64"),
            "rate": [0.5, np.nan],
            "day": pd.to_datetime(["2026-01-01", None]),
        }
    )
    cells = [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table(frame, lang=lang).markup)]
    assert cells[4:] == ["", unknown(lang), unknown(lang), unknown(lang)]
    assert unknown(lang) == {"fr": "n.d.", "en": "n/a"}[lang]
    formatted = table(frame, {"followers": lambda v: "x" if pd.isna(v) else str(v)}, lang=lang).markup
    assert "<NA>" not in formatted and "&lt;NA&gt;" not in formatted


def test_a_label_column_writes_a_missing_label_as_unknown(tmp_path):
    from helpers.report.pages.common import lab

    write = lab(_run(tmp_path, "en"), "channel")
    assert write("linkedin") == "LinkedIn" and write(pd.NA) == "n/a" and write(None) == "n/a"


# --------------------------------------------------------------------------- other figures
def test_mentions_reach_is_unknown_when_the_tool_gives_none():
    mentions = pd.DataFrame(
        {
            "mention_id": ["1", "2", "3"],
            "published_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-02-05"], utc=True),
            "brand": "B",
            "author": ["ann", "ann", "bob"],
            "author_followers": pd.array([None, None, 5000], dtype="Int64"),
            "reach": pd.array([None, None, 800], dtype="Int64"),
            "sentiment": ["positive", "negative", "positive"],
        }
    )
    monthly = observation.sentiment_monthly(mentions, "B", "Europe/Paris", False)
    assert pd.isna(monthly["reach"].iloc[0]) and monthly["reach"].iloc[1] == 800
    authors = observation.top_authors(mentions, "B", BRIEF.influencer_tiers).set_index("author")
    assert pd.isna(authors.loc["ann", "reach"]) and pd.isna(authors.loc["ann", "author_followers"])


def test_a_goal_on_reach_sees_unknown_months_not_zeros():
    posts = pd.concat([_posts("linkedin", [None, None]), _posts("facebook", [100, 50])], ignore_index=True)
    posts = posts.assign(reactions=1, comments=0, shares=0, saves=pd.NA)
    tables = {"posts": posts, "followers": pd.DataFrame(columns=["date", "channel", "followers"])}
    assert goals.monthly_series("reach", "linkedin", tables, BRIEF).isna().all()
    assert goals.monthly_series("reach", "facebook", tables, BRIEF).tolist() == [150.0]


def test_an_unknown_gap_in_the_scorecard_is_neither_strength_nor_weakness():
    bench = pd.DataFrame({"brand": ["Atelier Sève", "Maison Argile", "Bulles d'Ici"],
                          "followers": [100.0, 300.0, 50.0], "net_sentiment": [np.nan, 0.3, 0.2]})  # fmt: skip
    card = synthesis.scorecard(bench, "Atelier Sève").set_index("kpi")
    assert card.loc["net_sentiment", "verdict"] == "unknown"
    assert card.loc["followers", "verdict"] == "weakness"


def test_a_format_whose_rate_is_unknown_neither_leads_nor_grows():
    formats = pd.DataFrame({"channel": "linkedin", "format": ["video", "photo", "text"], "posts": [20, 20, 20],
                            "engagement_rate": [0.04, 0.02, np.nan],
                            "verdict": ["above", "below", "not_distinguishable"]})  # fmt: skip
    mix = strategy.format_mix(formats, ["linkedin"]).set_index("format")["share"]
    assert mix.index[0] == "video" and mix.notna().all() and mix.sum() == pytest.approx(1.0)
    assert mix["text"] <= 1 / 3  # an unknown rate is no evidence: never above its past share


# --------------------------------------------------------------------------- JSON
def test_json_artefacts_write_numpy_numbers_as_numbers_and_their_nan_as_null(tmp_path):
    from helpers.client.loading import write_json

    path = write_json(tmp_path / "goals.json", {"n": np.int64(3), "rate": np.float32("nan"), "ok": np.bool_(True),
                                                "x": [np.float64("inf"), pd.NA, None]})  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == {"n": 3, "rate": None, "ok": True, "x": [None, None, None]}
    assert '"nan"' not in text and "NaN" not in text


def test_the_network_matrix_chart_writes_unknown_in_a_cell_without_data():
    from helpers.report import charts
    from helpers.report.display import chart_texts

    values = pd.DataFrame({"Audience fit": [0.5, np.nan], "Score": [0.6, 0.4]}, index=["Instagram", "LinkedIn"])
    fig = charts.matrix(values, "t", lambda v: "n/a" if pd.isna(v) else f"{v:.2f}", "Score")
    texts = chart_texts(fig)
    assert "n/a" in texts and "0.50" in texts and "nan" not in " ".join(texts)
