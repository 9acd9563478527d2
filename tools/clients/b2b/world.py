"""Seeded world of the second test client, Brightlane Analytics (a fictional UK B2B software firm).

Everything differs from the demo where it matters: an English brief, a B2B company in Manchester
analysed in Europe/London and in pounds, on LinkedIn, Instagram and TikTok (no Facebook, no X),
posting in office hours. :mod:`tools.clients.b2b.generate` (``python -m tools.clients.b2b``)
writes this world into ``data/clients/brightlane``: the platforms' own export files in
``exports/`` (:mod:`tools.clients.b2b.exports`) and the workbook's templates in ``tables/`` for
what no platform exports. The same seed always gives byte-identical files.

The planted truths are :data:`TRUTHS` (documented with their sizes in this folder's README):
a test reads them back from the imported tables with plain pandas. Where the logic is the demo's
(followers, competitors, care, leads, spend, the CRM extract, the listening mentions), the demo's
functions are called with this client's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.demo import world as demo
from tools.demo.world import Budget, Listening, Segment

DEFAULT_SEED = 20260930
TZ = "Europe/London"
START, END = pd.Timestamp("2025-10-01"), pd.Timestamp("2026-09-30")
DAYS = pd.date_range(START, END, freq="D")
MONTHS = pd.date_range(START, END, freq="MS")
#: Activity multiplier of each month, January first: B2B buying slows in August and at Christmas.
SEASON = (1.1, 1.05, 1.05, 1.0, 0.95, 0.95, 0.85, 0.7, 1.05, 1.1, 1.05, 0.75)
DAY_SEASON = np.array(SEASON)[DAYS.month - 1]
BRAND = "Brightlane Analytics"
#: Owned profiles (as in the brief): channel -> (account, followers on START, monthly growth).
PROFILES = {
    "linkedin": ("brightlane-analytics", 6_400, 0.020),
    "instagram": ("brightlane.hq", 2_100, 0.010),
    "tiktok": ("brightlanehq", 900, 0.050),
}
STREAMS = ("posts", "followers", "mentions", "audience", "competitors", "care", "leads", "spend", "customers")
#: Tables written in the workbook's templates; TikTok's followers come in its own export.
TEMPLATE_TABLES = ("followers", "audience", "competitors", "care", "leads", "spend", "customers")
#: The two quarters truth 1 compares (local days, both included).
QUARTER_BEFORE = (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-06-30"))
LAST_QUARTER = (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30"))
SLOT = (1, 8)  # Tuesday, 08:00-08:59 London time (Monday is 0)


@dataclass(frozen=True)
class Effects:
    """Sizes of the planted effects (``NO_EFFECTS`` switches them off)."""

    slot: float = 1.9  # engagement x on Tuesday 08:00-08:59 local, every network
    tiktok_rise: float = 1.6  # TikTok engagement x from LAST_QUARTER's first day on


EFFECTS = Effects()
NO_EFFECTS = Effects(slot=1.0, tiktok_rise=1.0)

# --- posts ----------------------------------------------------------------------------------
POSTS_PER_WEEK = {"linkedin": 4, "instagram": 3, "tiktok": 2.5}
SLOT_POSTS = {"linkedin": 10, "instagram": 8, "tiktok": 6}  # scheduled on Tuesdays at 08:xx
WEEKEND_LINKEDIN = 2  # LinkedIn posts on a Saturday or Sunday (about 1 %): the others are weekdays
SPONSORED_LINKEDIN = 16  # LinkedIn posts boosted as sponsored content
#: Weight of each weekday (Monday first) and of each hour from 0 h, per network.
WEEKDAYS = {
    "linkedin": (1.0, 1.1, 1.1, 1.0, 0.8, 0.0, 0.0),
    "instagram": (1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.25),
    "tiktok": (1.0, 1.0, 1.0, 1.1, 1.2, 0.8, 0.7),
}
HOURS = {
    "linkedin": (0,) * 7 + (1.5, 2, 2.5, 2, 1.5, 2, 1.5, 1.2, 1, 0.6, 0.3) + (0,) * 6,
    "instagram": (0,) * 8 + (1, 1, 1.2, 1, 2, 1.5, 1, 1, 1, 1.5, 1.2, 0.5) + (0,) * 4,
    "tiktok": (0,) * 8 + (0.4, 0.4, 0.6, 0.8, 1.5, 1.2, 0.8, 0.8, 1, 1.5, 1.8, 1.8, 1.5, 1) + (0,) * 2,
}
#: Base engagement rate: interactions / impressions on LinkedIn and TikTok (neither gives reach
#: per post), interactions / reach on Instagram.
BASE_ER = {"linkedin": 0.034, "instagram": 0.045, "tiktok": 0.036}
#: Reach / followers on the day (TikTok's For You feed reaches well beyond the followers).
REACH_RATIO = {"linkedin": 0.28, "instagram": 0.26, "tiktok": 1.4}
#: channel -> format -> (share of posts, engagement x, reach x).
FORMATS = {
    "linkedin": {
        "text": (0.2, 0.9, 0.85),
        "photo": (0.25, 1.0, 1.0),
        "video": (0.15, 1.15, 1.1),
        "carousel": (0.25, 1.2, 1.05),  # LinkedIn's "Document" posts
        "link": (0.15, 0.8, 0.9),
    },
    "instagram": {
        "photo": (0.35, 1.0, 1.0),
        "carousel": (0.3, 1.1, 1.0),
        "reel": (0.2, 1.15, 1.3),
        "story": (0.15, 1.0, 0.5),
    },
    "tiktok": {"video": (0.9, 1.0, 1.0), "carousel": (0.1, 0.9, 0.7)},  # photo mode is a carousel
}
#: Split of interactions into reactions, comments, shares, saves (by channel, or story).
SPLIT = {
    "linkedin": (0.82, 0.11, 0.07, 0.0),  # reactions, comments, reposts
    "instagram": (0.74, 0.06, 0.07, 0.13),
    "story": (0.8, 0.0, 0.2, 0.0),  # story likes and shares; replies are private messages
    "tiktok": (0.86, 0.06, 0.08, 0.0),
}
DURATIONS = {("linkedin", "video"): (30, 120), ("instagram", "reel"): (7, 60), ("tiktok", "video"): (15, 90)}
INSTAGRAM_ID_BASE = 1801 * 10**13
TOPICS = (
    "demand forecasting",
    "warehouse throughput",
    "OEE dashboards",
    "stock-outs",
    "supplier lead times",
    "shift planning",
    "month-end reporting",
)
CAPTIONS = {
    "linkedin": (
        "How a Leeds distributor cut {t} errors by 18 % in a quarter, and what they measured first.",
        "Three questions every operations director should ask about {t} before the next budget round.",
        "We asked 120 UK ops leaders about {t}. The answers surprised us (full report in the comments).",
        "Behind the build: why our product team rewrote the {t} module from scratch.",
        "Webinar next week: {t} without spreadsheets. Register via the link.",
        "Customer story: from five spreadsheets to one view of {t}.",
    ),
    "instagram": (
        "A morning at the Manchester office: coffee, stand-up and a whiteboard full of {t} ☕",
        "Meet the team: Priya, who turns {t} into charts people actually read 📊",
        "Swipe for our 5 favourite {t} charts of the month ➡️",
        "Friday demo day: the new {t} view, shipped 🚀",
    ),
    "tiktok": (
        "{t} explained in 30 seconds ⏱️",
        "POV: your {t} spreadsheet has 14 tabs 😅",
        "Ops myths: {t} edition",
        "What a data analyst actually does all day (feat. {t})",
    ),
}
HASHTAGS = {
    "linkedin": ("#operations", "#supplychain", "#analytics", "#manufacturing", "#logistics"),
    "instagram": ("#lifeatbrightlane", "#manchestertech", "#dataviz", "#teamculture"),
    "tiktok": ("#opstok", "#datatok", "#excel", "#worktok", "#supplychain"),
}


def _local_times(rng: np.random.Generator, channel: str, days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """A time in the channel's posting hours on each day given."""
    hours = np.array(HOURS[channel], dtype=float)
    return demo._random_times(rng, days, hours)


def _days(rng: np.random.Generator, n: int, weekdays: tuple[float, ...]) -> pd.DatetimeIndex:
    """``n`` days of the year drawn with the weekday weights given."""
    weights = np.array(weekdays)[DAYS.day_of_week] * DAY_SEASON
    return pd.DatetimeIndex(rng.choice(DAYS, n, p=weights / weights.sum()))


def _schedule(rng: np.random.Generator, channel: str) -> pd.DataFrame:
    """Local publication times and formats of one channel's posts.

    ``SLOT_POSTS`` of them fall on distinct Tuesdays at 08:xx with exactly the channel's format mix
    (so formats do not explain the slot); LinkedIn gets ``WEEKEND_LINKEDIN`` weekend posts and
    weekdays otherwise.
    """
    total, n_slot = round(POSTS_PER_WEEK[channel] * len(DAYS) / 7), SLOT_POSTS[channel]
    weekend = WEEKEND_LINKEDIN if channel == "linkedin" else 0
    usual = _days(rng, total - n_slot - weekend, WEEKDAYS[channel])
    local = _local_times(rng, channel, usual)
    if weekend:
        local = local.append(_local_times(rng, channel, _days(rng, weekend, (0,) * 5 + (1, 1))))
    tuesdays = np.sort(rng.choice(DAYS[DAYS.day_of_week == SLOT[0]], n_slot, replace=False))
    slot = pd.DatetimeIndex(tuesdays) + pd.to_timedelta(
        SLOT[1] * 60 + rng.integers(0, 60, n_slot), unit="min"
    )
    names = list(FORMATS[channel])
    shares = np.array([FORMATS[channel][n][0] for n in names])
    formats = np.concatenate(
        [
            rng.choice(names, total - n_slot, p=shares),
            rng.permutation(np.repeat(names, demo.quota(shares, n_slot))),
        ]
    )
    frame = pd.DataFrame({"local": local.append(slot), "channel": channel, "format": formats})
    frame["paid"] = False
    if channel == "linkedin":
        frame.loc[rng.choice(total, SPONSORED_LINKEDIN, replace=False), "paid"] = True
    return frame.sort_values("local", kind="stable")


def _engagement_multiplier(frame: pd.DataFrame, effects: Effects) -> np.ndarray:
    """Planted multipliers of the engagement rate (slot, TikTok's rise) and the formats', per post."""
    local = pd.DatetimeIndex(frame["local"])
    channel, fmt = frame["channel"].to_numpy(), frame["format"].to_numpy()
    by_format = np.array([FORMATS[c][f][1] for c, f in zip(channel, fmt, strict=True)])
    slot = np.where((local.day_of_week == SLOT[0]) & (local.hour == SLOT[1]), effects.slot, 1.0)
    rise = np.where((channel == "tiktok") & (local >= LAST_QUARTER[0]), effects.tiktok_rise, 1.0)
    return by_format * slot * rise


def _caption(rng: np.random.Generator, channel: str, fmt: str) -> str:
    """An English caption with a topic; hashtags on most posts; none on stories."""
    if fmt == "story":
        return ""
    texts, tags = CAPTIONS[channel], HASHTAGS[channel]
    text = texts[int(rng.integers(0, len(texts)))].format(t=TOPICS[int(rng.integers(0, len(TOPICS)))])
    if rng.random() < 0.7:
        text += ("\n\n" if channel != "tiktok" else " ") + " ".join(rng.choice(tags, 2, replace=False))
    return text


def _identity(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Ids, permalinks, captions and the exact publication instant (unix ms) of each post.

    LinkedIn activity ids are ``unix_ms << 22``; a TikTok id's upper 32 bits are the Unix
    seconds; Instagram ids grow with time.
    """
    unix_ms = demo._unix_ms(frame["local"], TZ) + rng.integers(0, 1000, len(frame))
    low_bits = rng.integers(0, 1 << 32, len(frame))
    instagram = (frame["channel"] == "instagram").to_numpy()
    numbers = np.zeros(len(frame), dtype=np.int64)
    numbers[instagram] = INSTAGRAM_ID_BASE + np.cumsum(rng.integers(10**9, 10**13, instagram.sum()))
    rows = []
    for k, (channel, fmt) in enumerate(zip(frame["channel"], frame["format"], strict=True)):
        ms = int(unix_ms[k])
        if channel == "linkedin":
            number = ms << 22
            link = f"https://www.linkedin.com/feed/update/urn:li:activity:{number}"
        elif channel == "tiktok":
            number = ((ms // 1000) << 32) + int(low_bits[k])
            kind = "photo" if fmt == "carousel" else "video"
            link = f"https://www.tiktok.com/@{PROFILES['tiktok'][0]}/{kind}/{number}"
        else:
            number = int(numbers[k])
            code = "".join(rng.choice(demo.SHORTCODE, 11))
            path = {"story": f"stories/{PROFILES['instagram'][0]}/{number}", "reel": f"reel/{code}"}
            link = f"https://www.instagram.com/{path.get(fmt, f'p/{code}')}/"
        rows.append((str(number), link, _caption(rng, channel, fmt), ms))
    return pd.DataFrame(rows, columns=["post_id", "permalink", "text", "unix_ms"], index=frame.index)


def _audience_size(frame: pd.DataFrame, follower_table: pd.DataFrame) -> np.ndarray:
    """The profile's followers on the day of each post."""
    size = follower_table.set_index(["channel", "date"])["followers"]
    keys = list(zip(frame["channel"], frame["local"].dt.normalize(), strict=True))
    return size.loc[keys].to_numpy()


def posts(rng: np.random.Generator, follower_table: pd.DataFrame, effects: Effects = EFFECTS) -> pd.DataFrame:
    """Every post of the three profiles with every metric its export carries (the truth).

    Reach is drawn for every post (it drives the rest), though only Instagram's export gives it.
    Times are local (``local``, naive Europe/London) and exact (``unix_ms``).
    """
    frame = pd.concat([_schedule(rng, c) for c in PROFILES], ignore_index=True)
    frame = frame.sort_values(["local", "channel"], kind="stable").reset_index(drop=True)
    channel, fmt = frame["channel"].to_numpy(), frame["format"].to_numpy()
    n = len(frame)
    frame["account"] = [PROFILES[c][0] for c in channel]
    spread = np.where(channel == "tiktok", 0.7, 0.25)  # a few TikTok videos travel far
    reach = (
        _audience_size(frame, follower_table)
        * frame["channel"].map(REACH_RATIO).to_numpy()
        * np.array([FORMATS[c][f][2] for c, f in zip(channel, fmt, strict=True)])
        * np.where(frame["paid"], 1.8, 1.0)
        * rng.lognormal(0, spread, n)
    )
    frame["reach"] = np.maximum(1, np.round(reach)).astype(int)
    frame["impressions"] = np.ceil(frame["reach"] * rng.uniform(1.1, 1.5, n)).astype(int)
    base = np.where(channel == "instagram", frame["reach"], frame["impressions"])
    rate = frame["channel"].map(BASE_ER).to_numpy() * _engagement_multiplier(frame, effects)
    total = np.round(base * rate * rng.lognormal(0, 0.2, n)).astype(int)
    keys = [f if f == "story" else c for c, f in zip(channel, fmt, strict=True)]
    frame[["reactions", "comments", "shares", "saves"]] = np.array(
        [rng.multinomial(k, SPLIT[key]) for k, key in zip(total, keys, strict=True)]
    )
    frame = pd.concat([frame, _identity(rng, frame)], axis=1)
    low, high = np.array([DURATIONS.get(k, (0, 0)) for k in zip(channel, fmt, strict=True)]).T
    video = np.isin(fmt, ["video", "reel"])
    frame["duration"] = np.where(high > 0, rng.integers(low, high + 1), 0)
    frame["video_views"] = np.where(video, np.round(frame["impressions"] * rng.uniform(0.4, 0.9, n)), 0)
    frame["clicks"] = np.where(channel == "linkedin", rng.binomial(frame["impressions"], 0.011), 0)
    frame["follows"] = rng.binomial(frame["reach"], np.where(channel == "tiktok", 0.004, 0.002))
    frame["link_clicks"] = frame["other_clicks"] = 0  # Facebook's, grown like the others by Meta's writer
    return frame


# --- listening ------------------------------------------------------------------------------
COMPETITOR_NAMES = ("Fieldgate Software", "Quantly", "Ostara Systems")
LISTENING = Listening(
    brands={BRAND: 0.30, "Fieldgate Software": 0.38, "Quantly": 0.20, "Ostara Systems": 0.12},
    sentiments={
        BRAND: (0.50, 0.40, 0.10),
        "Fieldgate Software": (0.38, 0.42, 0.20),
        "Quantly": (0.55, 0.35, 0.10),
        "Ostara Systems": (0.30, 0.50, 0.20),
    },
    emotions=demo.EMOTIONS,
    sources={"x": 0.34, "news": 0.14, "blog": 0.16, "forum": 0.16, "instagram": 0.08, "tiktok": 0.12},
    split=demo.MENTION_SPLIT,
    texts={
        "positive": (
            "Rolled out {b} across our three warehouses: forecasting finally matches the floor",
            "Shout-out to the {b} support team, fixed our import in an hour 👏",
            "{b}'s new OEE dashboard is the first one our shift leads actually open",
            "Great talk by {b} at the logistics expo on demand planning & stock-outs",
        ),
        "neutral": (
            "Anyone using {b} with SAP? Looking for real-world feedback",
            "{b} announces a partnership with a UK 3PL network",
            "Comparing {b} and two others for our ops reporting, shortlist done",
            "Webinar from {b} on supplier lead times, slides < 20 pages",
        ),
        "negative": (
            "{b} pricing went up again at renewal, not thrilled",
            "Two weeks waiting on a {b} integration fix...",
            'The "real-time" in {b} means every 4 hours, apparently',
            "{b} export to Excel still breaks our pivot tables :(",
        ),
    },
    first_names=tuple(
        "oliver amelia harry isla jack ava george mia noah emily priya arjun aisha callum "
        "rhys ffion siobhan declan chloe tom".split()
    ),
    suffixes=tuple("_ops .data _analytics _supplychain _mcr _ldn .logistics _lean .planning _bi".split()),
    digits=("", "22", "84"),
    outlets={
        "news": "supply-chain-weekly the-ops-review manufacturing-today-uk logistics-manager".split(),
        "blog": "lean-ops-diary the-data-shed warehouse-notes plan-the-floor".split(),
    },
    forum_member="redditor",
    urls={
        "instagram": "https://www.instagram.com/p/{code}/",
        "x": "https://x.com/{author}/status/{snowflake}",
        "tiktok": "https://www.tiktok.com/@{author}/video/{number}",
        "news": "https://www.{author}.co.uk/news/article-{article}",
        "blog": "https://{author}.co.uk/posts/{lower}/",
        "forum": "https://www.reddit.com/r/supplychain/comments/{lower}/",
    },
    per_day=4.5,
    days=DAYS,
    day_season=DAY_SEASON,
    tz=TZ,
)

# --- the template tables --------------------------------------------------------------------
AGES = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
#: Instagram and TikTok give age (copied from their dashboards; TikTok's download leaves it out);
#: TikTok's gender and countries come in its own export. LinkedIn gives no age and no gender.
AUDIENCE = {
    "social": (
        {
            "age": AGES,
            "gender": ("female", "male", "other"),
            "country": ("GB", "IE", "US", "other"),
            "city": ("Manchester", "London", "Leeds", "Birmingham", "Liverpool", "other"),
            "interest": ("operations", "analytics", "technology", "supply chain", "careers"),
        },
        {"country": (84, 5, 5, 6), "city": (24, 20, 9, 8, 7, 32), "interest": (24, 26, 22, 14, 14)},
        {"instagram": {"age": (14, 41, 27, 12, 5, 1), "gender": (49, 49, 2)}},
    ),
    "tiktok": ({"age": AGES}, {}, {"tiktok": {"age": (31, 44, 16, 6, 2, 1)}}),
    "linkedin": (
        {
            "job function": (
                "Operations",
                "Information Technology",
                "Finance",
                "Engineering",
                "Sales",
                "other",
            ),
            "seniority": ("Entry", "Senior", "Manager", "Director", "VP", "CXO"),
            "industry": ("Manufacturing", "Logistics", "Retail", "Software", "Wholesale", "other"),
            "company size": ("11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001+"),
            "city": ("Greater Manchester", "Greater London", "Leeds", "Birmingham", "Bristol", "other"),
        },
        {},
        {
            "linkedin": {
                "job function": (34, 18, 12, 14, 8, 14),
                "seniority": (8, 30, 28, 20, 6, 8),
                "industry": (30, 24, 12, 14, 8, 12),
                "company size": (10, 22, 24, 18, 16, 10),
                "city": (26, 24, 10, 9, 6, 25),
            }
        },
    ),
}
TIKTOK_GENDER = {"Female": 0.46, "Male": 0.52, "Other": 0.02}
TIKTOK_TERRITORIES = {"GB": 0.71, "IE": 0.06, "US": 0.08, "IN": 0.04, "Others": 0.11}
#: (competitor, channel) -> (followers on START, monthly growth, posts a month, ER/follower).
COMPETITORS = {
    ("Fieldgate Software", "linkedin"): (24_000, 0.012, 22, 0.004),
    ("Fieldgate Software", "instagram"): (3_900, 0.006, 8, 0.018),
    ("Quantly", "linkedin"): (5_200, 0.025, 14, 0.009),
    ("Quantly", "instagram"): (6_800, 0.020, 16, 0.020),
    ("Quantly", "tiktok"): (14_500, 0.060, 14, 0.045),
    ("Ostara Systems", "linkedin"): (41_000, 0.006, 18, 0.002),
}
CARE_PER_DAY = {"linkedin": 0.6, "instagram": 0.35, "tiktok": 0.3}
LEADS_PER_DAY = {"linkedin": 1.2, "instagram": 0.12, "tiktok": 0.25}
BUDGET = Budget(
    ads={"linkedin": 2_400, "instagram": 350, "tiktok": 600},
    hours={"linkedin": (40, 55), "instagram": (12, 18), "tiktok": (20, 30)},
    always_on={
        "linkedin": "Always-on: operations leaders",
        "instagram": "Life at Brightlane",
        "tiktok": "Ops explained",
    },
    campaigns=("New-year planning",) * 2
    + ("Year-end close",) * 2
    + ("Expo season",) * 2
    + ("Summer webinars",) * 2
    + ("Budget season",) * 3
    + ("Wrap-up",),
    steady=("linkedin",),
)
UK_REGIONS = {
    "North West": 0.3,
    "West Midlands": 0.15,
    "Yorkshire and the Humber": 0.2,
    "London": 0.2,
    "Scotland": 0.15,
}
#: The CRM extract: contacts of client companies. ``orders_12m`` counts contracts signed or
#: renewed in 12 months and ``basket`` the average annual contract value (GBP).
CUSTOMER_SEGMENTS = {
    # the brief's Olivia: operations leads 35-54 on LinkedIn, operations and supply chain
    "olivia": Segment(
        240,
        (42, 6.0, 30, 56),
        {"female": 0.46, "male": 0.52, "other": 0.02},
        {"linkedin": 0.72, "none": 0.18, "instagram": 0.05, "tiktok": 0.05},
        {"operations": 0.9, "supply chain": 0.6, "analytics": 0.35, "technology": 0.25},
        UK_REGIONS,
        (1, 0.4),
        14_000.0,
        ("2018-01-01", "2026-09-30"),
    ),
    # the brief's Sam: data analysts 25-44 on LinkedIn and TikTok, analytics and technology
    "sam": Segment(
        170,
        (31, 4.5, 24, 44),
        {"female": 0.42, "male": 0.55, "other": 0.03},
        {"linkedin": 0.55, "tiktok": 0.2, "instagram": 0.15, "none": 0.1},
        {"analytics": 0.9, "technology": 0.6, "operations": 0.3},
        UK_REGIONS,
        (0, 0.8),
        6_000.0,
        ("2022-01-01", "2026-09-30"),
    ),
    # finance directors who sign the contracts: LinkedIn or nothing
    "finance": Segment(
        80,
        (49, 4.5, 38, 62),
        {"female": 0.4, "male": 0.6},
        {"linkedin": 0.6, "none": 0.4},
        {"finance": 0.9, "operations": 0.4, "analytics": 0.3},
        UK_REGIONS,
        (1, 0.3),
        22_000.0,
        ("2018-01-01", "2025-12-31"),
    ),
}
CUSTOMER_MISSING = {"age": 0.25, "gender": 0.1, "region": 0.03, "channel": 0.05, "interests": 0.12}


def audience(rng: np.random.Generator) -> pd.DataFrame:
    """Demographic shares: age on Instagram and TikTok, LinkedIn's own breakdowns (no age)."""
    parts = [demo.audience(rng, labels, common, own) for labels, common, own in AUDIENCE.values()]
    return pd.concat(parts, ignore_index=True)


# --- the whole world ------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """Everything the generator draws: the exports' contents and the template tables."""

    posts: pd.DataFrame  # one row per post, every metric (see :func:`posts`)
    mentions: pd.DataFrame  # one row per mention
    followers: pd.DataFrame  # daily followers of the three profiles (TikTok's go to its export)
    tables: dict[str, pd.DataFrame]  # the template tables, by name
    seed: int  # what the exports draw besides (TikTok's daily series) comes from it too


def build(seed: int = DEFAULT_SEED, effects: Effects = EFFECTS) -> World:
    """Draw the world; the same seed and effects always give the same world."""
    rngs = dict(zip(STREAMS, np.random.default_rng(seed).spawn(len(STREAMS)), strict=True))
    follower_table = demo.followers(rngs["followers"], PROFILES, DAYS)
    tables = {
        "followers": follower_table[follower_table["channel"] != "tiktok"],
        "audience": audience(rngs["audience"]),
        "competitors": demo.competitors(rngs["competitors"], COMPETITORS, MONTHS, SEASON),
        "care": demo.care(rngs["care"], CARE_PER_DAY, DAYS, TZ),
        "leads": demo.leads(rngs["leads"], LEADS_PER_DAY, DAYS, DAY_SEASON, 0.22, (1_800, 6_500)),
        "spend": demo.spend(rngs["spend"], BUDGET, MONTHS, SEASON),
        "customers": demo.customers(rngs["customers"], CUSTOMER_SEGMENTS, CUSTOMER_MISSING),
    }
    return World(
        posts(rngs["posts"], follower_table, effects),
        demo.mentions(rngs["mentions"], listening=LISTENING),
        follower_table,
        tables,
        seed,
    )


# --- the planted truths ---------------------------------------------------------------------


@dataclass(frozen=True)
class Truths:
    """What the imported tables must show (each checked with plain pandas by tests/unit/test_b2b_data.py)."""

    #: 1. TikTok's engagement rate (interactions / impressions, ratio of sums) in LAST_QUARTER is at
    #: least this many times its rate in QUARTER_BEFORE.
    tiktok_rise: float
    quarter_before: tuple[pd.Timestamp, pd.Timestamp]
    last_quarter: tuple[pd.Timestamp, pd.Timestamp]
    #: 2. The best slot (weekday, hour; Monday 0) in local time, its lift over each network's
    #: other posts at least ``slot_lift``; LinkedIn's weekend share at most ``linkedin_weekend``.
    slot: tuple[int, int]
    slot_lift: float
    linkedin_weekend: float
    weekend_linkedin_posts: int
    #: 3. Networks with and without age in the audience table.
    age_known: tuple[str, ...]
    age_unknown: tuple[str, ...]
    #: 4. Sponsored LinkedIn posts (paid flag), and that Instagram has stories.
    sponsored_linkedin: int
    stories_on: str
    #: 5. Networks whose exports give reach per post, and those that do not.
    reach_known: tuple[str, ...]
    reach_unknown: tuple[str, ...]
    networks: tuple[str, ...]
    timezone: str


TRUTHS = Truths(
    tiktok_rise=1.4,
    quarter_before=QUARTER_BEFORE,
    last_quarter=LAST_QUARTER,
    slot=SLOT,
    slot_lift=1.4,
    linkedin_weekend=0.02,
    weekend_linkedin_posts=WEEKEND_LINKEDIN,
    age_known=("instagram", "tiktok"),
    age_unknown=("linkedin",),
    sponsored_linkedin=SPONSORED_LINKEDIN,
    stories_on="instagram",
    reach_known=("instagram",),
    reach_unknown=("linkedin", "tiktok"),
    networks=tuple(PROFILES),
    timezone=TZ,
)
