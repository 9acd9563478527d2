"""Content themes: key terms, stop words, theme extraction and the themes that engage."""

from __future__ import annotations

import pytest

from helpers.method import themes

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
