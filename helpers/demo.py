"""Seeded generator of the demo client's tables (Atelier Sève, a fictional brand).

``python -m helpers.demo`` rewrites ``data/clients/demo/tables``; the same seed always gives
byte-identical files. The planted effects the notebooks must find are set in :data:`EFFECTS`
and documented, with their sizes, in ``data/clients/demo/README.md``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.config import client_dir
from helpers.schemas import SENTIMENTS, TABLES

DEFAULT_SEED = 20261123
TZ = "Europe/Paris"
START, END = pd.Timestamp("2025-11-01"), pd.Timestamp("2026-10-31")
DAYS = pd.date_range(START, END, freq="D")
MONTHS = pd.date_range(START, END, freq="MS")
FB_DECLINE_FROM = pd.Timestamp("2026-08-01")
#: Activity multiplier of each month, January first (gifts in December, Mother's Day in May).
SEASON = (0.9, 0.9, 1.0, 1.05, 1.2, 1.0, 0.85, 0.8, 1.0, 1.0, 1.05, 1.35)
DAY_SEASON = np.array(SEASON)[DAYS.month - 1]
#: Owned profiles (as in the brief): channel -> (account, followers on START, monthly growth).
PROFILES = {
    "facebook": ("atelierseve", 12_000, 0.003),
    "instagram": ("atelier.seve", 8_500, 0.025),
    "linkedin": ("atelier-seve", 1_800, 0.015),
}
BRAND = "Atelier Sève"


@dataclass(frozen=True)
class Effects:
    """Sizes of the planted effects (``NO_EFFECTS`` switches them all off)."""

    slot: float = 1.9  # engagement x on Thursday 18:00-18:59 local, every network
    reels: float = 2.2  # engagement x of Instagram reels vs the other Instagram formats
    fb_floor: float = 0.45  # Facebook engagement x reached on END, linear from FB_DECLINE_FROM
    leader_share: float = 0.40  # Maison Argile's share of all mentions


EFFECTS = Effects()
NO_EFFECTS = Effects(slot=1.0, reels=1.0, fb_floor=1.0, leader_share=0.25)

# --- posts ----------------------------------------------------------------------------------
POSTS_PER_WEEK = {"facebook": 4, "instagram": 6, "linkedin": 3}
SLOT_POSTS = {"facebook": 8, "instagram": 12, "linkedin": 6}  # scheduled Thursdays at 18:xx
BASE_ER = {"facebook": 0.03, "instagram": 0.05, "linkedin": 0.04}  # interactions / reach
REACH_RATIO = {"facebook": 0.16, "instagram": 0.30, "linkedin": 0.38}  # reach / followers
#: channel -> format -> (share of posts, engagement x, reach x); reels get EFFECTS.reels.
FORMATS = {
    "facebook": {
        "photo": (0.45, 1.0, 1.0),
        "video": (0.2, 1.2, 1.1),
        "link": (0.25, 0.8, 0.85),
        "text": (0.1, 0.9, 0.8),
    },
    "instagram": {
        "photo": (0.35, 1.0, 1.0),
        "reel": (0.3, 1.0, 1.0),
        "carousel": (0.2, 1.0, 1.0),
        "story": (0.15, 1.0, 0.45),
    },
    "linkedin": {
        "text": (0.25, 0.9, 0.8),
        "photo": (0.3, 1.0, 1.0),
        "video": (0.15, 1.15, 1.1),
        "carousel": (0.15, 1.1, 1.0),
        "link": (0.15, 0.85, 0.9),
    },
}
#: Split of interactions into reactions, comments, shares, saves (by channel or IG format).
SPLIT = {
    "facebook": (0.8, 0.11, 0.09, 0.0),
    "instagram": (0.78, 0.07, 0.05, 0.10),
    "linkedin": (0.84, 0.10, 0.06, 0.0),
    "reel": (0.70, 0.06, 0.10, 0.14),
    "story": (0.75, 0.25, 0.0, 0.0),
}
POST_HOURS = np.arange(7, 22)
POST_HOUR_WEIGHTS = np.array([0.3, 0.8, 1.5, 0.8, 0.8, 2.5, 1.2, 0.5, 0.5, 0.6, 1.2, 2.5, 2, 1.5, 0.5])
DAY_HOUR_WEIGHTS = np.array(
    [1, 0.6, 0, 0.3, 0.3, 0.5, 1.5, 3, 5, 6, 6, 6, 7, 6, 5, 5, 5, 6, 7, 8, 8, 6, 4, 2], dtype=float
)  # nothing at 2 h: no DST ambiguity
SHORTCODE = list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
ID_BASE = {"facebook": 1221 * 10**14, "instagram": 1790 * 10**13, "linkedin": 7258 * 10**15}
PRODUCTS = (
    "le baume à l'argile verte",
    "le savon solide au lait d'avoine",
    "l'huile sèche à l'argousier",
    "le shampoing solide ortie & romarin",
    "la crème mains au calendula",
    "le déodorant solide sans bicarbonate",
    "le sérum à la rose de Bretagne",
)
INGREDIENTS = (
    "l'argile verte",
    "le calendula",
    "l'huile de chanvre",
    "la camomille",
    "l'algue wakamé",
    "la cire d'abeille bretonne",
)
EMOJIS = ("🌿", "💧", "✨", "🧴", "🌸", "🐝", "", "")
CAPTIONS = (
    "Notre routine du soir en 3 gestes, avec {p} {e}",
    "Coulisses : ce matin à l'atelier, on a coulé une nouvelle série. Devinez quoi ? {e}",
    "Zoom sur {i}, l'ingrédient star de {p} {e}",
    "« Enfin un soin qui ne tire pas ! » Merci Claire pour ce retour sur {p} {e}",
    "Consigne & vrac : rapportez vos flacons vides en boutique, on s'occupe du reste {e}",
    "Nouveau : {p} existe désormais en format rechargeable {e}",
    "3 questions qu'on nous pose sur {i} (et nos réponses) {e}",
    "Composition décryptée : 98 % d'ingrédients d'origine naturelle pour {p}",
    "Peau sèche en hiver ? {P}, notre allié préféré {e}",
    "Petites séries & grands soins : rencontrez Maëlle, notre préparatrice {e}",
    "Pourquoi nous avons choisi {i} plutôt qu'un actif de synthèse",
    "Fabriqué à Rennes : l'histoire de {p}, de l'idée au flacon {e}",
)

# --- listening ------------------------------------------------------------------------------
BRAND_SHARES = {BRAND: 0.27, "Maison Argile": None, "Bulles d'Ici": 0.18, "Herbier Moderne": 0.15}
SENTIMENT_MIX = {
    BRAND: (0.55, 0.30, 0.15),
    "Maison Argile": (0.45, 0.33, 0.22),
    "Bulles d'Ici": (0.40, 0.35, 0.25),
    "Herbier Moderne": (0.62, 0.28, 0.10),
}
EMOTIONS = {
    "positive": (("joy", "satisfaction", "amusement", "anticipation"), (0.35, 0.4, 0.1, 0.15)),
    "neutral": (("anticipation", "amusement"), (0.7, 0.3)),
    "negative": (("disappointment", "sadness"), (0.7, 0.3)),
}
MENTION_SOURCES = {
    "instagram": 0.32,
    "facebook": 0.16,
    "x": 0.14,
    "tiktok": 0.12,
    "news": 0.05,
    "blog": 0.08,
    "forum": 0.13,
}
MENTION_TEXTS = {
    "positive": (
        "J'adore {b} <3 mon baume préféré depuis des mois",
        "Commande reçue chez {b} : zéro plastique & livraison rapide 👌",
        "Test du shampoing solide {b} : « cheveux tout doux », validé !",
        "Merci {b} pour les conseils en boutique, super accueil",
    ),
    "neutral": (
        "Quelqu'un a testé {b} ? Je cherche un déo solide",
        "{b} annonce une nouvelle gamme pour le printemps",
        "Comparatif des savons solides : {b} parmi les marques testées",
        "Vu en boutique : {b} < 15 € le savon, ça se tente ?",
    ),
    "negative": (
        "Déçue par {b}, le flacon fuyait à la réception",
        "Toujours pas de réponse de {b} après 2 mails...",
        'Le "naturel" selon {b} & ses 20 ingrédients, vraiment ?',
        "Le déo {b} m'a irrité la peau :(",
    ),
}
FIRST_NAMES = (
    "lea camille manon chloe ines sarah julie emma lucie anais marion pauline yann "
    "erwan maelle nolwenn gwen louise jade alice"
).split()
HANDLE_SUFFIXES = (
    "_beaute .soins _zerodechet .naturelle _bzh _cosmetique .green _routine .slowlife _rennes _nantes _brest"
).split()
OUTLETS = {
    "news": "ouest-eco-mag journal-de-l-armor beaute-actu conso-verte-mag".split(),
    "blog": "carnets-de-lea zero-dechet-et-moi salle-de-bain-verte peau-nette".split(),
}

# --- care, leads, spend, competitors --------------------------------------------------------
CARE_PER_DAY = {"facebook": 1.6, "instagram": 1.8, "linkedin": 0.5}
CARE_TYPES = (("question", "complaint", "praise", "other"), (0.5, 0.2, 0.2, 0.1))
LEADS_PER_DAY = {"facebook": 1.5, "instagram": 2.6, "linkedin": 0.7}
MONTHLY_ADS = {"facebook": 300, "instagram": 700, "linkedin": 150}  # as in the brief
TEAM_HOURS = {"facebook": (20, 32), "instagram": (32, 45), "linkedin": (20, 28)}
ALWAYS_ON = {
    "facebook": "Communauté locale",
    "instagram": "Notoriété marque",
    "linkedin": "Savoir-faire breton",
}
#: Seasonal campaign of each month, January first (LinkedIn runs its always-on one only).
CAMPAIGNS = (
    ("Routine hiver",) * 2
    + ("Printemps du vrac",) * 2
    + ("Fête des mères",)
    + ("Soins d'été",) * 3
    + ("Rentrée zéro déchet",) * 2
    + ("Coffrets de Noël",) * 2
)
#: (competitor, channel) -> (followers on START, monthly growth, posts a month, ER/follower).
COMPETITORS = {
    ("Maison Argile", "facebook"): (21_000, 0.002, 18, 0.006),
    ("Maison Argile", "instagram"): (45_000, 0.015, 30, 0.012),
    ("Maison Argile", "linkedin"): (4_200, 0.010, 8, 0.020),
    ("Bulles d'Ici", "facebook"): (9_500, 0.001, 14, 0.008),
    ("Bulles d'Ici", "instagram"): (15_500, 0.010, 20, 0.015),
    ("Herbier Moderne", "instagram"): (6_200, 0.040, 16, 0.030),
    ("Herbier Moderne", "linkedin"): (1_100, 0.020, 6, 0.030),
}


def _utc(local: pd.Series | pd.DatetimeIndex) -> list[str]:
    """Format naive Europe/Paris times as UTC ``YYYY-MM-DDTHH:MM:SSZ`` strings."""
    idx = pd.DatetimeIndex(local)
    aware = idx.tz_localize(TZ, ambiguous=np.zeros(len(idx), dtype=bool), nonexistent="shift_forward")
    return list(aware.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"))


def _random_times(rng: np.random.Generator, days: pd.DatetimeIndex, weights: np.ndarray) -> pd.DatetimeIndex:
    """One local time per day given, the hour drawn with ``weights`` (24 values)."""
    hours = rng.choice(24, size=len(days), p=weights / weights.sum())
    seconds = hours * 3600 + rng.integers(0, 3600, size=len(days))
    return pd.DatetimeIndex(days) + pd.to_timedelta(seconds, unit="s")


def _pick(rng: np.random.Generator, keys: np.ndarray, options: dict) -> np.ndarray:
    """For each key, draw one of ``options[key][0]`` with probabilities ``options[key][1]``."""
    out = np.empty(len(keys), dtype=object)
    for key, (labels, probs) in options.items():
        mask = keys == key
        out[mask] = rng.choice(labels, mask.sum(), p=np.array(probs) / np.sum(probs))
    return out


def followers(rng: np.random.Generator) -> pd.DataFrame:
    """Daily community size per owned profile; followers = previous + gained - lost."""
    rows = []
    for channel, (account, size, monthly) in PROFILES.items():
        daily, churn = (1 + monthly) ** (12 / 365) - 1, 0.0004
        gained = rng.poisson(size * (daily + churn), len(DAYS))
        lost = rng.poisson(size * churn, len(DAYS))
        for day, gain, loss in zip(DAYS, gained.tolist(), lost.tolist(), strict=True):
            size += gain - loss
            rows.append((day, channel, account, size, gain, loss))
    return pd.DataFrame(rows, columns=TABLES["followers"].column_names)


def _schedule(rng: np.random.Generator, channel: str) -> pd.DataFrame:
    """Local publication times, formats and paid flags of one channel's posts.

    ``SLOT_POSTS`` of them are scheduled on distinct Thursdays at 18:xx with exactly the
    channel's usual format mix, so the slot effect is not confounded with formats.
    """
    total, n_slot = round(POSTS_PER_WEEK[channel] * len(DAYS) / 7), SLOT_POSTS[channel]
    slot_days = np.sort(rng.choice(DAYS[DAYS.day_of_week == 3], n_slot, replace=False))
    days = pd.DatetimeIndex(np.concatenate([rng.choice(DAYS, total - n_slot), slot_days]))
    hours = np.concatenate(
        [
            rng.choice(POST_HOURS, total - n_slot, p=POST_HOUR_WEIGHTS / POST_HOUR_WEIGHTS.sum()),
            np.full(n_slot, 18),
        ]
    )
    local = days + pd.to_timedelta(hours * 60 + rng.integers(0, 60, total), unit="min")
    names = list(FORMATS[channel])
    shares = np.array([FORMATS[channel][n][0] for n in names])
    quota = np.floor(shares * n_slot).astype(int)
    quota[np.argsort(quota - shares * n_slot, kind="stable")[: n_slot - quota.sum()]] += 1
    formats = np.concatenate(
        [rng.choice(names, total - n_slot, p=shares / shares.sum()), rng.permutation(np.repeat(names, quota))]
    )
    frame = pd.DataFrame(
        {"local": local, "channel": channel, "format": formats, "paid": rng.random(total) < 0.05}
    )
    return frame.sort_values("local", kind="stable")


def _engagement_multiplier(frame: pd.DataFrame, effects: Effects) -> np.ndarray:
    """Planted and background multipliers of the engagement rate, one per post."""
    local = pd.DatetimeIndex(frame["local"])
    channel, fmt = frame["channel"].to_numpy(), frame["format"].to_numpy()
    by_format = np.array([FORMATS[c][f][1] for c, f in zip(channel, fmt, strict=True)])
    by_format = np.where((channel == "instagram") & (fmt == "reel"), effects.reels, by_format)
    slot = np.where((local.day_of_week == 3) & (local.hour == 18), effects.slot, 1.0)
    year = np.asarray((local - START) / (END - START))
    tail = np.clip(np.asarray((local - FB_DECLINE_FROM) / (END - FB_DECLINE_FROM)), 0, 1)
    trend = np.select(
        [channel == "facebook", channel == "instagram"],
        [1 - (1 - effects.fb_floor) * tail, 1 + 0.08 * year],
        1.0,
    )
    return by_format * slot * trend


def _post_identity(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric ids increasing with time per channel, permalinks and French captions."""
    steps = rng.integers(10**9, 10**13, len(frame))
    numbers = np.zeros(len(frame), dtype=np.int64)
    for channel in PROFILES:
        mask = (frame["channel"] == channel).to_numpy()
        numbers[mask] = ID_BASE[channel] + np.cumsum(steps[mask])
    picks = rng.integers(
        0, [len(CAPTIONS), len(PRODUCTS), len(INGREDIENTS), len(EMOJIS)], size=(len(frame), 4)
    )
    rows = []
    for number, channel, fmt, (t, p, i, e) in zip(
        numbers.tolist(), frame["channel"], frame["format"], picks, strict=True
    ):
        code, product = "".join(rng.choice(SHORTCODE, 11)), PRODUCTS[p]
        link = {
            "facebook": f"https://www.facebook.com/atelierseve/posts/{number}",
            "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{number}/",
            "instagram": f"https://www.instagram.com/{'reel' if fmt == 'reel' else 'p'}/{code}/",
            "story": f"https://www.instagram.com/stories/atelier.seve/{number}/",
        }
        text = (
            CAPTIONS[t]
            .format(p=product, P=product[0].upper() + product[1:], i=INGREDIENTS[i], e=EMOJIS[e])
            .strip()
            .replace(" de le ", " du ")  # French contraction: "l'histoire du savon", not "de le"
        )
        rows.append(
            (str(number), link["story" if fmt == "story" else channel], "" if fmt == "story" else text)
        )  # stories carry no caption
    return pd.DataFrame(rows, columns=["post_id", "permalink", "text"])


def posts(rng: np.random.Generator, follower_table: pd.DataFrame, effects: Effects = EFFECTS) -> pd.DataFrame:
    """Posts of the owned profiles with reach, interactions and the planted effects."""
    frame = pd.concat([_schedule(rng, c) for c in PROFILES], ignore_index=True)
    frame = frame.sort_values(["local", "channel"], kind="stable").reset_index(drop=True)
    n, channel, fmt = len(frame), frame["channel"].to_numpy(), frame["format"].to_numpy()
    size = follower_table.set_index(["channel", "date"])["followers"]
    audience = size.loc[list(zip(channel, frame["local"].dt.normalize(), strict=True))]
    reach_x = np.array([FORMATS[c][f][2] for c, f in zip(channel, fmt, strict=True)])
    reach = (
        audience.to_numpy()
        * frame["channel"].map(REACH_RATIO).to_numpy()
        * reach_x
        * np.where(frame["paid"], 1.5, 1.0)
        * rng.lognormal(0, 0.25, n)
    )
    reach = np.maximum(1, np.round(reach)).astype(int)
    rate = frame["channel"].map(BASE_ER).to_numpy() * _engagement_multiplier(frame, effects)
    total = np.round(reach * rate * rng.lognormal(0, 0.2, n)).astype(int)
    split = np.array(
        [
            rng.multinomial(k, SPLIT.get(f if c == "instagram" else c, SPLIT[c]))
            for k, c, f in zip(total, channel, fmt, strict=True)
        ]
    )
    ctr = np.select(
        [(channel == "facebook") & (fmt == "link"), fmt == "link", channel == "linkedin"],
        [0.03, 0.025, 0.012],
        np.nan,
    )
    impressions = np.ceil(reach * rng.uniform(1.1, 1.6, n)).astype(int)
    views = np.where(
        np.isin(fmt, ["video", "reel"]), np.round(impressions * rng.uniform(0.6, 0.95, n)), np.nan
    )
    table = pd.DataFrame(
        {
            "channel": channel,
            "account": [PROFILES[c][0] for c in channel],
            "published_at": _utc(frame["local"]),
            "format": fmt,
            "impressions": impressions,
            "reach": reach,
            "reactions": split[:, 0],
            "comments": split[:, 1],
            "shares": split[:, 2],
            "saves": pd.array(np.where(channel == "instagram", split[:, 3], np.nan), dtype="Int64"),
            "clicks": pd.array(np.round(reach * ctr * rng.lognormal(0, 0.3, n)), dtype="Int64"),
            "video_views": pd.array(views, dtype="Int64"),
            "paid": np.where(frame["paid"], "true", "false"),
        }
    )
    return pd.concat([table, _post_identity(rng, frame)], axis=1)


def _authors(rng: np.random.Generator) -> pd.DataFrame:
    """Pool of people talking: social handles with heavy-tailed audiences, outlets, forums."""
    combos = [f"{n}{s}{d}" for n in FIRST_NAMES for s in HANDLE_SUFFIXES for d in ("", "29", "35")]
    handles = sorted(rng.choice(combos, 600, replace=False))
    audience = np.round(rng.lognormal(np.log(900), 1.6, 600))
    audience[rng.choice(600, 5, replace=False)] = rng.integers(110_000, 480_000, 5)  # macro
    rows = [("social", h, a) for h, a in zip(handles, audience, strict=True)]
    rows += [("news", o, rng.integers(20_000, 400_000)) for o in OUTLETS["news"]]
    rows += [("blog", o, rng.integers(2_000, 30_000)) for o in OUTLETS["blog"]]
    rows += [("forum", f"membre_{k}", np.nan) for k in rng.choice(90_000, 150, replace=False)]
    return pd.DataFrame(rows, columns=["pool", "author", "audience"])


def _mention_url(rng: np.random.Generator, channel: str, author: str) -> str:
    """A plausible address for one mention."""
    number, code = int(rng.integers(10**15, 10**18)), "".join(rng.choice(SHORTCODE, 11))
    return {
        "instagram": f"https://www.instagram.com/p/{code}/",
        "facebook": f"https://www.facebook.com/{author}/posts/{number}",
        "x": f"https://x.com/{author}/status/{number}",
        "tiktok": f"https://www.tiktok.com/@{author}/video/{number}",
        "news": f"https://www.{author}.fr/beaute/article-{number % 10**7}.html",
        "blog": f"https://{author}.fr/{code.lower()}/",
        "forum": f"https://forum.beaute-naturelle.fr/t/{number % 10**6}",
    }[channel]


def mentions(rng: np.random.Generator, effects: Effects = EFFECTS) -> pd.DataFrame:
    """Listening mentions of the brand and its three competitors."""
    local = _random_times(rng, DAYS.repeat(rng.poisson(17.8 * DAY_SEASON)), DAY_HOUR_WEIGHTS)
    n = len(local)
    shares = np.array([effects.leader_share if v is None else v for v in BRAND_SHARES.values()])
    brand = rng.choice(list(BRAND_SHARES), n, p=shares / shares.sum())
    channel = rng.choice(list(MENTION_SOURCES), n, p=list(MENTION_SOURCES.values()))
    kind = np.where(np.isin(channel, ["news", "blog", "forum"]), channel, "social")
    author, audience = np.empty(n, dtype=object), np.full(n, np.nan)
    pool = _authors(rng)
    for name in ("blog", "forum", "news", "social"):
        group, mask = pool[pool["pool"] == name], kind == name
        weights = 1 / (rng.permutation(len(group)) + 10.0)  # a few authors talk a lot
        pick = rng.choice(len(group), mask.sum(), p=weights / weights.sum())
        author[mask] = group["author"].to_numpy()[pick]
        audience[mask] = group["audience"].to_numpy()[pick]
    sentiment = _pick(rng, brand, {b: (SENTIMENTS, m) for b, m in SENTIMENT_MIX.items()})
    template = rng.integers(0, 4, n)
    reach = np.nan_to_num(audience, nan=300) * rng.lognormal(np.log(0.3), 0.5, n)
    rate = np.where(kind == "social", 0.03, 0.005) * rng.lognormal(0, 0.6, n)
    frame = pd.DataFrame(
        {
            "published_at": _utc(local),
            "channel": channel,
            "author": author,
            "author_followers": pd.array(audience, dtype="Int64"),
            "text": [
                MENTION_TEXTS[s][t].format(b=b) for s, t, b in zip(sentiment, template, brand, strict=True)
            ],
            "url": [_mention_url(rng, c, a) for c, a in zip(channel, author, strict=True)],
            "reach": np.round(reach).astype(int),
            "engagement": np.round(reach * rate).astype(int),
            "sentiment": sentiment,
            "emotion": _pick(rng, sentiment, EMOTIONS),
            "brand": brand,
        }
    )
    frame = frame.sort_values(["published_at", "url"], kind="stable").reset_index(drop=True)
    frame.insert(0, "mention_id", [f"mn-{k:06d}" for k in range(1, n + 1)])
    return frame


def audience(rng: np.random.Generator) -> pd.DataFrame:
    """Demographic shares per channel; each channel x dimension sums to exactly 1."""
    labels = {
        "age": ("18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
        "gender": ("female", "male", "other"),
        "country": ("FR", "BE", "CH", "other"),
        "city": ("Rennes", "Paris", "Nantes", "Brest", "Lyon", "other"),
        "interest": ("skincare", "zero waste", "wellness", "fashion", "cooking"),
    }
    common = {"country": (88, 5, 3, 4), "city": (18, 14, 11, 9, 4, 44), "interest": (34, 22, 20, 14, 10)}
    own = {
        "facebook": {"age": (6, 20, 27, 23, 15, 9), "gender": (74, 24, 2)},
        "instagram": {"age": (18, 38, 24, 12, 6, 2), "gender": (86, 12, 2)},
        "linkedin": {"age": (3, 22, 32, 25, 14, 4), "gender": (62, 37, 1)},
    }
    rows = []
    for channel, dimension in ((c, d) for c in own for d in labels):
        weights = np.array({**common, **own[channel]}[dimension], dtype=float)
        shares = np.round(rng.dirichlet(weights * 40), 4)
        shares[np.argmax(shares)] += 1 - shares.sum()  # rounded shares add up to 1 exactly
        rows += [(channel, dimension, v, f"{s:.4f}") for v, s in zip(labels[dimension], shares, strict=True)]
    return pd.DataFrame(rows, columns=TABLES["audience"].column_names)


def competitors(rng: np.random.Generator) -> pd.DataFrame:
    """Monthly followers, posts and interactions per competitor and channel."""
    rows = []
    for (brand, channel), (size, growth, per_month, rate) in COMPETITORS.items():
        for k, month in enumerate(MONTHS):
            community = round(size * (1 + growth) ** (k + 1) * rng.lognormal(0, 0.004))
            count = int(rng.poisson(per_month * SEASON[month.month - 1]))
            interactions = round(community * count * rate * rng.lognormal(0, 0.15))
            rows.append((month, brand, channel, community, count, interactions))
    frame = pd.DataFrame(rows, columns=TABLES["competitors"].column_names)
    return frame.sort_values(["date", "brand", "channel"], kind="stable")


def care(rng: np.random.Generator) -> pd.DataFrame:
    """Customer-care messages: median answer ~3 h, slower at weekends, ~8 % unanswered."""
    parts = []
    for channel, per_day in CARE_PER_DAY.items():
        local = _random_times(rng, DAYS.repeat(rng.poisson(per_day, len(DAYS))), DAY_HOUR_WEIGHTS)
        delay = rng.lognormal(np.log(2.4 * 3600), 1.1, len(local))
        delay = np.minimum(delay * np.where(local.day_of_week >= 5, 2.5, 1.0), 5 * 86_400)
        answered = rng.random(len(local)) >= 0.08
        resolved = answered & (rng.random(len(local)) < 0.8)
        parts.append(
            pd.DataFrame(
                {
                    "received_at": _utc(local),
                    "answered_at": np.where(answered, _utc(local + pd.to_timedelta(delay.round(), "s")), ""),
                    "resolved": np.where(resolved, "true", "false"),
                    "channel": channel,
                    "type": rng.choice(CARE_TYPES[0], len(local), p=CARE_TYPES[1]),
                }
            )
        )
    frame = pd.concat(parts).sort_values(["received_at", "channel"], kind="stable")
    frame.insert(0, "message_id", [f"msg-{k:05d}" for k in range(1, len(frame) + 1)])
    return frame


def leads(rng: np.random.Generator) -> pd.DataFrame:
    """Daily leads, SQLs (about 30 %) and revenue (SQLs x a 55-70 EUR basket)."""
    parts = []
    for channel, per_day in LEADS_PER_DAY.items():
        count = rng.poisson(per_day * DAY_SEASON)
        sqls = rng.binomial(count, 0.3)
        revenue = sqls * rng.uniform(55, 70, len(DAYS))
        parts.append(
            pd.DataFrame(
                {
                    "date": DAYS,
                    "channel": channel,
                    "leads": count,
                    "sqls": sqls,
                    "revenue": [f"{v:.2f}" for v in revenue],
                }
            )
        )
    return pd.concat(parts).sort_values(["date", "channel"], kind="stable")


def spend(rng: np.random.Generator) -> pd.DataFrame:
    """Monthly ad spend and team hours per channel: an always-on and a seasonal campaign."""
    rows = []
    for month, channel in ((m, c) for m in MONTHS for c in MONTHLY_ADS):
        amount = MONTHLY_ADS[channel] * SEASON[month.month - 1] * rng.lognormal(0, 0.12)
        hours = rng.uniform(*TEAM_HOURS[channel])
        cut = 0.0 if channel == "linkedin" else rng.uniform(0.55, 0.7)
        rows.append((month, channel, ALWAYS_ON[channel], amount * (1 - cut), hours * (1 - cut)))
        if cut:
            rows.append((month, channel, CAMPAIGNS[month.month - 1], amount * cut, hours * cut))
    frame = pd.DataFrame(rows, columns=TABLES["spend"].column_names)
    frame["amount"] = [f"{v:.2f}" for v in frame["amount"]]
    frame["hours"] = [f"{h:.1f}" for h in frame["hours"]]
    return frame.sort_values(["date", "channel", "campaign"], kind="stable")


def _write(frame: pd.DataFrame, name: str, out_dir: Path) -> int:
    """Write one table with the canonical columns, in order; dates as ``YYYY-MM-DD``."""
    frame = frame[TABLES[name].column_names].copy()
    if "date" in frame:
        frame["date"] = pd.DatetimeIndex(frame["date"]).strftime("%Y-%m-%d")
    frame.to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    return len(frame)


def generate(out_dir: Path, seed: int = DEFAULT_SEED, *, effects: Effects = EFFECTS) -> dict[str, int]:
    """Write the eight demo tables into ``out_dir`` (created if missing).

    Args:
        out_dir: folder to write ``posts.csv``, ``followers.csv``... to.
        seed: seed of ``numpy.random.default_rng``; the same seed gives identical files.
        effects: sizes of the planted effects; ``NO_EFFECTS`` gives a flat control data set.

    Returns:
        Rows written per table name.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rngs = dict(zip(TABLES, np.random.default_rng(seed).spawn(len(TABLES)), strict=True))
    follower_table = followers(rngs["followers"])
    tables = {
        "posts": posts(rngs["posts"], follower_table, effects),
        "followers": follower_table,
        "mentions": mentions(rngs["mentions"], effects),
        "audience": audience(rngs["audience"]),
        "competitors": competitors(rngs["competitors"]),
        "care": care(rngs["care"]),
        "leads": leads(rngs["leads"]),
        "spend": spend(rngs["spend"]),
    }
    return {name: _write(frame, name, out_dir) for name, frame in tables.items()}


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m helpers.demo [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.demo", description="Write the demo client's tables."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=client_dir("demo") / "tables",
        help="folder to write the CSV tables to (default: the demo client's)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    for name, rows in generate(args.out, args.seed).items():
        print(f"{name}.csv: {rows} rows")


if __name__ == "__main__":
    main()
