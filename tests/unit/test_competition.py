"""Competitors over time: community and growth per month, share of voice per month, the shifts
between the trend's two windows and the findings they make, on small hand-made tables."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import Brief, load_brief
from helpers.method import competition, evidence, observation, synthesis
from helpers.report.words import finding_text
from tests.conftest import DEMO

START, END = dt.date(2025, 12, 1), dt.date(2026, 6, 30)  # seven full months: Jan–Mar against Apr–Jun
MONTHS = pd.date_range("2025-12-01", "2026-06-01", freq="MS")
RULE = evidence.Rule(min_posts=5, confidence=0.95, n_boot=1000, seed=7)
CLIENT = "Atelier Sève"


def brief() -> Brief:
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["competitors"] = [
        {"name": "Rival A", "handles": {"instagram": "rival.a"}},
        {"name": "Rival B", "handles": {"instagram": "rival.b"}},
    ]
    return Brief.model_validate(raw)


def grown(start: float, rates: list[float]) -> list[int]:
    """Month-end communities: the first month's, then each month grown by its rate."""
    values = [start]
    for rate in rates:
        values.append(values[-1] * (1 + rate))
    return [round(v) for v in values]


def competitors(a: list, b: list) -> pd.DataFrame:
    """The competitors table: Rival A and Rival B on Instagram, one row per month (None: no row)."""
    rows = [
        {
            "date": m.date(),
            "brand": name,
            "channel": "instagram",
            "followers": f,
            "posts": 10,
            "interactions": 500,
        }
        for name, values in (("Rival A", a), ("Rival B", b))
        for m, f in zip(MONTHS, values, strict=True)
        if f is not None
    ]
    return pd.DataFrame(rows)


def client_followers() -> pd.DataFrame:
    """The client's daily records on two networks, +10 followers a day on each."""
    days = pd.date_range(START, END, freq="D")
    return pd.concat(
        [
            pd.DataFrame({"date": days.date, "channel": channel, "account": account,
                          "followers": base + 10 * np.arange(len(days))})
            for channel, account, base in (("instagram", "atelier.seve", 5000), ("facebook", "atelierseve", 2000))
        ],
        ignore_index=True,
    )  # fmt: skip


def mentions(recent_a: int = 30, per_month: int = 100) -> pd.DataFrame:
    """Each month ``per_month`` mentions: Rival A has 10 a month before April, ``recent_a`` from
    April; Rival B 10 a month; the client the rest. Every mention is positive."""
    rows = []
    for m in MONTHS:
        a = 10 if m < pd.Timestamp("2026-04-01") else recent_a
        for i, brand in enumerate([CLIENT] * (per_month - a - 10) + ["Rival A"] * a + ["Rival B"] * 10):
            rows.append({
                "mention_id": f"{m:%m}-{i}", "published_at": (m + pd.Timedelta(hours=i % 600)).tz_localize("UTC"),
                "channel": "instagram", "author": f"p{i}", "text": "", "brand": brand, "sentiment": "positive",
            })  # fmt: skip
    return pd.DataFrame(rows)


def shifts_of(comp: pd.DataFrame, talk: pd.DataFrame | None = None) -> pd.DataFrame:
    community = competition.community_monthly(brief(), client_followers(), comp, START, END)
    talk = mentions(recent_a=10) if talk is None else talk
    return competition.shifts(brief(), talk, community, "UTC", START, END, RULE)


def row(table: pd.DataFrame, brand: str, metric: str, channel: str = "all") -> pd.Series:
    hit = table[(table["brand"] == brand) & (table["metric"] == metric) & (table["channel"] == channel)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


STEADY = grown(10_000, [0.010, 0.011, 0.010, 0.011, 0.010, 0.011])


def test_community_per_month_per_network_and_in_total():
    comp = competitors(STEADY, STEADY)
    table = competition.community_monthly(brief(), client_followers(), comp, START, END)
    mine = table[(table["brand"] == CLIENT) & (table["channel"] == "instagram")].set_index("month")
    # the last record of December (day 31) and of January (day 62)
    assert mine.loc["2025-12-01", "followers"] == 5000 + 10 * 30
    assert mine.loc["2026-01-01", "gained"] == 10 * 31
    assert mine.loc["2026-01-01", "growth"] == pytest.approx(310 / 5300)
    assert math.isnan(mine.loc["2025-12-01", "growth"])  # nothing before the first month: unknown, not 0
    total = table[(table["brand"] == CLIENT) & (table["channel"] == "all")].set_index("month")
    assert total.loc["2025-12-01", "followers"] == 5300 + 2300
    rival = table[(table["brand"] == "Rival A") & (table["channel"] == "instagram")].set_index("month")
    assert rival["followers"].tolist() == STEADY
    assert rival.loc["2026-03-01", "growth"] == pytest.approx(STEADY[3] / STEADY[2] - 1)


def test_an_unknown_month_is_unknown_never_zero():
    gap = [*STEADY[:3], None, *STEADY[4:]]  # no figure for March
    table = competition.community_monthly(brief(), client_followers(), competitors(gap, STEADY), START, END)
    rival = table[(table["brand"] == "Rival A") & (table["channel"] == "instagram")].set_index("month")
    assert math.isnan(rival.loc["2026-03-01", "followers"])
    assert math.isnan(rival.loc["2026-03-01", "growth"]) and math.isnan(rival.loc["2026-04-01", "growth"])
    assert rival.loc["2026-05-01", "growth"] == pytest.approx(STEADY[5] / STEADY[4] - 1)
    # the client's total is unknown in a month where one of its networks has no record
    followers = client_followers()
    followers = followers[
        ~((followers["channel"] == "facebook") & (pd.to_datetime(followers["date"]).dt.month == 2))
    ]
    table = competition.community_monthly(brief(), followers, competitors(STEADY, STEADY), START, END)
    total = table[(table["brand"] == CLIENT) & (table["channel"] == "all")].set_index("month")
    assert math.isnan(total.loc["2026-02-01", "followers"]) and not math.isnan(
        total.loc["2026-01-01", "followers"]
    )


def test_unknown_months_make_a_growth_shift_too_few_and_no_finding():
    fast = grown(10_000, [0.010, 0.011, 0.010, 0.030, 0.032, 0.031])
    fast[5] = None  # May unknown: May's and June's growth are unknown
    table = shifts_of(competitors(fast, STEADY))
    shift = row(table, "Rival A", "follower_growth", "instagram")
    assert shift["direction"] == "too_few" and shift["units_recent"] == 1
    assert competition.shift_findings(table, synthesis.objective_weights(brief()), 0.15) == []


def test_a_competitor_growing_three_times_faster_is_a_threat():
    fast = grown(10_000, [0.010, 0.011, 0.010, 0.030, 0.032, 0.031])  # Jan–Mar ~1 %/month, Apr–Jun ~3 %
    table = shifts_of(competitors(fast, STEADY))
    shift = row(table, "Rival A", "follower_growth", "instagram")
    assert shift["direction"] == "rise" and shift["change"] > 1.5 and shift["low"] > 0
    assert (shift["units_before"], shift["units_recent"]) == (3, 3)
    found = competition.shift_findings(table, synthesis.objective_weights(brief()), 0.15)
    assert [f["id"] for f in found] == ["rival_growth_rise_rival-a_instagram"]
    assert found[0]["kind"] == "threat" and found[0]["objective"] == "community"
    english = finding_text(found[0], "en", brief().kpi)
    assert english.startswith("Rival A grows faster on Instagram: its monthly follower growth went from +1.")
    assert "Apr–Jun 2026" in english
    assert finding_text(found[0], "fr", brief().kpi).startswith("Rival A croît plus vite sur Instagram")


def test_noise_in_growth_is_not_a_finding():
    noisy = grown(10_000, [0.010, 0.010, 0.014, 0.011, 0.009, 0.013])  # the months of both windows overlap
    table = shifts_of(competitors(STEADY, noisy))
    assert row(table, "Rival B", "follower_growth", "instagram")["direction"] == "not_distinguishable"
    # a real but small change is under the threshold
    small = grown(10_000, [0.0100, 0.0100, 0.0101, 0.0102, 0.0104, 0.0105])
    table = shifts_of(competitors(small, STEADY))
    shift = row(table, "Rival A", "follower_growth", "instagram")
    assert abs(shift["change"]) < 0.15
    assert competition.notable_shifts(table, 0.15).empty


def test_a_competitor_doubling_its_share_of_voice_is_a_threat_and_noise_is_not():
    table = shifts_of(competitors(STEADY, STEADY), mentions(recent_a=25))  # 10 % of the mentions, then 25 %
    a = row(table, "Rival A", "share_of_voice")
    assert a["before"] == pytest.approx(0.10) and a["recent"] == pytest.approx(0.25)
    assert a["direction"] == "rise" and (a["units_before"], a["units_recent"]) == (300, 300)
    assert row(table, "Rival B", "share_of_voice")["direction"] == "not_distinguishable"  # 10 % both times
    found = competition.shift_findings(table, synthesis.objective_weights(brief()), 0.15)
    assert [f["id"] for f in found] == ["rival_sov_rise_rival-a"]
    assert found[0]["kind"] == "threat" and found[0]["kpi"] == "share_of_voice"
    assert "25%" in finding_text(found[0], "en", brief().kpi)
    # the client's own share fell as much: shown, never a competitor finding
    assert row(table, CLIENT, "share_of_voice")["direction"] == "fall"


def test_a_competitor_losing_voice_is_an_opportunity():
    table = shifts_of(competitors(STEADY, STEADY), mentions(recent_a=2))
    found = competition.shift_findings(table, synthesis.objective_weights(brief()), 0.15)
    assert [(f["id"], f["kind"]) for f in found] == [("rival_sov_fall_rival-a", "opportunity")]


def test_voice_per_month_keeps_unknown_apart_from_zero():
    talk = mentions(recent_a=10)
    talk = talk[
        ~(
            (talk["published_at"].dt.month == 2)
            | ((talk["brand"] == "Rival B") & (talk["published_at"].dt.month == 3))
        )
    ]
    voice = competition.voice_monthly(talk, [CLIENT, "Rival A", "Rival B"], "UTC", START, END, False)
    voice = voice.set_index(["month", "brand"])
    feb, mar = pd.Timestamp("2026-02-01"), pd.Timestamp("2026-03-01")
    assert voice.loc[(feb, "Rival A"), "mentions"] == 0 and math.isnan(
        voice.loc[(feb, "Rival A"), "share_of_voice"]
    )
    assert voice.loc[(mar, "Rival B"), "share_of_voice"] == 0.0  # talked about nobody but the others: 0 %
    assert math.isnan(voice.loc[(mar, "Rival B"), "net_sentiment"])  # no mention: unknown sentiment
    assert voice.loc[(mar, "Rival A"), "share_of_voice"] == pytest.approx(10 / 90)
    assert voice.loc[(mar, "Rival A"), "net_sentiment"] == 1.0


def test_key_findings_adds_the_competitors_shifts():
    table = shifts_of(competitors(STEADY, STEADY), mentions(recent_a=25))
    audit = pd.DataFrame({"channel": ["facebook"], "response_rate": [0.95]})
    empty = pd.DataFrame(columns=observation.TREND_COLUMNS)
    bench = pd.DataFrame({"brand": [CLIENT], "share_of_voice": [1.0]})
    args = (brief(), audit, empty, pd.DataFrame(columns=observation.FORMAT_COLUMNS),
            pd.DataFrame(columns=observation.SLOT_COLUMNS), bench)  # fmt: skip
    assert "rival_sov_rise_rival-a" in {f.id for f in synthesis.key_findings(*args, shifts=table)}
    assert not synthesis.key_findings(*args)


def test_too_short_a_period_has_no_shift_and_bad_settings_are_refused():
    community = competition.community_monthly(
        brief(), client_followers(), competitors(STEADY, STEADY), START, END
    )
    short = competition.shifts(brief(), mentions(), community, "UTC", START, dt.date(2026, 2, 28), RULE)
    assert short.empty and list(short.columns) == competition.SHIFT_COLUMNS
    windows = observation.trend_windows(START, END)
    with pytest.raises(ValueError, match="min_months"):
        competition.growth_shift(community, windows, RULE, min_months=0)
    with pytest.raises(ValueError, match="min_mentions"):
        competition.leading_themes(mentions(), brief(), min_mentions=0)


def test_each_competitor_gets_its_leading_themes_from_its_mentions():
    texts = {
        "Rival A": ["Le shampoing solide de Rival A, zéro déchet !", "Rival A et son shampoing solide en vrac",
                    "J'adore le shampoing solide #zerodechet", "Rival A : shampoing solide top"],
        "Rival B": ["Rival B launches a refill station", "Refill station at Rival B, great idea",
                    "Another refill station by Rival B"],
        CLIENT: ["Atelier Sève rocks"],
    }  # fmt: skip
    talk = pd.DataFrame(
        [{"brand": b, "text": t} for b, items in texts.items() for t in items]
        + [{"brand": "Rival A", "text": None}]
    )
    themes = competition.leading_themes(talk, brief(), n=3, min_mentions=3)
    assert list(themes["brand"].unique()) == ["Rival A", "Rival B"]  # competitors only
    a = themes[themes["brand"] == "Rival A"]
    assert a.iloc[0]["term"] == "shampoing solide" and a.iloc[0]["share"] == 1.0
    assert (a["mentions"] == 4).all()  # a mention without a text is not counted
    assert "refill station" in set(themes.loc[themes["brand"] == "Rival B", "term"])
    assert not themes["term"].str.contains("rival", case=False).any()  # brand names are no theme
    assert competition.leading_themes(talk, brief(), n=3, min_mentions=5).empty


def test_a_growth_finding_weighs_the_networks_share_of_the_competitors_community():
    fast = grown(10_000, [0.010, 0.011, 0.010, 0.030, 0.032, 0.031])
    comp = competitors(fast, STEADY)
    big = comp[comp["brand"] == "Rival A"].assign(channel="linkedin", followers=30_000)  # flat, 3× larger
    table = shifts_of(pd.concat([comp, big], ignore_index=True))
    shift = row(table, "Rival A", "follower_growth", "instagram")
    share = fast[-1] / (fast[-1] + 30_000)
    assert shift["direction"] == "rise" and shift["community_share"] == pytest.approx(share)
    weights = synthesis.objective_weights(brief())
    found = competition.shift_findings(table, weights, 0.15)
    assert [f["id"] for f in found] == ["rival_growth_rise_rival-a_instagram"]  # the total repeats it
    assert found[0]["weight"] == pytest.approx(weights["community"] * share, abs=1e-4)
