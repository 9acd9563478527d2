"""Platform exports read into the canonical tables: LinkedIn Page files and listening exports.

The fixtures (tests/fixtures/exports/linkedin, …/listening) copy
the platforms' real layouts; the expected tables below were written by hand from the fixtures'
cells (times converted to UTC by hand: Paris is UTC+1 until 29 March 2026, UTC+2 after).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest
import xlwt
from openpyxl import load_workbook

from helpers.client.imports import ExportError, import_paths
from helpers.client.imports.formats import linkedin, listening, templates

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"
LINKEDIN = FIXTURES / "linkedin"
LISTENING = FIXTURES / "listening"
TZ = "Europe/Paris"

CONTENT_XLSX = LINKEDIN / "atelier-seve_content_1775034000000.xlsx"
CONTENT_XLS = LINKEDIN / "atelier-seve_content_1680307200000.xls"
FOLLOWERS_XLSX = LINKEDIN / "atelier-seve_followers_1775034000000.xlsx"
VISITORS_XLS = LINKEDIN / "atelier-seve_visitors_1775034000000.xls"
BRANDWATCH_OLD = LISTENING / "brandwatch_2026-03-01_2026-03-13.csv"
BRANDWATCH_NEW = LISTENING / "brandwatch_2026-03-08_2026-03-20.csv"
TALKWALKER = LISTENING / "talkwalker_veille_mars-2026.csv"
MELTWATER = LISTENING / "meltwater_explore_mars-2026.csv"
GENERIC = LISTENING / "veille_digimind_mars-2026.csv"


def read(paths: list[Path], formats: list) -> object:
    return import_paths(paths, tz=TZ, formats=formats)


def check(actual: pd.DataFrame, golden: str, key: str) -> None:
    """``actual`` holds exactly the rows of ``golden`` (a CSV), with its values."""
    expected = pd.read_csv(io.StringIO(golden), dtype=str, keep_default_na=False)
    assert sorted(actual[key].astype(str)) == sorted(expected[key])
    got = actual.assign(**{key: actual[key].astype(str)}).set_index(key).loc[expected[key]].reset_index()
    for column in expected.columns.drop(key):
        want, have = expected[column], got[column]
        if column == "published_at":
            assert list(have) == list(pd.to_datetime(want, utc=True, format="ISO8601")), column
        elif column == "date":
            assert list(have) == list(pd.to_datetime(want)), column
        elif column == "share":
            assert list(have) == pytest.approx([float(v) for v in want], abs=5e-7), column
        else:
            shown = have.map(
                lambda v: "" if pd.isna(v) else ("true" if v is True else "false" if v is False else str(v))
            )
            assert list(shown) == list(want), column


# --- LinkedIn ----------------------------------------------------------------------------------------------

# published_at: the time in the activity URN (id >> 22 ms) when it agrees with Created date; the
# ugcPost has none: Created date 03/09/2026 at 00:00 in Paris; the Natexpo post's URN says 03/12,
# its Created date 03/20: the export's own date is kept, 03/20 at 00:00 in Paris (flagged). reactions = Likes, shares = Reposts, video_views = Views (…).
POSTS_XLSX = """post_id,published_at,format,paid,impressions,clicks,reactions,comments,shares,video_views,reach
urn:li:activity:7424379986633741959,2026-02-03T09:15:27.123Z,photo,false,12345,220,301,18,12,,
urn:li:activity:7427044201725952042,2026-02-10T17:42:05.500Z,video,false,8020,95,160,9,7,3150,
urn:li:activity:7429789266739200007,2026-02-18T07:30:00Z,text,true,25400,610,220,12,15,,
urn:li:activity:7434207312740352099,2026-03-02T12:05:44.250Z,carousel,false,6780,140,98,6,3,,
urn:li:ugcPost:7436012345678901234,2026-03-08T23:00:00Z,text,false,3050,41,57,4,2,,
urn:li:activity:7437799548518400005,2026-03-19T23:00:00Z,photo,true,15800,402,130,7,6,,
urn:li:activity:7442228733542400003,2026-03-24T15:20:00Z,photo,false,4000,30,60,5,1,,
urn:li:activity:7444264648704000011,2026-03-30T06:10:00Z,video,false,9900,120,180,11,9,4400,
"""

# Older export: Update title/link/type, Shares, Video views; no Content Type, so format "other".
# The share URN carries no time: Created date is the Excel serial 45007 = 03/22/2023, 00:00 Paris.
POSTS_XLS = """post_id,published_at,format,paid,impressions,clicks,reactions,comments,shares,video_views
urn:li:activity:7038429296590848001,2023-03-06T08:45:12Z,other,false,5230,88,142,21,6,0
urn:li:activity:7041438491607040002,2023-03-14T16:02:40Z,other,false,7410,131,188,14,19,0
urn:li:activity:7043544199987200003,2023-03-20T11:30:00Z,other,true,18900,350,201,9,12,6100
urn:li:share:7044455566677788899,2023-03-21T23:00:00Z,other,false,2980,47,39,3,4,0
"""


def test_linkedin_posts_xlsx():
    result = read([CONTENT_XLSX], linkedin.FORMATS)
    posts = result.tables["posts"]
    check(posts, POSTS_XLSX, "post_id")
    assert set(posts["channel"]) == {"linkedin"} and set(posts["account"]) == {linkedin.ACCOUNT}
    assert posts["text"][0] == "Nouveau : le baume à la camomille de Plougastel arrive en boutique 🌼"
    # the Metrics sheet (daily page totals) is not read as posts
    assert [(r.source, r.rows) for r in result.files] == [(f"{CONTENT_XLSX.name}:All posts", 8)]
    assert posts["impressions"].sum() == 12345 + 8020 + 25400 + 6780 + 3050 + 15800 + 4000 + 9900


def test_linkedin_posts_older_xls():
    posts = read([CONTENT_XLS], linkedin.FORMATS).tables["posts"]
    check(posts, POSTS_XLS, "post_id")
    assert posts["permalink"].str.startswith("https://www.linkedin.com/feed/update/urn:li:").all()


def test_linkedin_suspicious_rows_are_flagged():
    flags = read([CONTENT_XLSX], linkedin.FORMATS).flags
    assert list(zip(flags["row"], flags["column"], flags["value"], strict=True)) == [
        (8, "created date", "03/20/2026"),  # the URN says 03/12: the export's own date is kept
        (9, "engagement rate", "9,6 %"),  # (30 + 60 + 5 + 1 + 0) / 4000 = 2.4 %, not 9.6 %
    ]  # the other rates, typed "4,5 %", "3,4 %"…, agree with the counts


FOLLOWERS = """date,gained,followers
2026-03-01,3,
2026-03-02,8,
2026-03-03,7,
2026-03-04,4,
2026-03-05,9,
2026-03-06,2,
2026-03-07,0,
2026-03-08,1,
2026-03-09,15,
2026-03-10,5,
"""

AUDIENCE = """value,dimension,share
Greater Rennes Metropolitan Area,city,0.436842
Greater Paris Metropolitan Region,city,0.322105
Greater Nantes Metropolitan Area,city,0.158421
Brest Metropolitan Area,city,0.082632
Marketing,job function,0.4
Business Development,job function,0.3
Operations,job function,0.2
Sales,job function,0.1
Entry,seniority,0.41
Senior,seniority,0.35
Manager,seniority,0.14
Owner,seniority,0.1
Personal Care Product Manufacturing,industry,0.6
Retail,industry,0.3
Wellness and Fitness Services,industry,0.1
2-10,company size,0.18
11-50,company size,0.42
51-200,company size,0.28
201-500,company size,0.12
"""


def test_linkedin_followers_are_daily_gains_and_demographics_are_shares():
    result = read([FOLLOWERS_XLSX], linkedin.FORMATS)
    followers = result.tables["followers"]
    check(followers, FOLLOWERS, "date")  # Total followers = the day's new followers: no community size
    assert followers["gained"].sum() == 54 and followers["followers"].isna().all()
    audience = result.tables["audience"]
    check(audience, AUDIENCE, "value")
    assert audience.groupby("dimension")["share"].sum().tolist() == pytest.approx([1.0] * 5)


def test_linkedin_running_total_is_read_as_community_size(tmp_path):
    path = tmp_path / "followers.csv"
    path.write_text(
        "Date,Sponsored followers,Organic followers,Total followers\n"
        "03/01/2026,0,3,1200\n03/02/2026,1,4,1205\n",
        encoding="utf-8",
    )
    followers = read([path], linkedin.FORMATS).tables["followers"]
    assert followers["followers"].tolist() == [1200, 1205] and followers["gained"].tolist() == [3, 5]


VISITS = """date,page_views,unique_visitors
2026-03-01,25,18
2026-03-02,81,48
2026-03-03,62,35
2026-03-04,37,23
2026-03-05,61,36
2026-03-06,17,12
2026-03-07,12,9
"""


def test_linkedin_visitors_xls():
    result = read([VISITORS_XLS], linkedin.FORMATS)
    check(result.tables["visits"], VISITS, "date")
    assert "audience" not in result.tables  # the visitors' Location sheet counts views, not followers


def test_linkedin_whole_folder():
    result = read([LINKEDIN], linkedin.FORMATS)
    assert {name: len(t) for name, t in result.tables.items()} == {
        "posts": 12,
        "followers": 10,
        "audience": 19,
        "visits": 7,
    }
    assert sum(result.duplicates.values()) == 0


# --- listening ---------------------------------------------------------------------------------------------

# Both Brandwatch downloads, the later one (to 03-20) winning on the three mentions they share.
# Engagement: Likes + Comments + Shares, else X Likes + X Reposts + X Replies; reach: Reach (new),
# else Impressions. Dates are UTC in the file.
BRANDWATCH = """mention_id,published_at,channel,author,author_followers,reach,engagement,sentiment,emotion,brand
1896012345678901234,2026-03-02T08:14:09Z,x,clara_bzh,1210,1840,29,positive,Joy,Atelier Sève
news-5521,2026-03-03T06:30:00Z,news,Ouest-France,,61000,,neutral,,Atelier Sève
3311222333444555666_123,2026-03-04T19:45:31Z,instagram,lea.naturelle,,5400,435,positive,Joy,Atelier Sève
t1_kq9z8x7,2026-03-05T21:02:00Z,forum,breizh_rider,,120,19,negative,Anger,Atelier Sève
blog-88231,2026-03-07T10:00:00Z,blog,Liza,,950,43,positive,,Atelier Sève
1898544433322211100,2026-03-09T13:30:15Z,x,mdupont35,342,1500,23,negative,Sadness,Maison Argile
facebook-1029384756_5647382910,2026-03-11T17:20:00Z,facebook,Annie Le Goff,,310,13,neutral,,Atelier Sève
7345678901234567890,2026-03-12T20:05:40Z,tiktok,jade.makeup,,22100,1915,positive,Joy,Atelier Sève
yt-Qw3rTy12345,2026-03-14T09:00:00Z,youtube,Beauté Bretonne,,8900,361,positive,,Atelier Sève
forum-77120,2026-03-16T11:11:11Z,forum,Mimi56,,75,3,neutral,,Atelier Sève
news-6012,2026-03-18T05:45:00Z,news,Le Télégramme,,42000,,positive,,Herbier Moderne
1900123123123123123,2026-03-19T22:10:05Z,x,beaute_ouest,12400,9870,58,positive,Joy,Atelier Sève
"""


def test_brandwatch_overlapping_downloads_keep_the_newest():
    result = read([BRANDWATCH_OLD, BRANDWATCH_NEW], listening.FORMATS)
    mentions = result.tables["mentions"]
    check(mentions, BRANDWATCH, "mention_id")
    assert result.duplicates == {"mentions": 3}
    shared = mentions.set_index("mention_id").loc[["1898544433322211100", "7345678901234567890"], "source"]
    assert set(shared) == {BRANDWATCH_NEW.name}
    text = mentions.set_index("mention_id").loc["blog-88231", "text"]
    assert (
        text
        == 'Test du baume camomille : texture fondante,\nodeur discrète. Le pot en verre est consigné, "un vrai plus".'
    )
    reach = mentions.groupby("channel")["reach"].sum().to_dict()
    assert reach == {
        "x": 1840 + 1500 + 9870,
        "news": 61000 + 42000,
        "instagram": 5400,
        "forum": 120 + 75,
        "blog": 950,
        "facebook": 310,
        "tiktok": 22100,
        "youtube": 8900,
    }


def test_brandwatch_without_query_name_takes_the_brand_line(tmp_path):
    text = BRANDWATCH_OLD.read_bytes().decode("utf-8-sig").replace('"Query Name"', '"Query"')
    path = tmp_path / "bw.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    # without "Query Name" the header no longer reads as Brandwatch's: the file is refused, the
    # format it resembles and the title it lacks named
    with pytest.raises(ExportError, match="looks like a Brandwatch · Bulk Mentions Download export, "
                       "but its header lacks 'query name'"):
        read([path], listening.FORMATS)
    text = BRANDWATCH_OLD.read_bytes().decode("utf-8-sig")
    rows = text.split("\r\n")
    rows[7:] = [re.sub(r'^"(\d+)","[^"]*"', r'"\1",""', row) for row in rows[7:]]
    path.write_bytes("\r\n".join(rows).encode("utf-8-sig"))
    brands = read([path], listening.FORMATS).tables["mentions"]["brand"]
    assert set(brands) == {"Atelier Sève - veille"}  # the "Brand:" line above the header


# Day-first dates (02/03/2026 = 2 March) in Paris time; sentiment scores: > 0 positive, < 0
# negative; counts with decimal commas and spaces; the brand is the matched topic.
TALKWALKER_GOLDEN = """url,published_at,channel,author,author_followers,reach,engagement,sentiment,brand
https://x.com/sophie_rns/status/1897000000000000001,2026-03-02T09:12:00Z,x,Sophie R.,1870,2150,18,positive,Atelier Sève
https://www.lemonde.fr/m-styles/article/2026/03/05/cosmetique-la-consigne-fait-son-retour_6123456_4497319.html,2026-03-05T06:00:00Z,news,Le Monde,,1250000,312,neutral,Atelier Sève
https://www.instagram.com/p/DC1nBoX2xYz/,2026-03-06T20:30:00Z,instagram,Manon B,9800,8400,530,negative,Herbier Moderne
https://www.mademoiselle-bio-blog.fr/atelier-seve-serum-argousier/,2026-03-09T13:45:00Z,blog,Mademoiselle Bio,,3100,27,positive,Atelier Sève
https://forum.aufeminin.com/forum/beaute/atelier-seve-consigne-f12345.html,2026-03-10T07:05:00Z,forum,nanou29,,640,6,negative,Atelier Sève
https://www.youtube.com/watch?v=Hm0dErN3r01,2026-03-11T17:00:00Z,youtube,Les Tests de Camille,,21500,1204,positive,Herbier Moderne
https://www.facebook.com/boutiquebioquimper/posts/pfbid02xYzAbC,2026-03-12T11:30:00Z,facebook,Boutique Bio Quimper,,430,12,neutral,
"""


def test_talkwalker_french_csv():
    result = read([TALKWALKER], listening.FORMATS)
    mentions = result.tables["mentions"]
    check(mentions, TALKWALKER_GOLDEN, "url")
    assert mentions["mention_id"].str.fullmatch(r"h[0-9a-f]{16}").all() and mentions["mention_id"].is_unique
    assert listening.BRAND == ""  # no topic column on that row: the caller names the brand
    flag = result.flags.iloc[0]
    assert (flag["row"], flag["column"], flag["value"]) == (
        3,
        "matched_profile",
        "Atelier Sève,Herbier Moderne",
    )


def test_talkwalker_epoch_milliseconds(tmp_path):
    millis = int(dt.datetime(2026, 3, 13, 14, 5, tzinfo=dt.UTC).timestamp() * 1000)
    path = tmp_path / "tw.csv"
    path.write_text(
        f"url,published,content,sentiment,source_type,reach\nhttps://a.fr/1,{millis},Bonjour,-3,BLOG,10\n"
    )
    mention = read([path], listening.FORMATS).tables["mentions"].iloc[0]
    assert mention["published_at"] == pd.Timestamp("2026-03-13 14:05", tz="UTC")
    assert (mention["channel"], mention["sentiment"]) == ("blog", "negative")


# Date + Time (12-hour clock) in Paris time: 29-Mar 12:05 AM is before the 02:00 switch (UTC+1),
# 31-Mar is UTC+2. "Not Rated" and "Unknown" are neutral.
MELTWATER_GOLDEN = """url,published_at,channel,author,author_followers,reach,engagement,sentiment,brand
https://www.youtube.com/watch?v=Bu11esT3st0,2026-03-02T18:00:00Z,youtube,Zoé Teste Tout,,12000,310,negative,Bulles d'Ici
https://twitter.com/julie_mtp/status/1896377777777777777,2026-03-03T08:42:00Z,x,@julie_mtp,3400,3400,12,neutral,Bulles d'Ici
https://www.lesechos.fr/pme-regions/pays-de-la-loire/bulles-dici-leve-2-millions-2098765,2026-03-04T17:15:00Z,news,Marie Dupuis,,1250000,0,positive,Bulles d'Ici
https://www.reddit.com/r/vosfinances/comments/1b9xyz/bulles_dici_avis/,2026-03-07T22:03:00Z,forum,lepetitnantais,,150,22,negative,Bulles d'Ici
https://www.lavieenvert.fr/blog/savons-solides-preferes/,2026-03-10T11:30:00Z,blog,Claire,,700,5,neutral,Atelier Sève
https://www.instagram.com/p/DD9xYvTr5Wq/,2026-03-28T23:05:00Z,instagram,pauline.slowlife,,5600,240,neutral,Atelier Sève
https://www.facebook.com/permalink.php?story_fbid=pfbid0AbC&id=100064,2026-03-31T13:40:00Z,facebook,Gaëlle Riou,,890,14,positive,Atelier Sève
"""


def test_meltwater_utf16_tsv():
    mentions = read([MELTWATER], listening.FORMATS).tables["mentions"]
    check(mentions, MELTWATER_GOLDEN, "url")
    assert (
        mentions.set_index("url").loc[
            "https://www.reddit.com/r/vosfinances/comments/1b9xyz/bulles_dici_avis/", "text"
        ]
        == "Bulles d'Ici, c'est vraiment zéro déchet ou juste du marketing ?"
    )


def test_meltwater_date_with_its_time(tmp_path):
    path = tmp_path / "mw.csv"
    header = "Date\tHeadline\tURL\tHit Sentence\tSource\tInfluencer\tReach\tSentiment\tInput Name\n"
    path.write_bytes(
        (header + "13-Mar-2026 08:15PM\t\thttps://b.fr/2\tSuper\tBlogs\tAnne\t10\tPositive\tX\n").encode(
            "utf-16"
        )
    )
    assert read([path], listening.FORMATS).tables["mentions"]["published_at"][0] == pd.Timestamp(
        "2026-03-13 19:15", tz="UTC"
    )


# French headers, cp1252, ";" — Date + Heure day first (all days ≤ 12: the French file is read
# day first), Réseau, Tonalité in French words, Portée with spaces and a no-break space.
GENERIC_GOLDEN = """author,published_at,channel,author_followers,reach,engagement,sentiment,brand,url
@gwen_bzh,2026-03-02T07:30:00Z,x,1540,1540,21,positive,Atelier Sève,https://twitter.com/gwen_bzh/status/1896011111111111111
Le Télégramme,2026-03-03T11:00:00Z,news,,38000,,neutral,Maison Argile,https://www.letelegramme.fr/finistere/quimper/maison-argile-ferme-sa-boutique.php
emma.zerodechet,2026-03-05T18:10:00Z,instagram,12300,9800,742,positive,Bulles d'Ici,https://www.instagram.com/p/DBxYz123abc/
Nolwenn,2026-03-06T21:45:00Z,forum,,210,4,negative,Herbier Moderne,
Cœur de Breizh,2026-03-09T09:00:00Z,blog,,2100,35,positive,Atelier Sève,https://coeurdebreizh.fr/atelier-seve-visite/
Yann Le Bihan,2026-03-10T13:20:00Z,facebook,,320,11,negative,Maison Argile,https://www.facebook.com/yann.lebihan/posts/pfbid0Zz9
Soizic Morvan,2026-03-11T06:55:00Z,linkedin,2870,2870,64,positive,Atelier Sève,https://www.linkedin.com/posts/soizic-morvan_consigne-activity-7437000000000000000-AbCd
lucas.skincare,2026-03-12T15:40:00Z,tiktok,45600,61200,3980,neutral,Bulles d'Ici,https://www.tiktok.com/@lucas.skincare/video/7345000000000000001
"""


def test_generic_french_export():
    result = read([GENERIC], listening.FORMATS)
    mentions = result.tables["mentions"]
    check(mentions, GENERIC_GOLDEN, "author")
    assert (
        mentions["text"][0]
        == "Le nouveau flacon consigné d\u2019Atelier Sève est superbe ; vivement la recharge en boutique !"
    )
    ids = mentions["mention_id"]
    assert ids.str.fullmatch(r"h[0-9a-f]{16}").all() and ids.is_unique
    url = "https://www.instagram.com/p/DBxYz123abc/"
    assert ids[mentions["url"] == url].item() == "h" + hashlib.sha1(url.encode()).hexdigest()[:16]
    assert result.files[0].format == "export de mentions (générique, en-têtes français)"


def test_generic_ids_are_stable_across_exports(tmp_path):
    """The same mentions re-exported with English headers and ISO dates get the same ids."""
    french = pd.read_csv(GENERIC, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    when = pd.to_datetime(french["Date"] + " " + french["Heure"], format="%d/%m/%Y %H:%M")
    english = pd.DataFrame({
        "Date": when.dt.strftime("%Y-%m-%d %H:%M"), "Source": french["Réseau"], "Author": french["Auteur"],
        "Text": french["Texte"], "Url": french["URL"], "Reach": french["Portée"], "Sentiment": "neutral",
        "Brand": french["Marque"],
    })  # fmt: skip
    english.to_csv(tmp_path / "en.csv", index=False)
    result = read([GENERIC, tmp_path / "en.csv"], listening.FORMATS)
    assert len(result.tables["mentions"]) == 8 and result.duplicates == {"mentions": 8}


def test_generic_english_export_reads_us_dates(tmp_path):
    path = tmp_path / "mentions.csv"
    path.write_text(
        "Date,Network,Author,Text,Reach,Sentiment,Brand\n03/13/2026 14:05,X,bob,Hi,5,Negative,B\n"
    )
    mention = read([path], listening.FORMATS).tables["mentions"].iloc[0]
    assert mention["published_at"] == pd.Timestamp("2026-03-13 13:05", tz="UTC")
    assert (mention["channel"], mention["sentiment"], mention["brand"]) == ("x", "negative", "B")


def test_the_workbook_template_is_not_taken_for_a_generic_export(tmp_path):
    path = tmp_path / "mentions.csv"
    path.write_text(
        "mention_id,published_at,channel,author,author_followers,text,url,reach,engagement,sentiment,emotion,brand\n"
        "m1,2026-03-02T08:00:00Z,news,Ouest-France,,Texte,,100,,neutral,,Atelier Sève\n",
        encoding="utf-8",
    )
    result = read([path], [*listening.FORMATS, *templates.FORMATS])
    assert result.files[0].format == "workbook template · mentions"
    assert result.tables["mentions"]["mention_id"].tolist() == ["m1"]


def test_all_listening_exports_together():
    result = read([LISTENING], listening.FORMATS)
    mentions = result.tables["mentions"]
    assert len(mentions) == 12 + 7 + 7 + 8 and result.duplicates == {"mentions": 3}
    assert mentions["mention_id"].is_unique
    assert set(mentions["sentiment"]) == {"positive", "neutral", "negative"}
    assert mentions["published_at"].dt.tz is not None and str(mentions["published_at"].dt.tz) == "UTC"
    counts = mentions.groupby("brand").size().to_dict()
    assert counts == {
        "Atelier Sève": 20,
        "Bulles d'Ici": 6,
        "Maison Argile": 3,
        "Herbier Moderne": 4,
        listening.BRAND: 1,
    }


# --- errors: a known format with an unreadable value stops the import, saying where and what ----------------


def _mutate(tmp_path: Path, source: Path, encoding: str, old: str, new: str) -> Path:
    text = source.read_bytes().decode(encoding)
    assert text.count(old) == 1
    target = tmp_path / source.name
    target.write_bytes(text.replace(old, new).encode(encoding))
    return target


@pytest.mark.parametrize(
    ("source", "encoding", "old", "new", "expected"),
    [
        (TALKWALKER, "utf-8", ";8 400;", ";beaucoup;",
         ["talkwalker_veille_mars-2026.csv", "column 'reach'", "expected a number", "row 4 ('beaucoup')"]),
        (GENERIC, "cp1252", "06/03/2026;22:45", "31/02/2026;22:45",
         ["veille_digimind_mars-2026.csv", "column 'date'", "expected a date", "row 5 ('31/02/2026 22:45')"]),
        (MELTWATER, "utf-16", "07-Mar-2026\t", "32-Mar-2026\t",
         ["meltwater_explore_mars-2026.csv", "column 'date'", "expected a date", "row 5 ('32-Mar-2026 11:03 PM')"]),
        (BRANDWATCH_OLD, "utf-8-sig", '"negative","Anger"', '"furieux","Anger"',
         ["brandwatch_2026-03-01_2026-03-13.csv", "column 'sentiment'", "expected a sentiment", "row 11 ('furieux')"]),
    ],
    ids=["talkwalker-reach", "generic-date", "meltwater-date", "brandwatch-sentiment"],
)  # fmt: skip
def test_listening_errors_name_file_row_column_and_expectation(
    tmp_path, source, encoding, old, new, expected
):
    path = _mutate(tmp_path, source, encoding, old, new)
    with pytest.raises(ExportError) as err:
        read([path], listening.FORMATS)
    for fragment in expected:
        assert fragment in str(err.value)


def test_linkedin_bad_date_in_xlsx(tmp_path):
    book = load_workbook(CONTENT_XLSX)
    book["All posts"]["F5"] = "31/02/2026"  # third post; US order: there is no month 31
    book.save(tmp_path / CONTENT_XLSX.name)
    with pytest.raises(ExportError) as err:
        read([tmp_path / CONTENT_XLSX.name], linkedin.FORMATS)
    message = str(err.value)
    assert f"{CONTENT_XLSX.name}:All posts: column 'created date': expected a date" in message
    assert "row 5 ('31/02/2026')" in message


def test_linkedin_bad_number_in_xls(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Visitor metrics")
    rows = [("Date", "Total page views (total)", "Total unique visitors (total)"),
            ("03/01/2026", 25, 18), ("03/02/2026", "beaucoup", 48)]  # fmt: skip
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "page_visitors_1.xls"))
    with pytest.raises(ExportError) as err:
        read([tmp_path / "page_visitors_1.xls"], linkedin.FORMATS)
    message = str(err.value)
    assert (
        "page_visitors_1.xls:Visitor metrics: column 'total page views (total)': expected a number" in message
    )
    assert "row 3 ('beaucoup')" in message


def test_raw_exports_are_never_rewritten():
    files = sorted(p for folder in (LINKEDIN, LISTENING) for p in folder.iterdir())
    before = {p: p.read_bytes() for p in files}
    read([LINKEDIN], linkedin.FORMATS)
    read([LISTENING], listening.FORMATS)
    assert {p: p.read_bytes() for p in files} == before
    assert sum(len(b) for b in before.values()) < 100_000
