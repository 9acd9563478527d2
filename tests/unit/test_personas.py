"""Personas from individual-level records: the ``customers`` table, clustered with k-means."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from helpers.client.brief import Persona, load_brief
from helpers.client.loading import ClientData, DataError, empty_table, load_client, read_table
from helpers.client.schemas import TABLES
from helpers.config import CLIENTS_DIR, ROOT
from helpers.method import personas as pm
from helpers.report import persona_words
from helpers.report.pages.observation import find_personas
from helpers.report.pages.observation import personas as personas_page
from helpers.run.context import Run

DEMO = CLIENTS_DIR / "demo"
HEADER = ",".join(TABLES["customers"].column_names)
#: Four planted groups: (size, age mean, gender, channel, interests, orders, basket, since).
GROUPS = (
    (90, 30, "female", "instagram", "skincare;zero waste", 4, 35.0, "2024-01-01"),
    (70, 58, "female", "facebook", "wellness;cooking", 7, 55.0, "2018-01-01"),
    (60, 35, "male", "instagram", "gifts", 1, 70.0, "2025-06-01"),
    (40, 45, "male", "linkedin", "zero waste;gifts", 2, 150.0, "2021-01-01"),
)
TARGETS = (
    Persona(name="Clara", ages=("25-34", "35-44"), genders=("female",), interests=("skincare", "zero waste")),
    Persona(name="Hélène", ages=("45-54", "55-64"), genders=("female",), interests=("wellness", "cooking")),
)


def synthetic(seed: int = 7, groups=GROUPS, missing: float = 0.0) -> tuple[pd.DataFrame, np.ndarray]:
    """Records drawn from well-separated groups, and the group of each record."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for g, (size, age, gender, channel, interests, orders, basket, since) in enumerate(groups):
        for _ in range(size):
            rows.append(
                {
                    "customer_id": f"c{len(rows):04d}",
                    "origin": "crm",
                    "age": int(np.clip(rng.normal(age, 4), 18, 80)),
                    "gender": gender if rng.random() > 0.05 else ("male" if gender == "female" else "female"),
                    "region": rng.choice(["Bretagne", "Île-de-France", "Pays de la Loire"]),
                    "channel": channel,
                    "interests": interests,
                    "orders_12m": int(rng.poisson(orders)),
                    "basket": float(basket * rng.lognormal(0, 0.15)),
                    "customer_since": pd.Timestamp(since) + pd.Timedelta(days=int(rng.integers(0, 300))),
                }
            )
            truth.append(g)
    frame = pd.DataFrame(rows)
    if missing:
        for column in ("age", "gender", "region", "channel", "interests", "orders_12m", "basket"):
            frame[column] = frame[column].astype(object).where(rng.random(len(frame)) >= missing, None)
    order = rng.permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True), np.array(truth)[order]


# --- the schema and the reader ------------------------------------------------------------------


def test_the_customers_table_is_declared_with_its_template() -> None:
    spec = TABLES["customers"]
    assert spec.key == ("origin", "customer_id")
    assert [c.name for c in spec.columns if c.required] == ["customer_id", "origin"]
    template = ROOT / "data" / "templates" / "customers.csv"
    assert template.read_text(encoding="utf-8").splitlines() == [HEADER]
    assert "customers.csv" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_client_without_records_gets_an_empty_table(tmp_path: Path) -> None:
    client = tmp_path / "bare"
    (client / "tables").mkdir(parents=True)
    (client / "brief.yaml").write_text((DEMO / "brief.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (client / "tables" / "posts.csv").write_text(",".join(TABLES["posts"].column_names) + "\n", "utf-8")
    data = load_client("bare", tmp_path)
    assert data.tables["customers"].empty
    assert list(data.tables["customers"].columns) == TABLES["customers"].column_names


def test_records_are_read_typed_with_empty_values_unknown(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        HEADER + "\nc1,crm,34,female,Bretagne,instagram,skincare;zero waste,3,41.5,2024-02-01\n"
        "c2,survey,,,,,,,,\n",
        encoding="utf-8",
    )
    table = read_table(path, "customers")
    assert table["age"].tolist()[0] == 34 and pd.isna(table["age"].iloc[1])
    assert table["basket"].iloc[0] == 41.5 and pd.isna(table["gender"].iloc[1])
    assert table["customer_since"].iloc[0] == pd.Timestamp("2024-02-01")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("age", "trente", "a number"),
        ("age", "34.5", "a whole count"),
        ("gender", "robot", "one of female, male, other"),
        ("channel", "myspace", "one of facebook, instagram, linkedin, x, tiktok, youtube, none"),
        ("origin", "shop", "one of crm, survey"),
        ("basket", "cher", "a number"),
        ("customer_since", "01/02/2024", "a date like"),
    ],
)
def test_a_bad_value_names_the_file_row_and_column(
    tmp_path: Path, column: str, value: str, expected: str
) -> None:
    good = {
        "customer_id": "c2",
        "origin": "crm",
        "age": "40",
        "gender": "male",
        "region": "Bretagne",
        "channel": "none",
        "interests": "gifts",
        "orders_12m": "1",
        "basket": "60",
        "customer_since": "2023-05-04",
    }
    bad = {**good, "customer_id": "c3", column: value}
    path = tmp_path / "customers.csv"
    lines = [HEADER, ",".join(good.values()), ",".join(bad.values())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_table(path, "customers")
    message = str(error.value)
    assert str(path) in message and f"column '{column}'" in message and "row 3" in message
    assert expected in message and value in message


# --- encoding and clustering --------------------------------------------------------------------


def test_encoding_is_one_hot_multi_hot_and_standardised() -> None:
    records, _ = synthetic()
    encoded = pm.encode(records)
    features = set(encoded.features)
    assert {"gender=female", "gender=male", "channel=instagram", "channel=linkedin"} <= features
    assert {"interest=skincare", "interest=zero waste", "interest=gifts", "region=Bretagne"} <= features
    assert {"age", "orders_12m", "basket", "tenure"} <= features
    assert encoded.matrix.shape == (len(records), len(encoded.features))
    age = encoded.matrix[:, encoded.features.index("age")]
    assert abs(age.mean()) < 1e-9 and abs(age.std() - 1) < 1e-9
    assert pm.split_interests(" Skincare ; zero  waste;skincare ") == ("skincare", "zero waste")
    assert pm.split_interests(None) == () and pm.split_interests("") == ()


def test_known_clusters_are_recovered() -> None:
    records, truth = synthetic()
    result = pm.segment(records, TARGETS)
    assert result.k == 4
    assert adjusted_rand_score(truth, result.labels) >= 0.9
    assert sorted(p.size for p in result.personas) == sorted(g[0] for g in GROUPS)
    assert [p.number for p in result.personas] == [1, 2, 3, 4]
    assert [p.size for p in result.personas] == sorted((p.size for p in result.personas), reverse=True)
    largest = result.personas[0]
    assert largest.gender == "female" and largest.channels[0][0] == "instagram"
    assert largest.age_band == (25, 34) and largest.match == "Clara"
    older = next(p for p in result.personas if p.channels[0][0] == "facebook")
    assert older.match == "Hélène" and older.interests[0][0] in {"wellness", "cooking"}
    pros = next(p for p in result.personas if p.channels[0][0] == "linkedin")
    assert pros.match is None and pros.gender == "male" and pros.basket > 120
    assert set(result.silhouettes) == {3, 4, 5, 6}
    assert result.silhouette == max(result.silhouettes.values())


@pytest.mark.parametrize("n_groups", [2, 4])
def test_k_stays_between_three_and_six(n_groups: int) -> None:
    records, _ = synthetic(groups=GROUPS[:n_groups])
    assert 3 <= pm.segment(records).k <= 6
    rng = np.random.default_rng(3)
    noise = pd.DataFrame(
        {
            "customer_id": [f"n{i}" for i in range(120)],
            "origin": "survey",
            "age": rng.integers(18, 80, 120),
            "gender": rng.choice(["female", "male"], 120),
            "region": None,
            "channel": rng.choice(["facebook", "instagram", "none"], 120),
            "interests": rng.choice(["skincare", "cooking", "gifts"], 120),
            "orders_12m": rng.integers(0, 8, 120),
            "basket": rng.uniform(20, 90, 120),
            "customer_since": None,
        }
    )
    assert 3 <= pm.segment(noise).k <= 6


def test_the_same_records_give_the_same_personas() -> None:
    records, _ = synthetic(seed=11)
    first, second = pm.segment(records, TARGETS), pm.segment(records.copy(), TARGETS)
    assert np.array_equal(first.labels, second.labels)
    assert first.silhouettes == second.silhouettes
    pd.testing.assert_frame_equal(first.table(), second.table())


def test_too_few_records_are_refused_clearly() -> None:
    records, _ = synthetic()
    with pytest.raises(pm.TooFewRecordsError, match="30 customer records: at least 50"):
        pm.segment(records.head(30))


def test_missing_values_are_handled() -> None:
    records, truth = synthetic(seed=5, missing=0.15)
    records["basket"] = None  # a column no record fills is left out
    result = pm.segment(records, TARGETS)
    assert "basket" not in result.features and np.isfinite(pm.encode(records).matrix).all()
    assert result.missing["basket"] == len(records) and 0 < result.missing["age"] < len(records) / 4
    assert adjusted_rand_score(truth, result.labels) >= 0.75
    assert all(p.basket is None for p in result.personas)
    table = result.table()
    assert table["basket"].isna().all() and len(set(persona_words.persona_names(result.personas, "en"))) == len(table)


def test_identical_records_cannot_be_split() -> None:
    records, _ = synthetic()
    same = pd.concat([records.head(1)] * 60, ignore_index=True)
    with pytest.raises(pm.ClusteringError, match="distinct records"):
        pm.segment(same)


def test_age_bands_and_matching() -> None:
    assert pm.parse_band("25-34") == (25, 34) and pm.parse_band("65+") == (65, None)
    assert pm.parse_band("25–34") == (25, 34) and pm.parse_band("young") is None
    assert pm.age_band(pd.Series([26, 30, 33, 38, 41, 44])) == (25, 44)
    assert pm.age_band(pd.Series([66, 70, 80])) == (65, None)
    assert pm.age_band(pd.Series([None], dtype=float)) is None
    records, _ = synthetic(groups=GROUPS[:1])
    name, score = pm.match_target(records, TARGETS)
    assert name == "Clara" and score > 0.8
    assert pm.match_target(records, ())[0] is None


def test_names_are_generated_and_unique() -> None:
    records, _ = synthetic()
    result = pm.segment(records, TARGETS)
    fr, en = persona_words.persona_names(result.personas, "fr"), persona_words.persona_names(result.personas, "en")
    assert len(set(fr)) == len(fr) == len(set(en))
    assert fr[0] == "Femmes de 25 à 34 ans · soin de la peau"
    assert en[0] == "Women aged 25-34 · skincare"
    twin = result.personas[0]
    names = persona_words.persona_names([twin, replace(twin, number=2)], "en")
    assert names == [
        "Women aged 25-34 · skincare · Instagram (1)",
        "Women aged 25-34 · skincare · Instagram (2)",
    ]


# --- the demo client ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_customers() -> pd.DataFrame:
    return read_table(DEMO / "tables" / "customers.csv", "customers")


@pytest.fixture(scope="module")
def demo_segmentation(demo_customers: pd.DataFrame) -> pm.Segmentation:
    brief = load_brief(DEMO / "brief.yaml")
    return pm.segment(demo_customers, brief.targets, brief.period.end)


def test_the_demo_has_a_crm_extract(demo_customers: pd.DataFrame) -> None:
    assert 600 <= len(demo_customers) <= 900
    assert set(demo_customers["origin"]) == {"crm"}
    assert demo_customers["age"].isna().any() and demo_customers["gender"].isna().any()


def test_the_demo_planted_segments_are_found(demo_segmentation: pm.Segmentation) -> None:
    result = demo_segmentation
    brief = load_brief(DEMO / "brief.yaml")
    clara, helene = (t.name for t in brief.targets)
    assert result.k == 4
    by_channel = {p.channels[0][0]: p for p in result.personas}
    young = next(p for p in result.personas if p.gender == "female" and p.channels[0][0] == "instagram")
    assert young.gender_share > 0.85 and young.age_band == (25, 44) and young.channels[0][1] > 0.7
    assert young.interests[0][0] == "skincare" and young.match == clara
    older = by_channel["facebook"]
    assert older.gender == "female" and older.age_band == (45, 64) and older.match == helene
    assert {i for i, _ in older.interests[:2]} == {"wellness", "cooking"}
    gifts = next(p for p in result.personas if p.gender == "male" and p.gender_share > 0.7)
    assert gifts.channels[0][0] == "instagram" and gifts.interests[0][0] == "gifts" and gifts.match is None
    pros = by_channel["linkedin"]
    assert pros.basket > 100 and pros.match is None
    assert sum(p.size for p in result.personas) == result.records


# --- the page -----------------------------------------------------------------------------------


def page_run(tmp_path: Path, customers: pd.DataFrame, lang: str) -> Run:
    brief = load_brief(DEMO / "brief.yaml")
    audience = read_table(DEMO / "tables" / "audience.csv", "audience")
    data = ClientData("demo", DEMO, brief, {"audience": audience, "customers": customers})
    return Run(data=data, lang=lang, run_dir=tmp_path, start=brief.period.start, end=brief.period.end)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_shows_clustered_personas(tmp_path: Path, demo_customers: pd.DataFrame, lang: str) -> None:
    run = page_run(tmp_path, demo_customers, lang)
    found = find_personas(run)
    html = personas_page(run, found)._repr_html_()
    assert html.count('class="wb-card"') == 4 and "wb-table" in html
    saved = found.table
    assert len(saved) == 4 and set(saved["source"]) == {"customers"} and saved["k"].eq(4).all()
    assert "name" not in saved.columns and set(saved["who"]) <= {"female", "male", "other", "mixed"}
    assert saved["size"].sum() == len(demo_customers)
    assert saved["brief_persona"].dropna().tolist()  # the brief's personas are matched
    sentence = {"fr": "4 personas se dégagent de 780 fiches clients", "en": "4 personas stand out from 780"}
    assert sentence[lang] in html
    assert "soin de la peau" in html if lang == "fr" else "skincare" in html
    assert "Clara" in html


def test_the_page_escapes_record_values(tmp_path: Path) -> None:
    records, _ = synthetic()
    records["region"] = "<script>alert(1)</script>"
    html = personas_page(page_run(tmp_path, records, "en"))._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_page_keeps_the_sketches_without_records(tmp_path: Path) -> None:
    run = page_run(tmp_path, empty_table(TABLES["customers"]), "fr")
    found = find_personas(run)
    html = personas_page(run, found)._repr_html_()
    assert html.count('class="wb-card"') == 2 and "Clara, la convertie au naturel" in html
    assert "fiches clients" not in html
    saved = found.table
    assert set(saved["source"]) == {"brief"} and len(saved) == 2


def test_the_page_falls_back_to_sketches_with_too_few_records(tmp_path: Path) -> None:
    records, _ = synthetic()
    run = page_run(tmp_path, records.head(20), "fr")
    found = find_personas(run)
    html = personas_page(run, found)._repr_html_()
    assert "Seulement 20 fiches clients\u202f: il en faut au moins 50" in html
    assert html.count('class="wb-card"') == 2
    assert set(found.table["source"]) == {"brief"}
    assert not list(tmp_path.iterdir())  # a page writes nothing


def test_tenure_counts_to_the_reference_date() -> None:
    frame = pd.DataFrame({"customer_since": pd.to_datetime(["2020-01-01", None, "2026-01-01"])})
    years = pm.tenure_years(frame, dt.date(2026, 1, 1))
    assert years.iloc[0] == pytest.approx(6, abs=0.01) and pd.isna(years.iloc[1]) and years.iloc[2] == 0
