"""Layout of the deliverables: tables that reflow and stack as cards on a phone, charts with a phone
drawing, the KPI tree's layered order, and labels that used to show as data values.

The browser measurements of the demo's pages are in tests/deliverables/test_layout.py.
"""

from __future__ import annotations

import datetime as dt
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers.report import charts, display
from helpers.report.calendar_chart import AGENDA_WIDTH, month_agenda
from helpers.report.i18n import label


def _cells(markup: str) -> list[tuple[str, str]]:
    return re.findall(r'<td class="[^"]*" data-label="([^"]*)">([^<]*)</td>', markup)


# --------------------------------------------------------------------------- tables
def test_every_cell_carries_its_column_label_for_the_phone_cards():
    frame = pd.DataFrame({"channel": ["Instagram", "X"], "reach": [1200, None], "name": ['a "b"', "c"]})
    markup = display.table(frame, headers={"channel": "Réseau", "reach": "Portée"}, lang="fr").markup
    assert _cells(markup) == [
        ("Réseau", "Instagram"),
        ("Portée", "1200.0"),
        ("name", "a &quot;b&quot;"),
        ("Réseau", "X"),
        ("Portée", "n.d."),
        ("name", "c"),
    ]


@pytest.mark.parametrize(
    ("columns", "classes"),
    [
        (2, "wb-table"),
        (display.STACK_FROM_COLUMNS, "wb-table wb-stack"),
        (display.WIDE_FROM_COLUMNS, "wb-table wb-wide wb-stack"),
    ],
)
def test_a_table_reflows_by_its_number_of_columns(columns, classes):
    frame = pd.DataFrame({f"c{i}": [i] for i in range(columns)})
    assert f'<table class="{classes}">' in display.table(frame, lang="en").markup


def test_the_stylesheet_stacks_tables_and_swaps_charts_at_the_same_phone_width():
    css = display.blocks_css()
    assert f"@media screen and (max-width: {display.PHONE_MAX_WIDTH}px)" in css
    assert "content: attr(data-label)" in css and "table.wb-table.wb-stack" in css


# --------------------------------------------------------------------------- phone drawings
def _fig(title: str):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    ax.set_title(title)
    return fig


def test_a_figure_with_a_phone_drawing_is_a_picture_with_both():
    markup = display.figure(_fig("Large"), phone=_fig("Étroit")).markup
    assert markup.startswith('<figure class="wb-figure"><picture><source media="(max-width: 600px)"')
    phone = re.search(r'srcset="(data:image/png;base64,[^"]+)"', markup).group(1)
    desktop = re.search(r'<img src="(data:image/png;base64,[^"]+)"', markup).group(1)
    assert phone != desktop
    assert 'alt="Large"' in markup and "Large" in markup and "Étroit" in markup  # both drawings' texts
    plain = display.figure(_fig("Seul")).markup
    assert "<picture>" not in plain and "<source" not in plain


def test_the_heatmap_phone_drawing_turns_the_grid_and_is_narrow():
    days = ["lun.", "mar."]
    values = pd.DataFrame([[0.01, 0.02, 0.03], [0.04, 0.05, 0.06]], index=days, columns=[9, 12, 18])
    counts = pd.DataFrame([[5, 1, 7], [6, 8, 9]], index=days, columns=[9, 12, 18])
    args = (
        values,
        counts,
        "Le jeudi à 18 h est le meilleur créneau de la semaine",
        "Heure",
        "",
        3,
        str,
        "Taux",
    )
    wide, narrow = charts.heatmap(*args), charts.heatmap(*args, portrait=True)
    ticks = lambda fig, axis: [t.get_text() for t in getattr(fig.axes[0], f"get_{axis}ticklabels")()]  # noqa: E731
    assert ticks(wide, "y") == days and ticks(narrow, "x") == days
    assert ticks(narrow, "y") == ["9", "12", "18"]
    assert narrow.get_size_inches()[0] == charts.PHONE_WIDTH < wide.get_size_inches()[0]
    # the title wraps (wherever the theme places it: the report's theme sets it on the left)
    assert any("\n" in narrow.axes[0].get_title(loc) for loc in ("left", "center", "right"))
    assert narrow.axes[0].get_ylabel() == "Heure"
    plt.close("all")


def _calendar() -> pd.DataFrame:
    rows = [
        (dt.date(2027, 1, 7), "2027-01-07 18:00", "instagram", "reel"),
        (dt.date(2027, 1, 7), "2027-01-07 18:00", "facebook", "photo"),
        (dt.date(2027, 1, 12), "2027-01-12 09:00", "linkedin", "text"),
    ]
    frame = pd.DataFrame(rows, columns=["date", "start", "channel", "format"])
    return frame.assign(start=pd.to_datetime(frame["start"]), post_no=range(len(frame)), holiday="")


def test_the_month_agenda_lists_only_days_with_posts_or_dates():
    fig = month_agenda(
        _calendar(),
        "2027-01",
        holidays={dt.date(2027, 1, 1): "Jour de l'an"},
        moments={dt.date(2027, 1, 13): "Début des soldes d'hiver et de la saison"},
        labels={"formats": {"text": "texte"}},
    )
    texts = [t.get_text() for t in fig.axes[0].texts]
    days = [t for t in texts if t[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}]
    assert days == ["Fri 1", "Thu 7", "Tue 12", "Wed 13"]
    assert {"18:00 IG reel", "18:00 FB photo", "09:00 IN texte", "Jour de l'an"} <= set(texts)
    assert "Début des soldes d'hive…" in texts  # a long name is cut
    assert fig.get_size_inches()[0] == AGENDA_WIDTH
    assert fig._suptitle.get_text() == "January 2027"


# --------------------------------------------------------------------------- KPI tree
def test_the_layered_order_removes_crossings_where_it_can():
    links = [("A", "x", "1"), ("B", "y", "2"), ("A", "y", "2"), ("C", "x", "3")]
    levels = [["A", "B", "C"], ["y", "x"], ["3", "2", "1"]]
    assert charts.crossings(levels, links) == 2
    ordered = charts.layered_order(levels, links)
    assert charts.crossings(ordered, links) == 0
    assert [sorted(level) for level in ordered] == [sorted(level) for level in levels]
    straight = [["A"], ["x"], ["1"]]  # nothing to improve: kept as given
    assert charts.layered_order(straight, [("A", "x", "1")]) == straight


# --------------------------------------------------------------------------- words
@pytest.mark.parametrize(
    ("kind", "value", "fr", "en"),
    [
        ("gender", "female", "femmes", "women"),
        ("gender", "other", "autre", "other"),
        ("audience", "other", "autres", "other"),
        ("table", "customers", "fiches clients", "customer records"),
        ("table", "posts", "publications", "posts"),  # the existing block still wins
    ],
)
def test_data_values_read_in_the_report_language(kind, value, fr, en):
    assert label(kind, value, "fr") == fr and label(kind, value, "en") == en


def test_a_value_without_a_label_stays_as_written():
    assert label("audience", "Rennes", "fr") == "Rennes"
