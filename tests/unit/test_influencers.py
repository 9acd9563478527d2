"""Influencer shortlist: candidates from the brand's, its keywords' and its competitors' mentions,
tiered by their largest follower count, media and brands apart, scored per persona on the brief's
weights; ambassadors; the population KPIs. Small hand-made mentions, one rule each."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import BriefError, InfluencerWeights, Listening, Persona, load_brief
from helpers.method import evidence
from helpers.method import influencers as inf
from tests.conftest import DEMO

DEMO_BRIEF = load_brief(DEMO / "brief.yaml")
BRAND = DEMO_BRIEF.client.name  # Atelier Sève; competitors Maison Argile, Bulles d'Ici, Herbier Moderne
CLARA = Persona(
    name="Clara",
    interests=("skincare", "zero waste"),
    keywords=("zéro déchet", "vrac", "recharge", "consigne"),
)
HELENE = Persona(
    name="Hélène", interests=("wellness", "cooking"), keywords=("bien-être", "cuisine", "recette")
)
BRIEF = DEMO_BRIEF.model_copy(update={"targets": (CLARA, HELENE), "listening": Listening()})
RULE = evidence.Rule(min_posts=3, n_boot=200)
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)

_ids = iter(range(100_000))


def _mentions(author, n, text, *, followers=None, channel="instagram", brand=BRAND, sentiment="positive",
              start="2026-01-05", engagement=30, reach=1000, every="7D"):  # fmt: skip
    """``n`` mentions by ``author``; ``text``, ``followers`` and ``sentiment`` may be lists (one per mention)."""

    def each(value):
        return value if isinstance(value, list) else [value] * n

    return pd.DataFrame(
        {
            "mention_id": [f"m{next(_ids)}" for _ in range(n)],
            "published_at": pd.date_range(start, periods=n, freq=every, tz="UTC"),
            "channel": channel,
            "author": author,
            "author_followers": pd.array(each(followers), dtype="Int64"),
            "text": each(text),
            "url": "",
            "reach": pd.array(each(reach), dtype="Int64"),
            "engagement": pd.array(each(engagement), dtype="Int64"),
            "sentiment": each(sentiment),
            "emotion": "",
            "brand": brand,
            "source": "x.csv",
        }
    )


def _analyse(*frames, brief=BRIEF, rule=RULE):
    return inf.analyse(pd.concat(frames, ignore_index=True), brief, rule, START, END)


def _filler(k: int = 4) -> list[pd.DataFrame]:
    """Ordinary fans of the brand, on no persona's topic."""
    return [
        _mentions(f"fan{i}", 3, f"J'aime bien {BRAND}, livraison rapide", followers=2_000 + 100 * i)
        for i in range(k)
    ]


LEA = _mentions(
    "lea.vracetsimple",
    8,
    [
        f"Ma routine zéro déchet avec {BRAND} : recharge en vrac",
        f"Les flacons consignés de {BRAND}, enfin une recharge simple",
        f"Vrac et consigne chez {BRAND}, zéro déchet au quotidien",
        f"{BRAND} : recharge du shampoing en vrac",
    ]
    * 2,
    followers=[17_500, 17_800, 18_000, 18_100, 18_200, 18_300, 18_400, 18_500],
    engagement=80,
)
MAXIME = _mentions(
    "maxime.gaming",
    3,
    [
        f"Stream jeux vidéo ce soir, merci {BRAND} pour le colis",
        "Nouveau setup streaming",
        "Tournoi jeux vidéo",
    ],
    followers=420_000,
    sentiment="neutral",
    engagement=300,
    reach=60_000,
)


def test_tiers_follow_the_largest_follower_count_not_the_first():
    table = _analyse(
        _mentions("growing", 3, f"{BRAND} top", followers=[800, 12_000, 3_000]),
        _mentions("silent", 2, f"{BRAND} top", followers=None),
    ).candidates.set_index("author")
    assert table.loc["growing", "tier"] == "micro" and table.loc["growing", "followers"] == 12_000
    assert table.loc["silent", "tier"] == "unknown" and math.isnan(table.loc["silent", "followers"])


def test_media_and_brands_are_kept_apart_and_never_shortlisted():
    brief = BRIEF.model_copy(
        update={"listening": Listening(media=("Léa Hebdo Ouest",), brands=("savonnerie.du.port",))}
    )
    text = f"{BRAND} : recharge en vrac, zéro déchet"
    found = _analyse(
        _mentions("ouest-france", 4, text, channel="news", followers=50_000),  # the export's source type
        _mentions("Léa Hebdo Ouest", 4, text, followers=30_000),  # the brief's list
        _mentions("glow-mag", 4, text, followers=30_000),  # the heuristic (a media word)
        _mentions("maison.argile", 4, text, followers=30_000, brand="Maison Argile"),  # a competitor's handle
        _mentions("savonnerie.du.port", 4, text, followers=30_000),  # the brief's brands
        _mentions("lea", 4, text, followers=30_000),
        brief=brief,
    )
    kinds = found.candidates.set_index("author")["kind"]
    assert kinds["ouest-france"] == kinds["Léa Hebdo Ouest"] == kinds["glow-mag"] == "media"
    assert kinds["maison.argile"] == kinds["savonnerie.du.port"] == "brand"
    assert kinds["lea"] == "individual"
    assert set(found.scored["author"]) == {"lea"} and set(found.shortlist["author"]) == {"lea"}


def test_candidates_come_from_the_brand_its_competitors_and_its_keywords():
    brief = BRIEF.model_copy(update={"listening": Listening(keywords=("cosmétiques solides",))})
    table = _analyse(
        _mentions("a", 2, f"{BRAND} top"),
        _mentions("b", 2, "Maison Argile top", brand="Maison Argile"),
        _mentions("c", 2, "Les cosmetiques SOLIDES, le futur", brand="other query"),
        _mentions("d", 2, "Rien à voir", brand="other query"),
        brief=brief,
    ).candidates.set_index("author")
    assert set(table.index) == {"a", "b", "c"}
    assert table.loc["a", "brand_mentions"] == 2 and table.loc["b", "competitor_mentions"] == 2
    assert table.loc["b", "competitors"] == "Maison Argile" and table.loc["c", "keyword_mentions"] == 2
    assert math.isnan(table.loc["b", "net_sentiment"])  # no mention of the brand: unknown, not 0


def test_fit_ranks_a_matching_niche_author_above_a_larger_off_topic_one():
    found = _analyse(LEA, MAXIME, *_filler())
    clara = found.scored[found.scored["persona"] == "Clara"].set_index("author")
    assert clara.loc["lea.vracetsimple", "tier"] == "micro" and clara.loc["maxime.gaming", "tier"] == "macro"
    assert clara.loc["lea.vracetsimple", "fit_raw"] >= inf.MIN_FIT > clara.loc["maxime.gaming", "fit_raw"]
    assert clara.loc["lea.vracetsimple", "rank"] == 1
    assert clara.loc["lea.vracetsimple", "score"] > clara.loc["maxime.gaming", "score"]
    assert "vrac" in clara.loc["lea.vracetsimple", "fit_terms"]
    short = found.shortlist[found.shortlist["persona"] == "Clara"]
    assert short.iloc[0]["author"] == "lea.vracetsimple" and "maxime.gaming" not in set(short["author"])
    # Léa writes nothing about Hélène's topics: not on her shortlist
    assert "lea.vracetsimple" not in set(found.shortlist[found.shortlist["persona"] == "Hélène"]["author"])


def test_fit_matches_english_content_too():
    olivia = Persona(name="Olivia", interests=("supply chain",), keywords=("warehouse", "demand planning"))
    brief = BRIEF.model_copy(update={"targets": (olivia,)})
    found = _analyse(
        _mentions("ops_amy", 4, f"Our warehouses and demand planning with {BRAND}", followers=5_000),
        _mentions("big_chef", 4, f"Dinner recipes, thanks {BRAND}", followers=900_000),
        brief=brief,
    )
    rows = found.scored.set_index("author")
    assert rows.loc["ops_amy", "fit_raw"] > 0 and rows.loc["big_chef", "fit_raw"] == 0
    assert list(found.shortlist["author"]) == ["ops_amy"]


def test_text_is_folded_accents_case_plurals_and_stop_words():
    assert inf.tokens("Les Flacons CONSIGNÉS du Vrac") == ["flacon", "consigne", "vrac"]
    fit, terms = inf.topic_fit(
        pd.Series({"x": "mes flacons consignés", "y": "des savons solides", "z": ""}),
        {"P": ["consigne", "zéro déchet"]},
    )
    assert fit.loc["x", "P"] > 0 and fit.loc["y", "P"] == 0 and math.isnan(fit.loc["z", "P"])
    assert terms.loc["x", "P"] == "consigne"


def test_ambassadors_mention_the_brand_often_and_positively_whatever_their_audience():
    found = _analyse(
        _mentions("fan", 6, f"{BRAND} top", followers=150, sentiment=["positive"] * 5 + ["negative"]),
        _mentions("critic", 6, f"{BRAND} bof", followers=150, sentiment=["positive"] * 2 + ["negative"] * 4),
        _mentions("rare", 2, f"{BRAND} top", followers=150),
        _mentions("fan-mag", 6, f"{BRAND} top", followers=150),
    )
    assert list(found.ambassadors["author"]) == ["fan"]
    assert (
        found.candidates.set_index("author").loc["fan", "tier"] == "public"
    )  # under nano, still an ambassador
    stricter = BRIEF.model_copy(
        update={"influencers": BRIEF.influencers.model_copy(update={"ambassador_positive": 0.9})}
    )
    assert _analyse(
        _mentions("fan", 6, f"{BRAND} top", sentiment=["positive"] * 5 + ["negative"]), brief=stricter
    ).ambassadors.empty


def test_the_score_is_the_mean_of_the_known_parts_weighted_by_the_brief():
    values = pd.DataFrame({"fit": [1.0, 0.0], "mentions": [0.5, 1.0], "sentiment": [np.nan, 1.0]})
    weights = InfluencerWeights(fit=2, mentions=1, sentiment=1, engagement=0, growth=0, audience=0)
    score, coverage = inf.weighted_score(values, weights)
    assert score[0] == pytest.approx((2 * 1 + 0.5) / 3) and coverage[0] == pytest.approx(3 / 4)
    assert score[1] == pytest.approx((0 + 1 + 1) / 4) and coverage[1] == 1

    # the brief's weights change the ranking: audience alone puts the macro author first
    only_audience = InfluencerWeights(fit=0, mentions=0, sentiment=0, engagement=0, growth=0, audience=1)
    brief = BRIEF.model_copy(
        update={"influencers": BRIEF.influencers.model_copy(update={"weights": only_audience})}
    )
    clara = _analyse(LEA, MAXIME, brief=brief).scored.query("persona == 'Clara'").set_index("author")
    assert clara.loc["maxime.gaming", "rank"] == 1


def test_weights_come_from_the_brief_with_clear_errors(tmp_path):
    text = (DEMO / "brief.yaml").read_text(encoding="utf-8")
    assert DEMO_BRIEF.influencers.weights.fit == 2.0 and DEMO_BRIEF.targets[0].keywords
    for bad, expected in (
        ("influencers:\n  weights: {fit: 0, mentions: 0, sentiment: 0, engagement: 0, growth: 0, audience: 0}\n",
         "at least one influencer weight"),
        ("influencers:\n  weights: {fame: 1}\n", "fame"),
    ):  # fmt: skip
        start = text.index("influencers:\n")
        end = text.index("\n\n", start)
        path = tmp_path / "brief.yaml"
        path.write_text(text[:start] + bad + text[end + 1 :], encoding="utf-8")
        with pytest.raises(BriefError, match=expected):
            load_brief(path)


def test_growth_needs_two_counts_a_month_apart():
    table = _analyse(
        _mentions("grows", 3, f"{BRAND} top", followers=[1_000, 1_100, 1_210], every="30D"),
        _mentions("quick", 3, f"{BRAND} top", followers=[1_000, 1_100, 1_210], every="5D"),
    ).candidates.set_index("author")
    assert table.loc["grows", "growth"] == pytest.approx(1.21 ** (inf.DAYS_PER_MONTH / 60) - 1)
    assert math.isnan(table.loc["quick", "growth"])


def test_engagement_follows_the_sample_rule():
    found = _analyse(
        _mentions("few", 2, f"{BRAND} top", engagement=500),
        _mentions("many", 6, f"{BRAND} top", engagement=[100, 110, 90, 105, 95, 100]),
        *[_mentions(f"n{i}", 6, f"{BRAND} top", engagement=[8, 12, 10, 9, 11, 10]) for i in range(3)],
    )
    rows = found.candidates.set_index("author")
    assert rows.loc["few", "engagement_verdict"] == "too_few"
    assert rows.loc["many", "engagement_verdict"] == "above"
    scored = found.scored.drop_duplicates("author").set_index("author")
    assert math.isnan(scored.loc["few", "engagement"]) and scored.loc["many", "engagement"] > 0.5


def test_population_kpis_count_new_influencers_and_ambassadors():
    found = _analyse(
        _mentions("early", 6, f"{BRAND} top", followers=5_000, start="2026-01-05"),
        _mentions("late", 6, f"{BRAND} top", followers=5_000, start="2026-05-01", every="5D"),
        _mentions("public", 1, f"{BRAND} top", followers=100, start="2026-05-01"),
        _mentions("rival_fan", 3, "Maison Argile top", followers=5_000, brand="Maison Argile"),
    )
    pop = found.population
    assert pop["population"] == 3  # individual authors of the brand's mentions; rival_fan is not one
    assert pop["influencers"] == 2 and pop["ambassadors"] == 2
    assert pop["new_influencers"] == 1 and pop["new_ambassadors"] == 1
    assert pop["influencer_share"] == pytest.approx(2 / 3)
    assert pop["midpoint"] == "2026-04-01"


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="lacks author_followers"):
        inf.analyse(LEA.drop(columns="author_followers"), BRIEF, RULE, START, END)
    with pytest.raises(ValueError, match="ends"):
        inf.population(inf.candidates(LEA, BRIEF, RULE), END, START)
    empty = inf.analyse(LEA.iloc[:0], BRIEF, RULE, START, END)
    assert empty.shortlist.empty and empty.population["population"] == 0
    assert math.isnan(empty.population["influencer_share"])  # no population: unknown, not 0
