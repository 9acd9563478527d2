"""Content themes: key terms, stop words, theme extraction and the themes that engage."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import KpiConventions
from helpers.method import evidence, themes
from helpers.method.synthesis import key_findings

FRENCH = [
    "Le zéro déchet au quotidien : nos recharges en vrac #vrac",
    "Zero dechet : rapportez vos flacons consignés #Vrac",
    "Nos flacons consignés et le zéro déchet, c'est simple",
    "Une nouvelle crème pour les mains",
]
ENGLISH = [
    "Our refill station is open: bring your bottles and refill #zerowaste",
    "Why we refill: the bottles come back to the workshop #ZeroWaste",
    "The new hand cream is here, with the bottles you know",
]


def test_top_terms_keeps_accents_and_matches_without_them():
    terms = dict(themes.top_terms(FRENCH, n=5))
    assert "zéro déchet" in terms  # the written form, accents kept
    assert terms["zéro déchet"] == pytest.approx(3 / 4)  # "Zero dechet" counts too
    assert terms["#vrac"] == pytest.approx(2 / 4)  # hashtags matched without case
    assert "flacons consignés" in terms


def test_top_terms_removes_french_and_english_stop_words():
    words = {t for t, _ in themes.top_terms(FRENCH + ENGLISH, n=20)}
    for stop in ("le", "les", "nos", "est", "the", "our", "and", "with", "you"):
        assert stop not in words
    assert {"refill", "bottles", "#zerowaste"} <= words


def test_top_terms_drops_a_word_its_phrase_covers_and_a_word_beside_its_hashtag():
    words = [t for t, _ in themes.top_terms(FRENCH, n=10)]
    assert "déchet" not in words and "zéro" not in words  # covered by "zéro déchet"
    assert "vrac" not in words  # "#vrac" is already there


def test_top_terms_leaves_out_brand_names_links_and_handles():
    texts = [
        "J'adore Atelier Sève, leur baume est top https://t.co/xyz @atelier.seve #AtelierSeve",
        "Atelier Sève : baume top, livraison rapide",
    ]
    words = {t for t, _ in themes.top_terms(texts, n=10, exclude=["Atelier Sève"])}
    assert "baume" in words
    assert not words & {"atelier", "sève", "#atelierseve", "atelier sève", "https", "xyz"}


def test_top_terms_needs_two_texts_per_term_and_checks_its_arguments():
    assert themes.top_terms(["unique mot", "autre chose"], n=3) == []
    assert themes.top_terms([], n=3) == []
    assert themes.top_terms([None, "savon savon"], n=3) == []  # a word counts once per text
    with pytest.raises(ValueError, match="n must be"):
        themes.top_terms(FRENCH, n=0)
    with pytest.raises(ValueError, match="no stop-word list"):
        themes.top_terms(FRENCH, langs=("de",))


# --- themes of a network's posts ----------------------------------------------------------------


REFILL = [
    "Recharge en boutique : rapportez votre flacon consigné #vrac",
    "Le flacon consigné revient en boutique, la recharge est prête #vrac",
    "Pensez à la recharge : flacon consigné et vrac en boutique",
    "Refill day: bring your flacon consigné for a recharge #vrac",
]
OTHER = [
    "Notre routine du soir en trois gestes avec la crème mains",
    "Coulisses de l'atelier : une nouvelle série de savons coulée ce matin",
    "Zoom sur le calendula, ingrédient star du baume",
    "Our evening routine with the hand cream, three steps",
    "Behind the scenes at the workshop: a new batch of soap",
]


def corpus(n_refill: int, n_other: int, lift: float, channel: str = "instagram") -> pd.DataFrame:
    """Posts of one network: ``n_refill`` about refills engaging ``1 + lift`` times the others
    (with a little noise), ``n_other`` on other subjects."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(n_refill + n_other):
        refill = i < n_refill
        text = REFILL[i % len(REFILL)] if refill else OTHER[i % len(OTHER)]
        reach = 1000
        reactions = int(round(40 * (1 + lift if refill else 1) * rng.uniform(0.9, 1.1)))
        rows.append({"post_id": f"p{i}", "channel": channel, "text": text, "permalink": f"https://x.test/{i}",
                     "format": "image", "reach": reach, "impressions": reach, "reactions": reactions,
                     "comments": 0, "shares": 0, "saves": 0})  # fmt: skip
    return pd.DataFrame(rows)


CONVENTION = KpiConventions(engagement_rate="reach", aggregation="ratio_of_sums")


def test_term_themes_find_the_subjects_of_a_french_and_english_corpus():
    texts = REFILL * 3 + OTHER * 3
    found = themes.term_themes(texts, n_themes=3)
    refill = [f for f in found if set(f[1]) == set(range(len(REFILL) * 3))]
    assert refill, found  # one theme holds exactly the refill posts
    names, members, example = refill[0]
    assert {"recharge", "flacon consigné"} & set(names)
    assert example in members
    for names, _, _ in found:
        assert not {"le", "la", "the", "your", "our", "est"} & set(" ".join(names).split())
    assert themes.term_themes(texts, n_themes=3) == found  # seeded: the same themes every time


def test_hashtag_themes_need_two_texts_and_ignore_case():
    found = themes.hashtag_themes(["#Vrac ici", "#vrac là", "#unique"])
    assert found == {"#vrac": [0, 1]}


def test_a_theme_that_engages_above_the_network_is_a_finding():
    posts = corpus(n_refill=16, n_other=40, lift=0.6)
    table = themes.theme_table(posts, CONVENTION, rule=evidence.Rule(min_posts=5))
    top = table[table["source"] == "posts"].iloc[0]
    assert "recharge" in top["terms"] or top["theme"] == "#vrac"
    assert top["verdict"] == "above" and top["lift"] > 0.4
    assert top["example_url"].startswith("https://x.test/")
    engaging = themes.engaging_themes(table, lift_threshold=0.3, min_posts=5)
    assert not engaging.empty
    found = themes.theme_findings(table, {"engagement": 1.0}, lift_threshold=0.3, min_posts=5)
    assert found and found[0]["kind"] == "opportunity" and found[0]["message"] == "themes.finding"
    assert found[0]["id"].startswith("theme_instagram_")
    assert len(found) <= themes.MAX_FINDINGS_PER_NETWORK


def test_a_theme_on_too_few_posts_is_not_a_finding():
    posts = corpus(n_refill=4, n_other=40, lift=1.0)
    table = themes.theme_table(posts, CONVENTION, rule=evidence.Rule(min_posts=5))
    refill = table[table["theme"] == "#vrac"]
    assert refill.iloc[0]["verdict"] == "too_few" and np.isnan(refill.iloc[0]["low"])
    assert themes.theme_findings(table, {"engagement": 1.0}, lift_threshold=0.3, min_posts=5) == []


def test_a_theme_that_engages_like_the_others_is_not_a_finding():
    posts = corpus(n_refill=16, n_other=40, lift=0.0)
    table = themes.theme_table(posts, CONVENTION, rule=evidence.Rule(min_posts=5))
    assert "above" not in set(table["verdict"])
    assert themes.theme_findings(table, {"engagement": 1.0}, 0.3, 5) == []


def test_theme_table_reads_mentions_apart_and_names_missing_columns():
    posts = corpus(n_refill=8, n_other=10, lift=0.0)
    mentions = pd.DataFrame({
        "mention_id": [f"m{i}" for i in range(6)], "channel": "x", "brand": ["Sève"] * 4 + ["Autre"] * 2,
        "text": ["Sève : super recharge #vrac"] * 4 + ["Autre marque #vrac"] * 2,
        "engagement": [5] * 6, "reach": [100] * 6, "url": ["https://x.test/m"] * 6,
    })  # fmt: skip
    table = themes.theme_table(
        posts, CONVENTION, rule=evidence.Rule(min_posts=2), mentions=mentions, brand="Sève"
    )
    heard = table[table["source"] == "mentions"]
    assert set(heard["channel"]) == {"x"} and heard.loc[heard["theme"] == "#vrac", "posts"].item() == 4
    with pytest.raises(ValueError, match="lacks text"):
        themes.theme_table(posts.drop(columns="text"), CONVENTION)


def test_key_findings_carry_the_engaging_theme_in_both_languages():
    from helpers.method.observation import SLOT_COLUMNS
    from helpers.report.words import finding_text
    from tests.unit.test_synthesis import brief_with

    posts = corpus(n_refill=16, n_other=40, lift=0.6)
    table = themes.theme_table(posts, CONVENTION, rule=evidence.Rule(min_posts=5))
    brief = brief_with()
    args = (
        brief,
        pd.DataFrame({"channel": ["instagram"], "response_rate": [1.0]}),
        pd.DataFrame(columns=["channel", "direction"]),
        pd.DataFrame(columns=["channel", "format", "posts", "lift", "low", "reference", "verdict"]),
        pd.DataFrame(columns=SLOT_COLUMNS),
        pd.DataFrame({"brand": [brief.client.name], "share_of_voice": [1.0]}),
    )
    assert not any(f.id.startswith("theme_") for f in key_findings(*args))
    found = [f for f in key_findings(*args, themes=table) if f.id.startswith("theme_instagram_")]
    assert found and found[0].kind == "opportunity"
    assert finding_text(found[0], "en", brief.kpi).startswith("On Instagram, posts about “")
    assert finding_text(found[0], "fr", brief.kpi).startswith("Sur Instagram, les publications sur «\u202f")


def test_engaging_themes_feed_the_pillar_they_share_a_word_with_or_suggest_one():
    table = pd.DataFrame([
        {"source": "posts", "channel": "instagram", "kind": "terms", "theme": "terms:1",
         "terms": "recharge · flacon consigné", "posts": 20, "lift": 0.5, "low": 0.06, "verdict": "above",
         "example_text": "Rapportez vos flacons consignés"},
        {"source": "posts", "channel": "facebook", "kind": "hashtag", "theme": "#jardinage", "terms": "#jardinage",
         "posts": 12, "lift": 0.4, "low": 0.05, "verdict": "above", "example_text": "Au potager"},
        {"source": "posts", "channel": "facebook", "kind": "terms", "theme": "terms:2", "terms": "coulisses",
         "posts": 12, "lift": 0.1, "low": 0.01, "verdict": "above", "example_text": "Coulisses"},
    ])  # fmt: skip
    pillars = ["Engagement et consigne", "Coulisses de l'atelier"]
    out = themes.pillar_themes(pillars, table, lift_threshold=0.3, min_posts=5)
    fed = out[out["pillar"] == "Engagement et consigne"]
    assert fed["theme"].tolist() == ["terms:1"] and "consig" in fed["shared"].item()
    assert out[out["pillar"] == "Coulisses de l'atelier"]["theme"].isna().all()  # lift under the threshold
    assert out[out["pillar"].isna()]["theme"].tolist() == ["#jardinage"]  # a suggested new pillar


def test_the_demo_planted_refill_theme_is_the_top_engaging_theme_on_instagram():
    from helpers.client import imports
    from helpers.client.brief import load_brief
    from helpers.kpis import rated_posts

    folder = Path(__file__).resolve().parents[2] / "data" / "clients" / "demo"
    brief = load_brief(folder / "brief.yaml")
    posts = imports.import_paths([folder / "exports"], tz=brief.client.timezone).tables["posts"]
    table = themes.theme_table(rated_posts(posts), brief.kpi, rule=evidence.Rule.of(brief.analysis))
    engaging = themes.engaging_themes(table, brief.analysis.lift_threshold, brief.analysis.min_posts)
    top = engaging[engaging["channel"] == "instagram"].iloc[0]
    assert re.search(r"recharg|consign|vrac", top["terms"]), top["terms"]
    assert "facebook" in set(engaging["channel"])
    found = themes.theme_findings(
        table, {"engagement": 1.0}, brief.analysis.lift_threshold, brief.analysis.min_posts
    )
    assert any(f["id"].startswith("theme_instagram_") for f in found)
