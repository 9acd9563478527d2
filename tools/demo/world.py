"""Seeded generator of the demo client's data (Atelier Sève, a fictional brand).

:mod:`tools.demo.generate` (``python -m tools.demo``) writes this world into
``data/clients/demo``: the platforms' own export files in ``exports/`` (written by
:mod:`tools.demo.exports`) and, in ``tables/``, the workbook's CSV templates for what no
platform exports. The same seed always gives byte-identical files. The
planted effects the notebooks must find are set in :data:`EFFECTS` and documented, with their
sizes, in ``data/clients/demo/README.md``. Besides the best slot, Instagram reels, Facebook's
decline and Maison Argile's share-of-voice lead, three effects serve the influencer, content-theme
and competitors-over-time analyses:

- **an influencer that fits a persona**: ``@lea.vracetsimple`` (:data:`INFLUENCER`, ~18,000
  Instagram followers, micro tier) mentions the brand about 24 times, mostly positively, in texts
  about zéro déchet, vrac, recharge and flacons consignés (the persona Clara's keywords), with good
  engagement; ``@maxime.gaming`` (:data:`OFF_TOPIC`, ~420,000 followers, macro tier) mentions it 3
  times, neutrally, between two posts about video games and streaming (:func:`planted_authors`);
- **a theme that engages**: about 17.5 % of the captioned posts of every network and format are
  about refills (:data:`REFILL_CAPTIONS`, hashtags :data:`REFILL_HASHTAGS`); on Facebook and
  Instagram they engage ×``Effects.refill`` (:func:`refill_posts`);
- **a competitor that rises**: from :data:`CHALLENGER_FROM`, :data:`CHALLENGER`'s mentions are
  multiplied by ``Effects.challenger_voice`` and its Instagram followers grow
  ``Effects.challenger_growth`` times faster (:func:`challenger_mentions`,
  :func:`challenger_growth`).

``tables/campaigns.csv`` (:func:`campaigns`) holds two influencer campaigns, one with the planted
influencer, one with a macro author of the listening data.

The generator first builds the *world* (every post with every metric its export carries, every
mention...), then writes it out. :func:`canonical_posts` and :func:`canonical_mentions` give
what a correct importer must read back from the exports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from helpers.client.schemas import SENTIMENTS, TABLES

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
    "x": ("atelierseve", 2_500, 0.004),
}
BRAND = "Atelier Sève"
#: Independent random streams, one per part of the world (adding one leaves the others alone).
STREAMS = (
    "posts", "followers", "mentions", "audience", "competitors", "care", "leads", "spend", "customers",
    "themes", "influencers", "challenger", "campaigns",
)  # fmt: skip
#: Tables written in the workbook's own templates (everything else comes as platform exports).
TEMPLATE_TABLES = ("followers", "audience", "competitors", "care", "leads", "spend", "customers")


@dataclass(frozen=True)
class Effects:
    """Sizes of the planted effects (``NO_EFFECTS`` switches them all off)."""

    slot: float = 1.9  # engagement x on Thursday 18:00-18:59 local, every network
    reels: float = 2.2  # engagement x of Instagram reels vs the other Instagram formats
    fb_floor: float = 0.30  # Facebook engagement x reached on END, linear from FB_DECLINE_FROM
    leader_share: float = 0.40  # Maison Argile's share of all mentions
    refill: float = 1.5  # engagement x of refill captions on Facebook and Instagram (REFILL_NETWORKS)
    influencer: int = 24  # brand mentions by INFLUENCER (0: neither INFLUENCER nor OFF_TOPIC talk)
    challenger_voice: float = 2.4  # CHALLENGER's mentions x from CHALLENGER_FROM (share ~15 % -> ~30 %)
    challenger_growth: float = 3.0  # CHALLENGER's Instagram monthly follower growth x from CHALLENGER_FROM


EFFECTS = Effects()
NO_EFFECTS = Effects(
    slot=1.0, reels=1.0, fb_floor=1.0, leader_share=0.25, refill=1.0, influencer=0, challenger_voice=1.0,
    challenger_growth=1.0,
)  # fmt: skip

# --- posts ----------------------------------------------------------------------------------
POSTS_PER_WEEK = {"facebook": 4, "instagram": 6, "linkedin": 3, "x": 3}
#: Share of the posts boosted with ads (none on X: the brief has no ads budget there).
PAID_SHARE = 0.05
SLOT_POSTS = {"facebook": 8, "instagram": 12, "linkedin": 6, "x": 6}  # scheduled Thursdays at 18:xx
#: Base engagement rate: interactions / reach, except on X where it is per impression (X
#: reports no reach).
BASE_ER = {"facebook": 0.03, "instagram": 0.05, "linkedin": 0.04, "x": 0.02}
REACH_RATIO = {"facebook": 0.16, "instagram": 0.30, "linkedin": 0.38, "x": 0.12}  # reach / followers
#: channel -> format -> (share of posts, engagement x, reach x); Instagram reels get EFFECTS.reels.
FORMATS = {
    "facebook": {
        "photo": (0.45, 1.0, 1.0),
        "video": (0.12, 1.2, 1.1),
        "reel": (0.08, 1.2, 1.1),  # a Facebook reel is a short video: same multipliers
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
    "x": {
        "text": (0.3, 0.9, 0.85),
        "photo": (0.35, 1.0, 1.0),
        "video": (0.15, 1.2, 1.1),
        "link": (0.2, 0.8, 0.9),
    },
}
#: Split of interactions into reactions, comments, shares, saves (by channel or IG format).
SPLIT = {
    "facebook": (0.8, 0.11, 0.09, 0.0),
    "instagram": (0.78, 0.07, 0.05, 0.10),
    "linkedin": (0.84, 0.10, 0.06, 0.0),
    "x": (0.78, 0.07, 0.15, 0.0),  # likes, replies, retweets
    "reel": (0.70, 0.06, 0.10, 0.14),
    "story": (0.8, 0.0, 0.2, 0.0),  # story likes and shares; replies are private messages
}
#: Seconds of video: (min, max) per (channel, format).
DURATIONS = {
    ("facebook", "video"): (30, 180),
    ("facebook", "reel"): (10, 60),
    ("instagram", "reel"): (7, 60),
    ("linkedin", "video"): (30, 120),
    ("x", "video"): (10, 90),
}
POST_HOURS = np.arange(7, 22)
POST_HOUR_WEIGHTS = np.array([0.3, 0.8, 1.5, 0.8, 0.8, 2.5, 1.2, 0.5, 0.5, 0.6, 1.2, 2.5, 2, 1.5, 0.5])
DAY_HOUR_WEIGHTS = np.array(
    [1, 0.6, 0, 0.3, 0.3, 0.5, 1.5, 3, 5, 6, 6, 6, 7, 6, 5, 5, 5, 6, 7, 8, 8, 6, 4, 2], dtype=float
)  # nothing at 2 h: no DST ambiguity
SHORTCODE = list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
TCO = list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
ID_BASE = {"facebook": 1221 * 10**14, "instagram": 1790 * 10**13}
#: Brandwatch's ``Mention Id`` of the demo's mentions counts up from here.
MENTION_NUMBER_BASE = 1_380_000_000_000
X_EPOCH_MS = 1288834974657  # Twitter snowflake epoch: id = ((ms - epoch) << 22) + sequence
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
    "3 questions qu'on nous pose sur {i} (et nos réponses) {e}",
    "Composition décryptée : 98 % d'ingrédients d'origine naturelle pour {p}",
    "Peau sèche en hiver ? {P}, notre allié préféré {e}",
    "Petites séries & grands soins : rencontrez Maëlle, notre préparatrice {e}",
    "Pourquoi nous avons choisi {i} plutôt qu'un actif de synthèse",
    "Fabriqué à Rennes : l'histoire de {p}, de l'idée à l'étagère {e}",
)
HASHTAGS = ("#cosmetiquenaturelle", "#fabriqueenbretagne", "#slowcosmetique", "#soinsnaturels")
#: The planted theme: captions about refills (consigne, vrac, recharge), with their own hashtags.
REFILL_CAPTIONS = (
    "Consigne & vrac : rapportez vos flacons consignés en boutique, on s'occupe de la recharge {e}",
    "Nouveau : {p} existe désormais en recharge, à verser dans votre flacon consigné {e}",
    "Recharge en vrac en boutique : remplissez votre flacon, la recharge de {p} coûte 20 % moins cher {e}",
    "Un flacon consigné fait 30 allers-retours : la recharge en vrac en 3 étapes {e}",
    "Vos flacons vides ont une seconde vie : consigne et recharge, comment ça marche ? {e}",
)
REFILL_HASHTAGS = ("#vrac", "#zerodechet", "#recharge", "#consigne")
#: Share of each network's captioned posts (every format) about refills.
REFILL_SHARE = 0.175
#: Networks where the refill theme engages ``Effects.refill`` times more (elsewhere x1.0).
REFILL_NETWORKS = ("facebook", "instagram")

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
#: Split of a mention's engagement into likes, comments, shares, by kind of source.
MENTION_SPLIT = {"social": (0.75, 0.15, 0.10), "news": (0.3, 0.2, 0.5), "blog": (0.4, 0.3, 0.3),
                 "forum": (0.4, 0.6, 0.0)}  # fmt: skip
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
#: Address of a mention per source; fields: author, number, code (11 characters), snowflake (X).
MENTION_URLS = {
    "instagram": "https://www.instagram.com/p/{code}/",
    "facebook": "https://www.facebook.com/{author}/posts/{number}",
    "x": "https://x.com/{author}/status/{snowflake}",
    "tiktok": "https://www.tiktok.com/@{author}/video/{number}",
    "news": "https://www.{author}.fr/beaute/article-{article}.html",
    "blog": "https://{author}.fr/{lower}/",
    "forum": "https://forum.beaute-naturelle.fr/t/{thread}",
}


@dataclass(frozen=True)
class Listening:
    """Who talks about a brand and its competitors, where and how: what a listening export holds."""

    brands: dict[str, float | None]  # share of the mentions (None: ``Effects.leader_share``)
    sentiments: dict[str, tuple[float, float, float]]  # positive, neutral, negative per brand
    emotions: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]  # per sentiment
    sources: dict[str, float]  # share of the mentions per source
    split: dict[str, tuple[float, float, float]]  # likes, comments, shares per kind of source
    texts: dict[str, tuple[str, ...]]  # four texts per sentiment, ``{b}`` the brand
    first_names: tuple[str, ...]  # social handles are name + suffix + digits
    suffixes: tuple[str, ...]
    digits: tuple[str, ...]
    outlets: dict[str, list[str]]  # news and blog authors
    forum_member: str  # forum authors are ``<forum_member>_<number>``
    urls: dict[str, str]  # see :data:`MENTION_URLS`
    per_day: float  # mentions a day, before seasonality
    days: pd.DatetimeIndex
    day_season: np.ndarray
    tz: str


LISTENING = Listening(
    BRAND_SHARES, SENTIMENT_MIX, EMOTIONS, MENTION_SOURCES, MENTION_SPLIT, MENTION_TEXTS,
    tuple(FIRST_NAMES), tuple(HANDLE_SUFFIXES), ("", "29", "35"), OUTLETS, "membre", MENTION_URLS,
    17.8, DAYS, DAY_SEASON, TZ,
)  # fmt: skip


@dataclass(frozen=True)
class Author:
    """One planted author of the listening data: who, where, how big, what they say of the brand."""

    handle: str  # the listening export's ``Author`` (no ``@``)
    name: str  # display name (documentation: the Brandwatch export has no name column)
    channel: str
    followers: tuple[int, int]  # on START and on END; each mention reports a value near the line
    texts: dict[str, tuple[str, ...]]  # per sentiment, ``{b}`` the brand
    sentiments: tuple[float, float, float]  # positive, neutral, negative shares of the mentions
    reach: float  # median reach of a mention, per follower
    rate: float  # median engagement of a mention, per reached person


#: The planted micro-influencer: fits the persona Clara (skincare, zero waste; keywords zéro
#: déchet, vrac, recharge, consigne), talks often and warmly about the brand, engages well.
INFLUENCER = Author(
    "lea.vracetsimple",
    "Léa · vrac & simple",
    "instagram",
    (17_300, 18_700),
    {
        "positive": (
            "Ma routine zéro déchet du moment : la recharge du shampoing solide chez {b} 🌿 #vrac",
            "Vrac & recharge : j'ai testé la consigne {b}. On rapporte, ils lavent, on recommence ♻️",
            "Zéro déchet dans la salle de bain : {b}, recharge en vrac en boutique, mon indispensable",
            "Rappel : chez {b}, la recharge coûte moins cher que le flacon neuf. Le vrac, bon pour le budget",
            "Salle de bain en mode vrac : le baume {b} dans son pot consigné, je valide 💚 #zerodechet",
            "Question reçue en DM : où je recharge mes soins ? Chez {b}, flacons consignés et vrac 👌",
        ),
        "neutral": (
            "La consigne de {b} après six mois : pratique, à condition de rapporter les flacons",
            "{b} propose maintenant la recharge en vrac en ligne, je teste et je vous dis #zerodechet",
        ),
        "negative": ("Plus de recharge en vrac chez {b} ce mois-ci, dommage pour mon zéro déchet...",),
    },
    (0.8, 0.15, 0.05),
    0.35,
    0.07,
)
#: The planted off-topic macro author: a big audience that has nothing to do with the personas.
OFF_TOPIC = Author(
    "maxime.gaming",
    "Maxime Gaming",
    "instagram",
    (418_000, 422_000),
    {
        "neutral": (
            "Stream ce soir 21 h : speedrun du nouveau jeu vidéo ! (le colis {b} de ma sœur traîne là)",
            "Setup gaming rangé, nouvelle chaise, et un savon {b} offert par un viewer. On en parle en live",
            "Jeux vidéo, streaming, 14 h de live ce week-end : merci pour vos envois, même le coffret {b}",
        ),
    },
    (0.0, 1.0, 0.0),
    0.25,
    0.004,
)
OFF_TOPIC_MENTIONS = 3
#: The competitor whose share of voice and Instagram growth rise from CHALLENGER_FROM.
CHALLENGER, CHALLENGER_FROM = "Herbier Moderne", pd.Timestamp("2026-08-01")

# --- customers: the CRM extract, drawn from planted persona segments ------------------------


@dataclass(frozen=True)
class Segment:
    """One planted segment of the CRM extract (see the demo README, "Planted personas")."""

    size: int  # records drawn
    age: tuple[float, float, int, int]  # normal mean, sd, clipped to [min, max]
    genders: dict[str, float]
    channels: dict[str, float]
    interests: dict[str, float]  # each drawn independently with this probability
    regions: dict[str, float]
    orders: tuple[int, float]  # orders in 12 months = minimum + Poisson(mean)
    basket: float  # median average basket (EUR), lognormal sigma 0.22
    since: tuple[str, str]  # customer_since drawn uniformly between these dates


CUSTOMER_SEGMENTS = {
    # the brief's Clara: women 25-44 on Instagram, skincare and zero waste, city dwellers
    "clara": Segment(
        320,
        (34, 5.5, 22, 46),
        {"female": 0.92, "male": 0.06, "other": 0.02},
        {"instagram": 0.78, "tiktok": 0.07, "facebook": 0.07, "none": 0.08},
        {"skincare": 0.85, "zero waste": 0.7, "wellness": 0.15, "fashion": 0.2},
        {
            "Bretagne": 0.35,
            "Île-de-France": 0.3,
            "Pays de la Loire": 0.2,
            "Auvergne-Rhône-Alpes": 0.08,
            "Nouvelle-Aquitaine": 0.07,
        },
        (0, 4.0),
        36.0,
        ("2021-01-01", "2026-10-31"),
    ),  # fmt: skip
    # the brief's Hélène: women 45-64 on Facebook (or none), wellness and cooking, loyal, local
    "helene": Segment(
        240,
        (55, 5.0, 45, 66),
        {"female": 0.93, "male": 0.07},
        {"facebook": 0.72, "none": 0.2, "instagram": 0.08},
        {"wellness": 0.8, "cooking": 0.65, "skincare": 0.35, "zero waste": 0.1},
        {"Bretagne": 0.75, "Pays de la Loire": 0.12, "Normandie": 0.08, "Île-de-France": 0.05},
        (1, 5.0),
        52.0,
        ("2017-01-01", "2023-12-31"),
    ),
    # gift buyers: men 25-44 on Instagram, one or two orders a year, gift boxes
    "gifts": Segment(
        130,
        (35, 5.5, 24, 46),
        {"male": 0.85, "female": 0.15},
        {"instagram": 0.65, "none": 0.2, "facebook": 0.1, "x": 0.05},
        {"gifts": 0.8, "fashion": 0.35, "skincare": 0.15},
        {
            "Île-de-France": 0.35,
            "Bretagne": 0.3,
            "Pays de la Loire": 0.15,
            "Auvergne-Rhône-Alpes": 0.1,
            "Nouvelle-Aquitaine": 0.1,
        },
        (1, 0.4),
        68.0,
        ("2024-01-01", "2026-10-31"),
    ),  # fmt: skip
    # professionals on LinkedIn: corporate gift boxes, large baskets
    "pros": Segment(
        90,
        (47, 6.0, 30, 62),
        {"female": 0.5, "male": 0.5},
        {"linkedin": 0.85, "none": 0.1, "x": 0.05},
        {"zero waste": 0.6, "gifts": 0.5, "wellness": 0.3},
        {"Île-de-France": 0.45, "Bretagne": 0.35, "Pays de la Loire": 0.1, "Auvergne-Rhône-Alpes": 0.1},
        (2, 1.0),
        150.0,
        ("2020-01-01", "2026-10-31"),
    ),
}
#: Share of each field left empty in the CRM extract, whatever the segment.
CUSTOMER_MISSING = {"age": 0.08, "gender": 0.03, "region": 0.02, "channel": 0.04, "interests": 0.1}

# --- care, leads, spend, competitors --------------------------------------------------------
CARE_PER_DAY = {"facebook": 1.6, "instagram": 1.8, "linkedin": 0.5}
CARE_TYPES = (("question", "complaint", "praise", "other"), (0.5, 0.2, 0.2, 0.1))
LEADS_PER_DAY = {"facebook": 1.5, "instagram": 2.6, "linkedin": 0.7, "x": 0.3}
MONTHLY_ADS = {"facebook": 300, "instagram": 700, "linkedin": 150}  # as in the brief (none on X)
TEAM_HOURS = {"facebook": (20, 32), "instagram": (32, 45), "linkedin": (20, 28), "x": (6, 10)}
ALWAYS_ON = {
    "facebook": "Communauté locale",
    "instagram": "Notoriété marque",
    "linkedin": "Savoir-faire breton",
    "x": "Veille et conversation",
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
    ("Maison Argile", "x"): (3_800, 0.003, 22, 0.004),
}


def _aware(local: pd.Series | pd.DatetimeIndex, tz: str = TZ) -> pd.DatetimeIndex:
    """Naive local times (Europe/Paris unless ``tz`` says otherwise) as UTC timestamps."""
    idx = pd.DatetimeIndex(local)
    aware = idx.tz_localize(tz, ambiguous=np.zeros(len(idx), dtype=bool), nonexistent="shift_forward")
    return aware.tz_convert("UTC")


def _utc(local: pd.Series | pd.DatetimeIndex, tz: str = TZ) -> list[str]:
    """Format naive local times as UTC ``YYYY-MM-DDTHH:MM:SSZ`` strings."""
    return list(_aware(local, tz).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _unix_ms(local: pd.Series | pd.DatetimeIndex, tz: str = TZ) -> np.ndarray:
    """Milliseconds since 1970 of naive local times."""
    since = _aware(local, tz) - pd.Timestamp("1970-01-01", tz="UTC")
    return np.asarray(since // pd.Timedelta(milliseconds=1), dtype=np.int64)


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


def template_columns(name: str) -> list[str]:
    """Columns of a table's CSV template (``source`` is the importer's, not the client's)."""
    return [c for c in TABLES[name].column_names if c != "source"]


def followers(
    rng: np.random.Generator,
    profiles: dict[str, tuple[str, int, float]] = PROFILES,
    days: pd.DatetimeIndex = DAYS,
) -> pd.DataFrame:
    """Daily community size per owned profile; followers = previous + gained - lost.

    ``profiles``: channel -> (account, followers on the first day, monthly growth).
    """
    rows = []
    for channel, (account, size, monthly) in profiles.items():
        daily, churn = (1 + monthly) ** (12 / 365) - 1, 0.0004
        gained = rng.poisson(size * (daily + churn), len(days))
        lost = rng.poisson(size * churn, len(days))
        for day, gain, loss in zip(days, gained.tolist(), lost.tolist(), strict=True):
            size += gain - loss
            rows.append((day, channel, account, size, gain, loss))
    return pd.DataFrame(rows, columns=template_columns("followers"))


def _schedule(rng: np.random.Generator, channel: str, days: pd.DatetimeIndex = DAYS) -> pd.DataFrame:
    """Local publication times, formats and paid flags of one channel's posts over ``days``.

    ``SLOT_POSTS`` of them a year (pro rata of ``days``) are scheduled on distinct Thursdays at
    18:xx with exactly the channel's usual format mix, so the slot effect is not confounded with
    formats.
    """
    total = round(POSTS_PER_WEEK[channel] * len(days) / 7)
    n_slot = round(SLOT_POSTS[channel] * len(days) / len(DAYS))
    slot_days = np.sort(rng.choice(days[days.day_of_week == 3], n_slot, replace=False))
    days = pd.DatetimeIndex(np.concatenate([rng.choice(days, total - n_slot), slot_days]))
    hours = np.concatenate(
        [
            rng.choice(POST_HOURS, total - n_slot, p=POST_HOUR_WEIGHTS / POST_HOUR_WEIGHTS.sum()),
            np.full(n_slot, 18),
        ]
    )
    local = days + pd.to_timedelta(hours * 60 + rng.integers(0, 60, total), unit="min")
    names = list(FORMATS[channel])
    shares = np.array([FORMATS[channel][n][0] for n in names])
    formats = np.concatenate(
        [
            rng.choice(names, total - n_slot, p=shares / shares.sum()),
            rng.permutation(np.repeat(names, quota(shares, n_slot))),
        ]
    )
    frame = pd.DataFrame(
        {"local": local, "channel": channel, "format": formats, "paid": rng.random(total) < PAID_SHARE}
    )
    return frame.sort_values("local", kind="stable")


def quota(shares: np.ndarray, n: int) -> np.ndarray:
    """Whole numbers of ``n`` items closest to the ``shares`` (largest remainders), adding up to ``n``."""
    counts = np.floor(shares * n).astype(int)
    counts[np.argsort(counts - shares * n, kind="stable")[: n - counts.sum()]] += 1
    return counts


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
    return by_format * slot * trend * _theme_multiplier(frame, effects.refill)


def _theme_multiplier(frame: pd.DataFrame, lift: float) -> np.ndarray:
    """Engagement x of each post from its theme, on :data:`REFILL_NETWORKS`: posts about refills
    get ``lift`` times the others' rate, the network's average staying where it was (the theme
    shares engagement out differently; it does not move the network's level, so the other
    effects keep their sizes)."""
    channel, refill = frame["channel"].to_numpy(), frame["refill"].to_numpy(dtype=bool)
    out = np.ones(len(frame))
    for name in REFILL_NETWORKS:
        mine = channel == name
        if mine.any():
            others = 1 / (1 + refill[mine].mean() * (lift - 1))
            out[mine] = np.where(refill[mine], lift * others, others)
    return out


def refill_posts(rng: np.random.Generator, frame: pd.DataFrame, share: float = REFILL_SHARE) -> np.ndarray:
    """Which posts of ``frame`` are about refills: ``share`` of each channel and format's captioned posts.

    Drawn within each (channel, format) so that the theme is not confounded with formats (Instagram
    reels engage more); stories have no caption, so none is about refills.
    """
    refill = np.zeros(len(frame), dtype=bool)
    groups = frame.groupby(["channel", "format"], sort=True).indices
    for (_, fmt), rows in groups.items():
        if fmt != "story":
            refill[rng.choice(rows, round(share * len(rows)), replace=False)] = True
    return refill


def _caption(rng: np.random.Generator, channel: str, fmt: str, refill: bool = False) -> str:
    """A French caption; hashtags on some Instagram, LinkedIn and X posts; none on stories.

    A post about refills takes one of :data:`REFILL_CAPTIONS` and :data:`REFILL_HASHTAGS`, the
    others one of :data:`CAPTIONS` and :data:`HASHTAGS`.
    """
    if fmt == "story":
        return ""
    captions, hashtags = (REFILL_CAPTIONS, REFILL_HASHTAGS) if refill else (CAPTIONS, HASHTAGS)
    t, p, i, e = (int(rng.integers(0, k)) for k in (len(captions), len(PRODUCTS), len(INGREDIENTS), 8))
    product = PRODUCTS[p]
    text = (
        captions[t]
        .format(p=product, P=product[0].upper() + product[1:], i=INGREDIENTS[i], e=EMOJIS[e])
        .strip()
        .replace(" de le ", " du ")  # French contraction: "l'histoire du savon", not "de le"
    )
    tags = " ".join(rng.choice(hashtags, 2, replace=False))
    if channel in ("instagram", "linkedin") and rng.random() < 0.5:
        text += "\n\n" + tags  # a blank line, then hashtags: captions span several lines
    elif channel == "x" and rng.random() < 0.4:
        text += " " + tags.split()[0]
    if channel == "x" and fmt != "text":  # links and media appear as t.co links in the text
        text += " https://t.co/" + "".join(rng.choice(TCO, 10))
    return text


def _post_identity(
    rng: np.random.Generator, frame: pd.DataFrame, id_base: dict[str, int] = ID_BASE
) -> pd.DataFrame:
    """Ids, permalinks, captions and the exact publication instant (unix ms) of each post.

    Facebook and Instagram ids increase with time from ``id_base``; LinkedIn activity ids and X
    snowflakes encode the publication instant (a scheduler publishes within the minute's first
    second).
    """
    unix_ms = _unix_ms(frame["local"]) + rng.integers(0, 1000, len(frame))
    sequence = rng.integers(0, 1 << 22, len(frame))
    steps = rng.integers(10**9, 10**13, len(frame))
    numbers = np.zeros(len(frame), dtype=np.int64)
    for channel, base in id_base.items():
        mask = (frame["channel"] == channel).to_numpy()
        numbers[mask] = base + np.cumsum(steps[mask])
    rows = []
    for k, (channel, fmt, refill) in enumerate(
        zip(frame["channel"], frame["format"], frame["refill"], strict=True)
    ):
        ms, number = int(unix_ms[k]), int(numbers[k])
        if channel == "linkedin":
            number = ms << 22
        elif channel == "x":
            number = ((ms - X_EPOCH_MS) << 22) + int(sequence[k])
        caption = _caption(rng, channel, fmt, bool(refill))
        rows.append((str(number), _permalink(rng, channel, fmt, number), caption, ms))
    return pd.DataFrame(rows, columns=["post_id", "permalink", "text", "unix_ms"], index=frame.index)


def _permalink(rng: np.random.Generator, channel: str, fmt: str, number: int) -> str:
    """A post's address as its export writes it (a Facebook reel's says ``/reel/``)."""
    if channel == "facebook":
        if fmt == "reel":
            return f"https://www.facebook.com/reel/{number}/"
        kind = "videos" if fmt == "video" else "posts"
        return f"https://www.facebook.com/atelierseve/{kind}/{number}/"
    if channel == "instagram":
        if fmt == "story":
            return f"https://www.instagram.com/stories/atelier.seve/{number}/"
        code = "".join(rng.choice(SHORTCODE, 11))
        return f"https://www.instagram.com/{'reel' if fmt == 'reel' else 'p'}/{code}/"
    if channel == "linkedin":
        return f"https://www.linkedin.com/feed/update/urn:li:activity:{number}"
    return f"https://twitter.com/atelierseve/status/{number}"


def _reach_and_impressions(
    rng: np.random.Generator, frame: pd.DataFrame, follower_table: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Reach (people) and impressions of each post, from the profile's size that day."""
    channel, fmt = frame["channel"].to_numpy(), frame["format"].to_numpy()
    size = follower_table.set_index(["channel", "date"])["followers"]
    audience = size.loc[list(zip(channel, frame["local"].dt.normalize(), strict=True))].to_numpy()
    reach_x = np.array([FORMATS[c][f][2] for c, f in zip(channel, fmt, strict=True)])
    reach = (
        audience
        * frame["channel"].map(REACH_RATIO).to_numpy()
        * reach_x
        * np.where(frame["paid"], 1.5, 1.0)
        * rng.lognormal(0, 0.25, len(frame))
    )
    reach = np.maximum(1, np.round(reach)).astype(int)
    return reach, np.ceil(reach * rng.uniform(1.1, 1.6, len(frame))).astype(int)


def _extras(rng: np.random.Generator, posts: pd.DataFrame) -> pd.DataFrame:
    """The other metrics the exports carry: clicks, follows, video and X detail counts."""
    n, reach, impressions = len(posts), posts["reach"].to_numpy(), posts["impressions"].to_numpy()
    channel, fmt = posts["channel"].to_numpy(), posts["format"].to_numpy()
    on = {c: channel == c for c in PROFILES}
    link, video = fmt == "link", np.isin(fmt, ["video", "reel"])
    ctr = np.select([on["facebook"] & link, link, on["linkedin"]], [0.03, 0.025, 0.012], 0.0)
    base = np.where(on["x"], impressions, reach)
    clicks = np.round(base * ctr * rng.lognormal(0, 0.3, n)).astype(int)
    other = np.where(on["facebook"], rng.binomial(reach, 0.015), 0)  # photo opens, "see more"
    media_rate = np.select([on["x"] & (fmt == "photo"), on["x"] & video], [0.07, 0.5], 0.0)
    media_views = rng.binomial(impressions, media_rate * rng.uniform(0.6, 1.4, n))
    hashtags = pd.Series(posts["text"]).str.contains("#", regex=False).to_numpy()
    low, high = np.array([DURATIONS.get(k, (0, 0)) for k in zip(channel, fmt, strict=True)]).T
    return pd.DataFrame(
        {
            "link_clicks": np.where(on["facebook"], clicks, 0),
            "other_clicks": other,
            "clicks": clicks + other,
            "follows": rng.binomial(reach, np.where(on["instagram"] | on["linkedin"], 0.002, 0.001)),
            "video_views": np.where(video, np.round(impressions * rng.uniform(0.4, 0.9, n)), 0).astype(int),
            "duration": np.where(high > 0, rng.integers(low, high + 1), 0),
            "profile_clicks": rng.binomial(impressions, np.where(on["x"], 0.003, 0)),
            "hashtag_clicks": rng.binomial(impressions, np.where(on["x"] & hashtags, 0.002, 0)),
            "detail_expands": rng.binomial(impressions, np.where(on["x"], 0.012, 0)),
            "permalink_clicks": rng.binomial(impressions, np.where(on["x"], 0.001, 0)),
            "media_views": media_views,
            # an image is opened by a click (views = engagements); a video plays by itself
            "media_engagements": np.where(fmt == "photo", media_views, rng.binomial(media_views, 0.05)),
        },
        index=posts.index,
    )


def schedule(rng: np.random.Generator, days: pd.DatetimeIndex = DAYS) -> pd.DataFrame:
    """Every owned profile's publication times, formats and paid flags over ``days`` (the
    world's habits: :data:`POSTS_PER_WEEK`, :data:`SLOT_POSTS`, :data:`FORMATS`)."""
    return pd.concat([_schedule(rng, c, days) for c in PROFILES], ignore_index=True)


def posts(
    rng: np.random.Generator,
    follower_table: pd.DataFrame,
    effects: Effects = EFFECTS,
    themes: np.random.Generator | None = None,
    *,
    planned: pd.DataFrame | None = None,
    id_base: dict[str, int] = ID_BASE,
) -> pd.DataFrame:
    """Every post of the owned profiles with every metric its export carries (the truth).

    Reach is kept for every post, though LinkedIn and X do not report it: it drives the other
    metrics. Times are local (``local``, naive Europe/Paris) and exact (``unix_ms``). ``refill``
    says which posts are about refills (drawn with ``themes``, a stream of its own, so that the
    other effects keep their draws; none without it).

    ``planned``: the posts to publish (columns ``local``, ``channel``, ``format``, ``paid``; any
    other column is carried), instead of the demo year's :func:`schedule`. ``id_base``: where
    Facebook and Instagram ids start (a continued world starts after the last ones).
    """
    frame = schedule(rng) if planned is None else planned.copy()
    frame = frame.sort_values(["local", "channel"], kind="stable").reset_index(drop=True)
    frame["refill"] = refill_posts(themes, frame) if themes is not None else False
    channel, fmt = frame["channel"].to_numpy(), frame["format"].to_numpy()
    frame["paid"] = frame["paid"] & (channel != "x")  # the brief has no ads budget for X
    frame["account"] = [PROFILES[c][0] for c in channel]
    frame["reach"], frame["impressions"] = _reach_and_impressions(rng, frame, follower_table)
    base = np.where(channel == "x", frame["impressions"], frame["reach"])  # X's rate is per impression
    rate = frame["channel"].map(BASE_ER).to_numpy() * _engagement_multiplier(frame, effects)
    total = np.round(base * rate * rng.lognormal(0, 0.2, len(frame))).astype(int)
    split = np.array(
        [
            rng.multinomial(k, SPLIT[f if c == "instagram" and f in SPLIT else c])
            for k, c, f in zip(total, channel, fmt, strict=True)
        ]
    )
    frame[["reactions", "comments", "shares", "saves"]] = split
    frame = pd.concat([frame, _post_identity(rng, frame, id_base)], axis=1)
    return pd.concat([frame, _extras(rng, frame)], axis=1)


def _int_or_na(values, keep) -> pd.Series:
    return pd.Series(pd.array(np.where(keep, values, 0), dtype="Int64")).where(np.asarray(keep))


def canonical_posts_of(truth: pd.DataFrame) -> pd.DataFrame:
    """The canonical posts table a correct importer reads from the exports of ``truth``.

    What an export does not carry stays empty: reach on LinkedIn and X, clicks on Instagram,
    video views on Facebook and Instagram, comments and saves on stories, the paid flag on
    Facebook and Instagram. X's legacy export has no post type: a tweet whose media was seen
    (``media views`` or ``media engagements`` above 0) is a ``video`` when its media was viewed
    more than twice per click (it plays by itself), else a ``photo``; a tweet without media seen
    is a ``link`` when it drew URL clicks or its text holds a ``t.co`` link, else ``text``. Its
    ``media views`` (images too) are the video views.
    """
    channel = truth["channel"].to_numpy()
    on_x = channel == "x"
    views, opened = truth["media_views"].to_numpy(), truth["media_engagements"].to_numpy()
    media = (views > 0) | (opened > 0)
    linked = (truth["clicks"].to_numpy() > 0) | truth["text"].str.contains("https://t.co/", regex=False)
    x_fmt = np.select([media & (views > 2 * opened), media, linked], ["video", "photo", "link"], "text")
    fmt = np.where(on_x, x_fmt, truth["format"].to_numpy())
    meta = np.isin(channel, ["facebook", "instagram"])
    story = fmt == "story"
    views = np.where(on_x, truth["media_views"], truth["video_views"])
    paid = pd.Series(pd.array(truth["paid"].to_numpy(), dtype="boolean"))
    return pd.DataFrame(
        {
            "post_id": truth["post_id"].astype("string").to_numpy(),
            "channel": channel,
            "account": truth["account"].to_numpy(),
            "published_at": pd.to_datetime(truth["unix_ms"].to_numpy(), unit="ms", utc=True).floor("s"),
            "format": fmt,
            "text": truth["text"].to_numpy(),
            "permalink": truth["permalink"].to_numpy(),
            "impressions": pd.array(truth["impressions"].to_numpy(), dtype="Int64"),
            "reach": _int_or_na(truth["reach"], meta),
            "reactions": pd.array(truth["reactions"].to_numpy(), dtype="Int64"),
            "comments": _int_or_na(truth["comments"], ~story),
            "shares": pd.array(truth["shares"].to_numpy(), dtype="Int64"),
            "saves": _int_or_na(truth["saves"], (channel == "instagram") & ~story),
            "clicks": _int_or_na(truth["clicks"], channel != "instagram"),
            "video_views": _int_or_na(views, on_x | ((channel == "linkedin") & (fmt == "video"))),
            "paid": paid.where(~meta),
        }
    )


# --- listening ------------------------------------------------------------------------------


def _authors(rng: np.random.Generator, listening: Listening = LISTENING) -> pd.DataFrame:
    """Pool of people talking: social handles with heavy-tailed audiences, outlets, forums."""
    names, suffixes, digits = listening.first_names, listening.suffixes, listening.digits
    combos = [f"{n}{s}{d}" for n in names for s in suffixes for d in digits]
    handles = sorted(rng.choice(combos, 600, replace=False))
    audience = np.round(rng.lognormal(np.log(900), 1.6, 600))
    audience[rng.choice(600, 5, replace=False)] = rng.integers(110_000, 480_000, 5)  # macro
    rows = [("social", h, a) for h, a in zip(handles, audience, strict=True)]
    rows += [("news", o, rng.integers(20_000, 400_000)) for o in listening.outlets["news"]]
    rows += [("blog", o, rng.integers(2_000, 30_000)) for o in listening.outlets["blog"]]
    member = listening.forum_member
    rows += [("forum", f"{member}_{k}", np.nan) for k in rng.choice(90_000, 150, replace=False)]
    return pd.DataFrame(rows, columns=["pool", "author", "audience"])


def _mention_url(
    rng: np.random.Generator, channel: str, author: str, unix_ms: int, urls: dict[str, str] = MENTION_URLS
) -> str:
    """A plausible address for one mention (a snowflake consistent with the time on X)."""
    number, code = int(rng.integers(10**15, 10**18)), "".join(rng.choice(SHORTCODE, 11))
    snowflake = ((unix_ms - X_EPOCH_MS) << 22) + number % (1 << 22)
    return urls[channel].format(
        author=author,
        number=number,
        code=code,
        lower=code.lower(),
        snowflake=snowflake,
        article=number % 10**7,
        thread=number % 10**6,
    )


def mentions(
    rng: np.random.Generator,
    effects: Effects = EFFECTS,
    listening: Listening = LISTENING,
    pool: pd.DataFrame | None = None,
    first_number: int = MENTION_NUMBER_BASE,
) -> pd.DataFrame:
    """Listening mentions of the brand and its competitors, with what Brandwatch exports.

    ``pool`` (columns ``pool``, ``author``, ``audience``): the people who may talk; drawn with
    ``rng`` when not given. Brandwatch's ``Mention Id`` counts up from ``first_number``.
    """
    days, season = listening.days, listening.day_season
    local = _random_times(rng, days.repeat(rng.poisson(listening.per_day * season)), DAY_HOUR_WEIGHTS)
    n = len(local)
    shares = np.array([effects.leader_share if v is None else v for v in listening.brands.values()])
    brand = rng.choice(list(listening.brands), n, p=shares / shares.sum())
    channel = rng.choice(list(listening.sources), n, p=list(listening.sources.values()))
    kind = np.where(np.isin(channel, ["news", "blog", "forum"]), channel, "social")
    author, audience = np.empty(n, dtype=object), np.full(n, np.nan)
    pool = _authors(rng, listening) if pool is None else pool
    for name in ("blog", "forum", "news", "social"):
        group, mask = pool[pool["pool"] == name], kind == name
        weights = 1 / (rng.permutation(len(group)) + 10.0)  # a few authors talk a lot
        pick = rng.choice(len(group), mask.sum(), p=weights / weights.sum())
        author[mask] = group["author"].to_numpy()[pick]
        audience[mask] = group["audience"].to_numpy()[pick]
    author = np.where(channel == "x", [a.replace(".", "_") for a in author], author)  # no dots on X
    sentiment = _pick(rng, brand, {b: (SENTIMENTS, m) for b, m in listening.sentiments.items()})
    template = rng.integers(0, 4, n)
    reach = np.nan_to_num(audience, nan=300) * rng.lognormal(np.log(0.3), 0.5, n)
    rate = np.where(kind == "social", 0.03, 0.005) * rng.lognormal(0, 0.6, n)
    unix_ms = _unix_ms(local, listening.tz) + rng.integers(0, 1000, n)
    frame = pd.DataFrame(
        {
            "unix_ms": unix_ms,
            "channel": channel,
            "author": author,
            "audience": audience,
            "text": [
                listening.texts[s][t].format(b=b) for s, t, b in zip(sentiment, template, brand, strict=True)
            ],
            "url": [
                _mention_url(rng, c, a, int(m), listening.urls)
                for c, a, m in zip(channel, author, unix_ms, strict=True)
            ],
            "reach": np.round(reach).astype(int),
            "engagement": np.round(reach * rate).astype(int),
            "sentiment": sentiment,
            "emotion": _pick(rng, sentiment, listening.emotions),
            "brand": brand,
            "kind": kind,
        }
    )
    frame = frame.sort_values(["unix_ms", "url"], kind="stable").reset_index(drop=True)
    parts = [
        rng.multinomial(e, listening.split[k])
        for e, k in zip(frame["engagement"], frame["kind"], strict=True)
    ]
    frame[["likes", "comments", "shares"]] = np.array(parts)
    frame["mention_number"] = first_number + np.cumsum(rng.integers(1, 400_000, n))
    frame["resource_id"] = [rng.bytes(16).hex() for _ in range(n)]
    return frame


def _author_mentions(
    rng: np.random.Generator, author: Author, count: int, brand: str = BRAND, listening: Listening = LISTENING
) -> pd.DataFrame:
    """``count`` mentions of ``brand`` by one planted author, over the listening's days.

    The sentiments come in the author's shares exactly (largest remainders); the follower count
    each mention reports follows the author's line from START to END, within ±0.5 %.
    """
    days = listening.days
    local = _random_times(
        rng, pd.DatetimeIndex(np.sort(rng.choice(days, count, replace=False))), DAY_HOUR_WEIGHTS
    )
    labels = [
        s
        for s, k in zip(SENTIMENTS, quota(np.array(author.sentiments), count), strict=True)
        for _ in range(k)
    ]
    sentiment = rng.permutation(np.array(labels, dtype=object))
    text = [author.texts[s][int(rng.integers(0, len(author.texts[s])))].format(b=brand) for s in sentiment]
    progress = np.asarray((local - days[0]) / (days[-1] - days[0]), dtype=float)
    first, last = author.followers
    audience = np.round((first + (last - first) * progress) * rng.uniform(0.995, 1.005, count))
    reach = np.round(audience * author.reach * rng.lognormal(0, 0.3, count)).astype(int)
    engagement = np.round(reach * author.rate * rng.lognormal(0, 0.3, count)).astype(int)
    unix_ms = _unix_ms(local, listening.tz) + rng.integers(0, 1000, count)
    frame = pd.DataFrame(
        {
            "unix_ms": unix_ms,
            "channel": author.channel,
            "author": author.handle,
            "audience": audience,
            "text": text,
            "url": [
                _mention_url(rng, author.channel, author.handle, int(m), listening.urls) for m in unix_ms
            ],
            "reach": reach,
            "engagement": engagement,
            "sentiment": sentiment,
            "emotion": _pick(rng, sentiment, listening.emotions),
            "brand": brand,
            "kind": "social",
        }
    )
    frame[["likes", "comments", "shares"]] = np.array(
        [rng.multinomial(e, listening.split["social"]) for e in engagement]
    ).reshape(count, 3)
    frame["resource_id"] = [rng.bytes(16).hex() for _ in range(count)]
    return frame


def planted_authors(rng: np.random.Generator, effects: Effects = EFFECTS) -> pd.DataFrame:
    """Mentions of the brand by :data:`INFLUENCER` (``effects.influencer`` of them) and :data:`OFF_TOPIC`.

    Both are absent when ``effects.influencer`` is 0 (the control data set).
    """
    if effects.influencer <= 0:
        return pd.DataFrame()
    return pd.concat(
        [
            _author_mentions(rng, INFLUENCER, effects.influencer),
            _author_mentions(rng, OFF_TOPIC, OFF_TOPIC_MENTIONS),
        ],
        ignore_index=True,
    )


def challenger_mentions(
    rng: np.random.Generator,
    base: pd.DataFrame,
    effects: Effects = EFFECTS,
    listening: Listening = LISTENING,
    brand: str = CHALLENGER,
    start: pd.Timestamp = CHALLENGER_FROM,
) -> pd.DataFrame:
    """Extra mentions of ``brand`` from ``start`` on: its mentions there are x ``effects.challenger_voice``.

    Drawn like the others (:func:`mentions`, same sources, sentiments and texts), by the people
    of ``base`` (so an author's audience stays the same), with ``rng`` a stream of its own.
    """
    if effects.challenger_voice <= 1:
        return pd.DataFrame()
    shares = {b: effects.leader_share if v is None else v for b, v in listening.brands.items()}
    late = listening.days >= start
    extra = replace(
        listening,
        brands={brand: 1.0},
        per_day=listening.per_day * shares[brand] / sum(shares.values()) * (effects.challenger_voice - 1),
        days=listening.days[late],
        day_season=listening.day_season[late],
    )
    pool = base[["kind", "author", "audience"]].drop_duplicates("author").rename(columns={"kind": "pool"})
    return mentions(rng, effects, extra, pool=pool)


def with_mentions(base: pd.DataFrame, *extras: pd.DataFrame) -> pd.DataFrame:
    """``base`` and the ``extras`` in one table sorted like :func:`mentions`'s.

    An extra mention's ``mention_number`` (Brandwatch's ``Mention Id``) is placed among
    ``base``'s by its time, and kept unique.
    """
    extras = tuple(e for e in extras if not e.empty)
    if not extras:
        return base
    added = pd.concat(extras, ignore_index=True)
    numbers = np.round(np.interp(added["unix_ms"], base["unix_ms"], base["mention_number"])).astype(np.int64)
    taken = set(base["mention_number"].tolist())
    for k, number in enumerate(numbers):
        while number in taken:
            number += 1
        taken.add(number)
        numbers[k] = number
    added["mention_number"] = numbers
    frame = pd.concat([base, added[base.columns]], ignore_index=True)
    return frame.sort_values(["unix_ms", "url"], kind="stable").reset_index(drop=True)


def canonical_mentions_of(truth: pd.DataFrame) -> pd.DataFrame:
    """The canonical mentions table a correct importer reads from the Brandwatch export.

    ``mention_id`` is Brandwatch's ``Resource Id``; the author's audience is known on X and
    Instagram only (``X Followers``, ``Instagram Followers``); engagement = likes + comments +
    shares; the emotion comes from the export's custom ``Emotion`` column.
    """
    followed = truth["channel"].isin(["x", "instagram"]).to_numpy()
    return pd.DataFrame(
        {
            "mention_id": truth["resource_id"].to_numpy(),
            "published_at": pd.to_datetime(truth["unix_ms"].to_numpy(), unit="ms", utc=True).floor("ms"),
            "channel": truth["channel"].to_numpy(),
            "author": truth["author"].to_numpy(),
            "author_followers": pd.array(np.where(followed, truth["audience"], np.nan), dtype="Int64"),
            "text": truth["text"].to_numpy(),
            "url": truth["url"].to_numpy(),
            "reach": pd.array(truth["reach"].to_numpy(), dtype="Int64"),
            "engagement": pd.array(
                truth[["likes", "comments", "shares"]].sum(axis=1).to_numpy(), dtype="Int64"
            ),
            "sentiment": truth["sentiment"].to_numpy(),
            "emotion": truth["emotion"].to_numpy(),
            "brand": truth["brand"].to_numpy(),
        }
    )


# --- the template tables --------------------------------------------------------------------


AUDIENCE_LABELS = {
    "age": ("18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    "gender": ("female", "male", "other"),
    "country": ("FR", "BE", "CH", "other"),
    "city": ("Rennes", "Paris", "Nantes", "Brest", "Lyon", "other"),
    "interest": ("skincare", "zero waste", "wellness", "fashion", "cooking"),
}
#: Expected shares (any scale) of the labels, for every channel, then per channel.
AUDIENCE_COMMON = {"country": (88, 5, 3, 4), "city": (18, 14, 11, 9, 4, 44), "interest": (34, 22, 20, 14, 10)}
AUDIENCE_OWN = {
    "facebook": {"age": (6, 20, 27, 23, 15, 9), "gender": (74, 24, 2)},
    "instagram": {"age": (18, 38, 24, 12, 6, 2), "gender": (86, 12, 2)},
    "linkedin": {"age": (3, 22, 32, 25, 14, 4), "gender": (62, 37, 1)},
    "x": {"age": (10, 30, 28, 18, 10, 4), "gender": (58, 40, 2)},
}


def audience(
    rng: np.random.Generator,
    labels: dict[str, tuple[str, ...]] = AUDIENCE_LABELS,
    common: dict[str, tuple[float, ...]] = AUDIENCE_COMMON,
    own: dict[str, dict[str, tuple[float, ...]]] = AUDIENCE_OWN,
) -> pd.DataFrame:
    """Demographic shares per channel of ``own``, one row per label of each dimension of ``labels``.

    Each channel x dimension sums to exactly 1; the shares are drawn around ``common`` overridden
    by the channel's own expectations.
    """
    rows = []
    for channel, dimension in ((c, d) for c in own for d in labels):
        weights = np.array({**common, **own[channel]}[dimension], dtype=float)
        shares = np.round(rng.dirichlet(weights * 40), 4)
        shares[np.argmax(shares)] += 1 - shares.sum()  # rounded shares add up to 1 exactly
        rows += [(channel, dimension, v, f"{s:.4f}") for v, s in zip(labels[dimension], shares, strict=True)]
    return pd.DataFrame(rows, columns=template_columns("audience"))


def competitors(
    rng: np.random.Generator,
    table: dict[tuple[str, str], tuple[int, float, int, float]] = COMPETITORS,
    months: pd.DatetimeIndex = MONTHS,
    season: tuple[float, ...] = SEASON,
    first: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Monthly followers, posts and interactions per competitor and channel of ``table``.

    ``table``'s follower counts are those of the month before ``first`` (default: the first of
    ``months``); a later ``first`` continues the series of an earlier window.
    """
    first = months[0] if first is None else first
    offset = (months[0].year - first.year) * 12 + months[0].month - first.month
    rows = []
    for (brand, channel), (size, growth, per_month, rate) in table.items():
        for k, month in enumerate(months, start=offset):
            community = round(size * (1 + growth) ** (k + 1) * rng.lognormal(0, 0.004))
            count = int(rng.poisson(per_month * season[month.month - 1]))
            interactions = round(community * count * rate * rng.lognormal(0, 0.15))
            rows.append((month, brand, channel, community, count, interactions))
    frame = pd.DataFrame(rows, columns=template_columns("competitors"))
    return frame.sort_values(["date", "brand", "channel"], kind="stable")


def challenger_growth(
    table: pd.DataFrame,
    effects: Effects = EFFECTS,
    brand: str = CHALLENGER,
    channel: str = "instagram",
    start: pd.Timestamp = CHALLENGER_FROM,
    competitors_table: dict[tuple[str, str], tuple[int, float, int, float]] = COMPETITORS,
) -> pd.DataFrame:
    """``table`` (see :func:`competitors`) with ``brand``'s ``channel`` growing faster from ``start``.

    Its monthly growth becomes ``effects.challenger_growth`` times the usual one for the months
    from ``start`` on: the month ``k`` months after ``start`` has its followers (and, with them,
    its interactions) multiplied by ``((1 + x g) / (1 + g)) ** (k + 1)``; the draws' noise is kept.
    """
    growth = competitors_table[brand, channel][1]
    step = (1 + effects.challenger_growth * growth) / (1 + growth)
    frame = table.copy()
    rows = ((frame["brand"] == brand) & (frame["channel"] == channel) & (frame["date"] >= start)).to_numpy()
    months = (
        (frame.loc[rows, "date"].dt.year - start.year) * 12 + frame.loc[rows, "date"].dt.month - start.month
    )
    factor = step ** (months.to_numpy() + 1)
    frame.loc[rows, "followers"] = np.round(frame.loc[rows, "followers"].to_numpy() * factor).astype(int)
    frame.loc[rows, "interactions"] = np.round(frame.loc[rows, "interactions"].to_numpy() * factor).astype(
        int
    )
    return frame


def care(
    rng: np.random.Generator,
    per_channel: dict[str, float] = CARE_PER_DAY,
    days: pd.DatetimeIndex = DAYS,
    tz: str = TZ,
    first: int = 1,
) -> pd.DataFrame:
    """Customer-care messages: median answer ~3 h, slower at weekends, ~8 % unanswered.

    Messages are numbered ``msg-00001``... from ``first`` in order of arrival.
    """
    parts = []
    for channel, per_day in per_channel.items():
        local = _random_times(rng, days.repeat(rng.poisson(per_day, len(days))), DAY_HOUR_WEIGHTS)
        delay = rng.lognormal(np.log(2.4 * 3600), 1.1, len(local))
        delay = np.minimum(delay * np.where(local.day_of_week >= 5, 2.5, 1.0), 5 * 86_400)
        answered = rng.random(len(local)) >= 0.08
        resolved = answered & (rng.random(len(local)) < 0.8)
        parts.append(
            pd.DataFrame(
                {
                    "received_at": _utc(local, tz),
                    "answered_at": np.where(
                        answered, _utc(local + pd.to_timedelta(delay.round(), "s"), tz), ""
                    ),
                    "resolved": np.where(resolved, "true", "false"),
                    "channel": channel,
                    "type": rng.choice(CARE_TYPES[0], len(local), p=CARE_TYPES[1]),
                }
            )
        )
    frame = pd.concat(parts).sort_values(["received_at", "channel"], kind="stable")
    frame.insert(0, "message_id", [f"msg-{k:05d}" for k in range(first, first + len(frame))])
    return frame


def leads(
    rng: np.random.Generator,
    per_channel: dict[str, float] = LEADS_PER_DAY,
    days: pd.DatetimeIndex = DAYS,
    day_season: np.ndarray = DAY_SEASON,
    sql_rate: float = 0.3,
    value: tuple[float, float] = (55, 70),
) -> pd.DataFrame:
    """Daily leads, SQLs (``sql_rate`` of them) and revenue (SQLs x a basket drawn in ``value``)."""
    parts = []
    for channel, per_day in per_channel.items():
        count = rng.poisson(per_day * day_season)
        sqls = rng.binomial(count, sql_rate)
        revenue = sqls * rng.uniform(*value, len(days))
        parts.append(
            pd.DataFrame(
                {
                    "date": days,
                    "channel": channel,
                    "leads": count,
                    "sqls": sqls,
                    "revenue": [f"{v:.2f}" for v in revenue],
                    "persona": "",  # the demo CRM does not attribute leads to personas
                }
            )
        )
    return pd.concat(parts).sort_values(["date", "channel"], kind="stable")


@dataclass(frozen=True)
class Budget:
    """Monthly ads and team hours per channel, and the campaigns they go to."""

    ads: dict[str, float]  # monthly ads budget per channel, before seasonality
    hours: dict[str, tuple[float, float]]  # team hours a month per channel (uniform between)
    always_on: dict[str, str]  # the always-on campaign of each channel
    campaigns: tuple[str, ...]  # seasonal campaign of each month, January first
    steady: tuple[str, ...] = ("linkedin",)  # channels that run their always-on campaign only
    unfunded: tuple[str, ...] = ()  # channels with team hours and no ads budget


BUDGET = Budget(MONTHLY_ADS, TEAM_HOURS, ALWAYS_ON, CAMPAIGNS, unfunded=("x",))


def spend(
    rng: np.random.Generator, budget: Budget = BUDGET, months: pd.DatetimeIndex = MONTHS, season=SEASON
) -> pd.DataFrame:
    """Monthly ad spend and team hours per channel: an always-on and a seasonal campaign.

    An unfunded channel (X in the demo's brief) has rows of team hours and 0.00 of ads.
    """
    rows = []
    for month, channel in ((m, c) for m in months for c in budget.ads):
        amount = budget.ads[channel] * season[month.month - 1] * rng.lognormal(0, 0.12)
        hours = rng.uniform(*budget.hours[channel])
        cut = 0.0 if channel in budget.steady else rng.uniform(0.55, 0.7)
        rows.append((month, channel, budget.always_on[channel], amount * (1 - cut), hours * (1 - cut)))
        if cut:
            rows.append((month, channel, budget.campaigns[month.month - 1], amount * cut, hours * cut))
    for channel in budget.unfunded:
        rows += [
            (m, channel, budget.always_on[channel], 0.0, rng.uniform(*budget.hours[channel])) for m in months
        ]
    frame = pd.DataFrame(rows, columns=template_columns("spend"))
    frame["amount"] = [f"{v:.2f}" for v in frame["amount"]]
    frame["hours"] = [f"{h:.1f}" for h in frame["hours"]]
    return frame.sort_values(["date", "channel", "campaign"], kind="stable")


def _draw(rng: np.random.Generator, options: dict[str, float], n: int) -> np.ndarray:
    """``n`` values drawn from ``options`` (value -> probability)."""
    weights = np.array(list(options.values()))
    return rng.choice(list(options), n, p=weights / weights.sum())


def _segment_records(rng: np.random.Generator, segment: Segment) -> pd.DataFrame:
    """The CRM records of one planted segment, before anything is left empty."""
    n = segment.size
    mean, sd, low, high = segment.age
    picks = rng.random((n, len(segment.interests))) < np.array(list(segment.interests.values()))
    names = list(segment.interests)
    orders = segment.orders[0] + rng.poisson(segment.orders[1], n)
    first, last = (pd.Timestamp(d) for d in segment.since)
    days = rng.integers(0, (last - first).days + 1, n)
    return pd.DataFrame(
        {
            "age": np.clip(np.round(rng.normal(mean, sd, n)), low, high).astype(int),
            "gender": _draw(rng, segment.genders, n),
            "region": _draw(rng, segment.regions, n),
            "channel": _draw(rng, segment.channels, n),
            "interests": [";".join(w for w, keep in zip(names, row, strict=True) if keep) for row in picks],
            "orders_12m": orders,
            "basket": np.where(orders > 0, segment.basket * rng.lognormal(0, 0.22, n), np.nan),
            "customer_since": first + pd.to_timedelta(days, unit="D"),
        }
    )


def customers(
    rng: np.random.Generator,
    segments: dict[str, Segment] = CUSTOMER_SEGMENTS,
    missing: dict[str, float] = CUSTOMER_MISSING,
    first: int = 1,
) -> pd.DataFrame:
    """The CRM extract: records of the planted segments, numbered from ``first`` by ``customer_since``.

    A few fields are left empty (:data:`CUSTOMER_MISSING`), and the basket of a customer with
    no order in the last 12 months is unknown.
    """
    frame = pd.concat([_segment_records(rng, s) for s in segments.values()], ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    for column, share in missing.items():
        frame[column] = frame[column].astype(object).where(rng.random(len(frame)) >= share, "")
    frame = frame.sort_values("customer_since", kind="stable").reset_index(drop=True)
    frame.insert(0, "customer_id", [f"CLI-{k:05d}" for k in range(first, first + len(frame))])
    frame.insert(1, "origin", "crm")
    frame["interests"] = frame["interests"].fillna("")
    frame["basket"] = [f"{v:.2f}" if v == v else "" for v in frame["basket"]]
    frame["customer_since"] = frame["customer_since"].dt.strftime("%Y-%m-%d")
    return frame[template_columns("customers")]


# --- influencer campaigns ------------------------------------------------------------------

#: Columns of ``tables/campaigns.csv`` (the optional table of influencer campaigns).
CAMPAIGN_COLUMNS = ("campaign", "influencer", "network", "start", "end", "cost", "posts", "reach",
                    "interactions", "clicks", "leads", "revenue")  # fmt: skip
#: Smallest audience of a macro author (the brief's ``influencer_tiers``).
MACRO = 100_000


@dataclass(frozen=True)
class CampaignPlan:
    """One influencer campaign: when, what it cost, and the medians of what it brought."""

    name: str
    influencer: str | None  # a handle; None: the macro author of the listening data (see :func:`campaigns`)
    network: str
    start: str
    end: str
    cost: float  # EUR
    posts: int
    reach: float  # people reached per post, per follower of the influencer
    rate: float  # interactions per person reached
    ctr: float  # clicks per person reached
    conversion: float  # leads per click
    value: float  # revenue per lead, EUR


CAMPAIGN_PLANS = (
    CampaignPlan("Coffret Noël", None, "instagram", "2025-12-01", "2025-12-14", 6_500.0, 2,
                 0.18, 0.015, 0.004, 0.05, 68.0),
    CampaignPlan("Recharge printemps", INFLUENCER.handle, "instagram", "2026-03-16", "2026-04-12", 1_200.0, 4,
                 0.32, 0.07, 0.02, 0.09, 55.0),
)  # fmt: skip


def macro_author(mentions: pd.DataFrame, channel: str = "instagram", brand: str = BRAND) -> str:
    """The author with at least :data:`MACRO` followers on ``channel`` who mentions ``brand`` most.

    Raises:
        ValueError: when no such author mentions the brand.
    """
    rows = mentions[
        (mentions["channel"] == channel) & (mentions["brand"] == brand) & (mentions["audience"] >= MACRO)
    ]
    if rows.empty:
        raise ValueError(f"no author with {MACRO:,}+ followers mentions {brand} on {channel}")
    counts = rows.groupby("author").size()
    return str(counts[counts == counts.max()].index.sort_values()[0])


def campaigns(
    rng: np.random.Generator, mentions: pd.DataFrame, plans: tuple[CampaignPlan, ...] = CAMPAIGN_PLANS
) -> pd.DataFrame:
    """The influencer campaigns of ``plans``, one row each, with what their tracking reports.

    The influencer's audience is the largest follower count the listening data gives them
    (``mentions``), else a planted author's last count (when the control data set leaves them
    out of the listening data); reach, interactions, clicks, leads and revenue are the plan's medians times a
    lognormal noise (σ 0.1). A plan without an influencer goes to :func:`macro_author`.
    """
    rows = []
    for plan in plans:
        handle = plan.influencer or macro_author(mentions, plan.network)
        followers = mentions.loc[
            (mentions["author"] == handle) & (mentions["channel"] == plan.network), "audience"
        ].max()
        planted = {a.handle: a.followers[1] for a in (INFLUENCER, OFF_TOPIC)}
        followers = followers if followers > 0 else planted.get(handle, np.nan)
        if not followers > 0:
            raise ValueError(f"{handle}: no follower count on {plan.network} in the listening data")
        noise = rng.lognormal(0, 0.1, 5)
        reach = round(followers * plan.posts * plan.reach * noise[0])
        clicks = round(reach * plan.ctr * noise[2])
        leads = round(clicks * plan.conversion * noise[3])
        rows.append(
            (plan.name, handle, plan.network, plan.start, plan.end, f"{plan.cost:.2f}", plan.posts, reach,
             round(reach * plan.rate * noise[1]), clicks, leads, f"{leads * plan.value * noise[4]:.2f}")
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(CAMPAIGN_COLUMNS))


# --- the whole world, and writing it --------------------------------------------------------


@dataclass(frozen=True)
class World:
    """Everything the generator draws: the exports' contents and the template tables."""

    posts: pd.DataFrame  # one row per post, every metric (see :func:`posts`)
    mentions: pd.DataFrame  # one row per mention (see :func:`mentions`)
    tables: dict[str, pd.DataFrame]  # the template tables, by name
    campaigns: pd.DataFrame | None = None  # the optional influencer campaigns (see :func:`campaigns`)


def streams(seed: int, names: tuple[str, ...] = STREAMS) -> dict[str, np.random.Generator]:
    """One independent random stream per name, spawned from ``seed`` in the order of ``names``
    (names appended after :data:`STREAMS` leave its streams as they were)."""
    return dict(zip(names, np.random.default_rng(seed).spawn(len(names)), strict=True))


def build(seed: int = DEFAULT_SEED, effects: Effects = EFFECTS) -> World:
    """Draw the demo world; the same seed and effects always give the same world."""
    rngs = streams(seed)
    follower_table = followers(rngs["followers"])
    tables = {
        "followers": follower_table,
        "audience": audience(rngs["audience"]),
        "competitors": challenger_growth(competitors(rngs["competitors"]), effects),
        "care": care(rngs["care"]),
        "leads": leads(rngs["leads"]),
        "spend": spend(rngs["spend"]),
        "customers": customers(rngs["customers"]),
    }
    base = mentions(rngs["mentions"], effects)
    talk = with_mentions(
        base,
        planted_authors(rngs["influencers"], effects),
        challenger_mentions(rngs["challenger"], base, effects),
    )
    return World(
        posts(rngs["posts"], follower_table, effects, rngs["themes"]),
        talk,
        tables,
        campaigns(rngs["campaigns"], talk),
    )


def canonical_posts(seed: int = DEFAULT_SEED, effects: Effects = EFFECTS) -> pd.DataFrame:
    """The canonical posts of the demo, as the importers must read them from ``exports/``."""
    return canonical_posts_of(build(seed, effects).posts)


def canonical_mentions(seed: int = DEFAULT_SEED, effects: Effects = EFFECTS) -> pd.DataFrame:
    """The canonical mentions of the demo, as the importers must read them from ``exports/``."""
    return canonical_mentions_of(build(seed, effects).mentions)


# --- a later window of the same world -------------------------------------------------------

#: Template tables that are a snapshot, not a series: a later window's replaces the earlier one's.
SNAPSHOT_TABLES = ("audience",)


def _continued_author(author: Author, days: pd.DatetimeIndex, before: pd.DatetimeIndex = DAYS) -> Author:
    """``author`` over ``days``: their follower line of ``before`` (START to END) extended."""
    first, last = author.followers
    slope = (last - first) / max((before[-1] - before[0]).days, 1)
    at = [round(first + slope * (day - before[0]).days) for day in (days[0], days[-1])]
    return replace(author, followers=(at[0], at[1]))


def _recruiting(
    days: pd.DatetimeIndex, segments: dict[str, Segment] = CUSTOMER_SEGMENTS
) -> dict[str, Segment]:
    """The segments still recruiting on END, with the customers they win over ``days`` (pro rata
    of their pace) joining within ``days``."""
    out = {}
    for name, segment in segments.items():
        first, last = (pd.Timestamp(d) for d in segment.since)
        size = round(segment.size * len(days) / ((last - first).days + 1))
        if last >= END and size > 0:
            out[name] = replace(segment, size=size, since=(f"{days[0]:%Y-%m-%d}", f"{days[-1]:%Y-%m-%d}"))
    return out


def continued(
    before: World,
    days: pd.DatetimeIndex,
    rngs: dict[str, np.random.Generator],
    effects: Effects = EFFECTS,
    planned: pd.DataFrame | None = None,
) -> World:
    """The world of ``days``, right after ``before``'s (the demo year): its habits, every series going on.

    Followers continue from their last count, competitors' months from theirs, care messages,
    customers and Brandwatch ``Mention Id`` numbers after the last ones, Facebook and Instagram
    ids after the last ids; the same people talk (``before``'s authors, the planted influencer
    and off-topic author at their pace), the planted effects keep their sizes and trends (the
    Facebook decline stays at its floor, Instagram's rise goes on). The audience snapshot and
    the influencer campaigns are ``before``'s.

    Args:
        before: the world of the days before (:func:`build`).
        days: the new window's days, from the day after ``before``'s last.
        rngs: the random streams (:func:`streams`), one per name of :data:`STREAMS`.
        effects: sizes of the planted effects.
        planned: the posts to publish (see :func:`posts`); default the habits' :func:`schedule`
            over ``days``.

    Returns:
        The window's world: only the window's rows (:func:`joined` adds ``before``'s).
    """
    months = pd.date_range(days[0], days[-1], freq="MS")
    day_season = np.array(SEASON)[days.month - 1]
    last = before.tables["followers"].groupby("channel", sort=False)["followers"].last()
    profiles = {c: (account, int(last[c]), growth) for c, (account, _, growth) in PROFILES.items()}
    follower_table = followers(rngs["followers"], profiles, days)
    rivals = competitors(rngs["competitors"], months=months, first=START)
    tables = {
        "followers": follower_table,
        "audience": before.tables["audience"],
        "competitors": challenger_growth(rivals, effects),
        "care": care(rngs["care"], days=days, first=len(before.tables["care"]) + 1),
        "leads": leads(rngs["leads"], days=days, day_season=day_season),
        "spend": spend(rngs["spend"], months=months),
        "customers": customers(
            rngs["customers"], _recruiting(days), first=len(before.tables["customers"]) + 1
        ),
    }
    listening = replace(LISTENING, days=days, day_season=day_season)
    planted = {a.handle for a in (INFLUENCER, OFF_TOPIC)}
    talkers = before.mentions[~before.mentions["author"].isin(planted)]
    pool = talkers[["kind", "author", "audience"]].drop_duplicates("author").rename(columns={"kind": "pool"})
    base = mentions(
        rngs["mentions"], effects, listening, pool, first_number=int(before.mentions["mention_number"].max())
    )
    authors = [
        _author_mentions(rngs["influencers"], _continued_author(author, days), n, listening=listening)
        for author, count in ((INFLUENCER, effects.influencer), (OFF_TOPIC, OFF_TOPIC_MENTIONS))
        if effects.influencer > 0 and (n := round(count * len(days) / len(DAYS))) > 0
    ]
    talk = with_mentions(base, *authors, challenger_mentions(rngs["challenger"], base, effects, listening))
    numbers = before.posts.assign(number=before.posts["post_id"].astype("int64"))
    last_ids = numbers.groupby("channel")["number"]
    ids = {c: int(last_ids.max()[c]) for c in ID_BASE}
    planned = schedule(rngs["posts"], days) if planned is None else planned
    published = posts(rngs["posts"], follower_table, effects, rngs["themes"], planned=planned, id_base=ids)
    return World(published, talk, tables, before.campaigns)


def joined(before: World, after: World) -> dict[str, pd.DataFrame]:
    """The template tables of two consecutive windows as one: ``before``'s rows then ``after``'s
    (a snapshot table, :data:`SNAPSHOT_TABLES`, is ``after``'s)."""
    return {
        name: after.tables[name]
        if name in SNAPSHOT_TABLES
        else pd.concat([before.tables[name], after.tables[name]], ignore_index=True)
        for name in before.tables
    }
