"""Plain language in the report's body: KPI notes link to the glossary instead of repeating a
definition, method details link to the Method appendix, and ratios are bracketed."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from helpers import kpis
from helpers.client.brief import Analysis, KpiConventions
from helpers.kpis.registry import bracketed
from helpers.report.display import caption, figure, link, linked, say, table, unlinked
from helpers.report.i18n import catalogue, t
from helpers.report.method import TOPICS, method_rows
from helpers.report.pages.common import kpi_note, method_link

LANGS = ("fr", "en")
#: Words of the method that the body leaves to the appendix.
TECHNICAL = re.compile(r"bootstrap|silhouette|k-moyennes|k-means|log-lin|TF-IDF|NMF", re.IGNORECASE)


class _Run(SimpleNamespace):
    """The little of a Run that kpi_note and method_link use: words, KPIs and the glossary."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang=lang, noted=[])

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def kpi(self, kpi_id: str):
        return kpis.for_conventions(kpi_id, KpiConventions())

    def record_kpi(self, kpi_def) -> None:
        self.noted.append(kpi_def.id)


def test_a_link_marker_becomes_an_escaped_link_and_other_text_stays_escaped():
    text = "a <b> " + link("kpi", "roi", "Retour sur investissement (ROI)") + " & " + link("method", "samples", "how")
    assert linked(text) == (
        'a &lt;b&gt; <a class="wb-ref" href="#kpi-roi">Retour sur investissement (ROI)</a> &amp; '
        '<a class="wb-ref" href="#method-samples">how</a>'
    )
    assert unlinked(text) == "a <b> Retour sur investissement (ROI) & how"
    # words from the data cannot open markup through a link
    assert "<script>" not in linked(link("kpi", "roi", "<script>"))


@pytest.mark.parametrize("bad", [("page", "roi", "x"), ("kpi", "Roi-1", "x"), ("kpi", "roi", "a]]b")])
def test_a_bad_link_is_refused_with_what_was_expected(bad):
    with pytest.raises(ValueError, match="expected kind kpi or method"):
        link(*bad)


def test_captions_sentences_and_table_notes_render_the_links():
    marker = link("method", "trends", "how")
    for block in (caption(marker), say(marker)):
        assert 'href="#method-trends"' in block.markup and "[[" not in block.markup
    import pandas as pd

    markup = table(pd.DataFrame({"a": [1]}), note=marker, lang="en").markup
    assert 'href="#method-trends"' in markup and "[[" not in markup


def test_a_chart_caption_renders_the_links():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    markup = figure(fig, "alt", link("kpi", "roi", "ROI")).markup
    assert '<figcaption class="wb-caption"><a class="wb-ref" href="#kpi-roi">ROI</a></figcaption>' in markup


@pytest.mark.parametrize("lang", LANGS)
def test_a_kpi_note_links_the_kpis_to_the_glossary_without_repeating_their_definitions(lang):
    run = _Run(lang)
    note = kpi_note(run, "roi", "net_sentiment")
    rendered = linked(note)
    for kpi_id in ("roi", "net_sentiment"):
        record = run.kpi(kpi_id)
        assert f'href="#kpi-{kpi_id}">{linked(record.name(lang))}</a>' in rendered
        assert record.definition(lang) not in unlinked(note)
    assert run.noted == ["roi", "net_sentiment"]  # both still go into the glossary


@pytest.mark.parametrize("lang", LANGS)
def test_a_method_link_points_to_a_topic_of_the_appendix(lang):
    assert linked(method_link(_Run(lang), "personas")).endswith(
        f'href="#method-personas">{linked(t("method.how", lang))}</a>'
    )
    with pytest.raises(KeyError, match="method topic 'magic': expected one of samples"):
        method_link(_Run(lang), "magic")


def test_the_appendix_has_every_topic_in_both_languages_with_the_briefs_figures():
    analysis = Analysis(min_posts=7, confidence=0.9, change_threshold=0.2)
    rows = {lang: method_rows(analysis, lang) for lang in LANGS}
    for lang in LANGS:
        assert [r["id"] for r in rows[lang]] == list(TOPICS)
        for row in rows[lang]:
            assert row["title"] and len(row["text"]) > 80 and "{" not in row["text"], (lang, row["id"])
    fr, en = rows["fr"], rows["en"]
    assert all(a["text"] != b["text"] for a, b in zip(fr, en, strict=True))
    samples = {lang: next(r["text"] for r in rows[lang] if r["id"] == "samples") for lang in LANGS}
    assert "7 publications" in samples["fr"] and "90\u202f%" in samples["fr"]
    assert "7 posts" in samples["en"] and "90%" in samples["en"]
    # the method's words live in the appendix
    assert TECHNICAL.search(" ".join(r["text"] for r in en))


@pytest.mark.parametrize("lang", LANGS)
def test_no_body_message_names_the_methods_only_the_appendix_does(lang):
    for key, text in catalogue(lang).items():
        if not key.startswith("method."):
            assert not TECHNICAL.search(text), (lang, key, text)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("return − cost", "(return − cost)"),
        ("positive + negative mentions", "(positive + negative mentions)"),
        ("interactions (reactions + comments)", "interactions (reactions + comments)"),
        ("reach", "reach"),
    ],
)
def test_a_sum_or_a_difference_is_bracketed_in_a_ratio(term, expected):
    assert bracketed(term) == expected


def test_every_registry_ratio_brackets_a_subtraction_before_a_division():
    loose = re.compile(r"^[^()]*\s[−-]\s[^()]*\s/\s")  # "a − b / c": a difference read before "/"
    for record in kpis.KPIS.values():
        assert not loose.search(record.formula), (record.id, record.formula)
        for lang in LANGS:
            assert not loose.search(record.definition(lang)), (record.id, lang, record.definition(lang))
    assert kpis.KPIS["roi"].definition("en").startswith("(Return − cost) / cost")
    assert kpis.KPIS["net_sentiment"].definition("fr").startswith(
        "(Mentions positives − mentions négatives) / (mentions positives + négatives)"
    )
