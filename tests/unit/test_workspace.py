"""The notebooks as the strategist's workspace: sections that render and still give their table
and chart, analysis settings resolved from the brief and the parameters, the audit filters driven
as a strategist would, and a docstring on every function a notebook calls."""

from __future__ import annotations

import ast
import datetime as dt
import inspect

import nbformat
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure

from helpers.client.brief import Brief, load_brief
from helpers.config import CLIENTS_DIR, NOTEBOOKS, NOTEBOOKS_DIR
from helpers.report.display import Section
from helpers.report.filters import AuditFilters, FilterError, audit_filters
from helpers.report.pages import observation as page
from helpers.run.context import Run, open_run
from helpers.run.settings import SettingsError


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return open_run("demo", run_dir=str(tmp_path_factory.mktemp("run")), lang="en", step="01_observation")


# ------------------------------------------------------------------ sections
def test_a_section_renders_and_gives_its_table_and_figure(run):
    slots = page.best_time(run, min_posts=5)
    assert isinstance(slots, Section)
    assert isinstance(slots.table, pd.DataFrame) and isinstance(slots.figure, Figure)
    assert "<table" in slots._repr_html_() and "<img" in slots._repr_html_()
    assert set(slots.data) == {"rates", "counts"}
    assert repr(slots).startswith("Section(")  # never a raw repr of HTML


def test_min_posts_is_the_one_sample_rule_of_the_slots(run):
    loose, strict = page.best_time(run, min_posts=5).table, page.best_time(run, min_posts=20).table
    assert loose["posts"].min() >= 5 and (loose["posts"] < 20).any()
    assert strict.empty or strict["posts"].min() >= 20
    assert "fewer than 20 posts are greyed" in page.best_time(run, min_posts=20)._repr_html_()


def test_the_interval_follows_the_confidence_setting(run):
    narrow = page.best_time(run, min_posts=5, confidence=0.6).table.set_index(["weekday", "hour"])
    wide = page.best_time(run, min_posts=5, confidence=0.99).table.set_index(["weekday", "hour"])
    common = narrow.index.intersection(wide.index)
    assert len(common)
    assert (
        (wide.loc[common, "high"] - wide.loc[common, "low"])
        > (narrow.loc[common, "high"] - narrow.loc[common, "low"])
    ).all()


def test_formats_lead_the_chart_only_on_min_posts(run):
    perf = page.formats(run, min_posts=1).table
    biggest = int(perf["posts"].max())
    assert page.formats(run, min_posts=biggest + 1).figure is None
    assert page.formats(run, min_posts=1).figure is not None


def test_top_and_flop_posts_per_network_carry_their_links(run):
    top = page.top_posts(run, n=2)
    html = top._repr_html_()
    assert set(top.table["group"]) == {"top", "flop"}
    for channel, part in top.table.groupby("channel"):
        tops = part[part["group"] == "top"]["engagement_rate"]
        flops = part[part["group"] == "flop"]["engagement_rate"]
        assert len(tops) == 2 and tops.min() >= flops.max(), channel
    links = top.table["permalink"].dropna()
    assert len(links) and all(f'href="{url}"' in html for url in links)


# ------------------------------------------------------------------ settings
def test_settings_come_from_the_parameters_then_the_brief_then_the_defaults(run):
    settings = run.settings(min_posts=20, confidence=None)
    assert settings.min_posts == 20 and settings.confidence == 0.95
    sources = settings.table.set_index("setting")["source"]
    assert sources["min_posts"] == "parameter" and sources["confidence"] == "brief"
    assert "Posts a slot, a format or a network needs" in settings._repr_html_()
    brief = yaml.safe_load((CLIENTS_DIR / "demo" / "brief.yaml").read_text(encoding="utf-8"))
    assert Brief.model_validate({**brief, **yaml.safe_load(settings.as_yaml())}).analysis.min_posts == 20


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"min_posts": 0}, "parameter min_posts = 0"),
        ({"confidence": 1.5}, "parameter confidence = 1.5"),
        ({"change_threshold": -0.1}, "parameter change_threshold = -0.1"),
        ({"minposts": 3}, "unknown analysis setting"),
    ],
)
def test_a_bad_setting_names_the_parameter(run, overrides, message):
    with pytest.raises(SettingsError, match=message):
        run.settings(**overrides)


def test_the_brief_validates_its_analysis_section_and_points_to_the_moved_key(tmp_path):
    text = (CLIENTS_DIR / "demo" / "brief.yaml").read_text(encoding="utf-8")
    (tmp_path / "brief.yaml").write_text(
        text.replace("  min_posts: 5 ", "  min_posts: -2 "), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="analysis.min_posts"):
        load_brief(tmp_path / "brief.yaml")
    (tmp_path / "brief.yaml").write_text(
        text.replace("  problems: []", "  top: 5\n  problems: []"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="now 'analysis.findings'"):
        load_brief(tmp_path / "brief.yaml")


# ------------------------------------------------------------------ filters
def test_filters_narrow_the_audit_and_say_how_to_keep_the_slice(run):
    filters = audit_filters(run)
    everything = {s.table.shape for s in filters.sections}
    filters.set(networks=["instagram"], start="2026-05-01", competitors=[run.brief.competitor_names[0]])
    community, engagement, formats, benchmark, slots = filters.sections
    assert set(community.table["channel"]) == {"instagram"}
    assert set(formats.table["channel"]) == {"instagram"}
    assert list(benchmark.table["brand"]) == [run.brief.client.name, run.brief.competitor_names[0]]
    assert {s.table.shape for s in filters.sections} != everything
    assert 'period_start = "2026-05-01"' in filters.as_parameters()
    kept = yaml.safe_load(filters.as_brief())
    assert [p["channel"] for p in kept["profiles"]] == ["instagram"]
    brief = yaml.safe_load((CLIENTS_DIR / "demo" / "brief.yaml").read_text(encoding="utf-8"))
    assert Brief.model_validate({**brief, **kept}).channels == ["instagram"]
    assert filters.state["end"] == run.end


def test_filters_driven_through_their_widgets_update_the_output(run):
    filters = AuditFilters(run)
    box = filters.widget()
    assert box.children[-1] is filters._output
    before = filters._output.value
    filters._controls["networks"].value = ("facebook",)
    assert filters.state["networks"] == ["facebook"] and filters._output.value != before
    assert "Networks: Facebook" in filters._output.value or "networks: Facebook" in filters._output.value
    filters._controls["formats"].value = ()
    assert "No post matches these filters" in filters._output.value
    filters.set(formats=filters.choices["formats"])
    assert filters._controls["formats"].value == tuple(filters.choices["formats"])
    assert "No post matches" not in filters._output.value


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start": dt.date(2000, 1, 1)}, "expected a date from"),
        ({"networks": ["myspace"]}, "expected some of"),
        ({"colour": "red"}, "unknown filter"),
    ],
)
def test_bad_filters_are_refused_with_the_value_named(run, values, message):
    with pytest.raises(FilterError, match=message):
        audit_filters(run).set(**values)


def test_filters_render_statically_where_widgets_do_not_run(run):
    bundle = AuditFilters(run, networks=["instagram"])._repr_mimebundle_()
    assert "<table" in bundle["text/html"] and "Loading widget" not in bundle["text/html"]
    assert "networks: Instagram" in bundle["text/plain"]


def test_a_filtered_run_never_writes_to_the_run_folder(run):
    part = audit_filters(run, networks=["instagram"]).filtered()
    assert isinstance(part, Run) and part.step == "" and part.brief.channels == ["instagram"]
    assert run.brief.channels != part.brief.channels  # the run itself is untouched


# ------------------------------------------------------------------ docstrings
def _called(nb: nbformat.NotebookNode) -> dict[str, object]:
    """Every public function or method a notebook calls, resolved to its object."""
    names: dict[str, object] = {"run": Run}
    found: dict[str, object] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = __import__(node.module, fromlist=[a.name for a in node.names])
                for alias in node.names:
                    names[alias.asname or alias.name] = getattr(module, alias.name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in names:
                found[func.id] = names[func.id]
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in names
            ):
                owner = names[func.value.id]
                found[f"{func.value.id}.{func.attr}"] = getattr(owner, func.attr)
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_function_a_notebook_calls_has_a_docstring(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    called = _called(nb)
    assert called, name
    missing = [call for call, obj in called.items() if len((inspect.getdoc(obj) or "").strip()) < 30]
    assert not missing, f"{name} calls functions without a docstring: {missing}"


def test_the_docstring_walk_sees_the_page_calls():
    nb = nbformat.read(NOTEBOOKS_DIR / "01_observation.ipynb", as_version=4)
    called = _called(nb)
    assert {"page.best_time", "page.save", "run.settings", "open_run", "explorer", "audit_filters"} <= set(
        called
    )


def test_min_posts_decides_which_networks_are_ranked_on_their_observed_rate(tmp_path):
    from helpers.report.pages import strategy

    run = open_run("demo", run_dir=str(tmp_path), lang="en")
    audit = page.community(run).data["audit"]
    run.save("audit", audit)
    fewest = audit.sort_values("posts").iloc[0]
    loose = strategy.networks(run, min_posts=1).table.set_index("network")["observed_performance"]
    strict = strategy.networks(run, min_posts=int(fewest["posts"]) + 1).table.set_index("network")
    assert loose[list(audit["channel"])].notna().all()
    assert pd.isna(strict.loc[fewest["channel"], "observed_performance"])
    assert (
        strict.loc[[c for c in audit["channel"] if c != fewest["channel"]], "observed_performance"]
        .notna()
        .any()
    )
    assert strict["score"].notna().all()  # the score re-weights over the criteria it has
