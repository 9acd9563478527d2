"""Canonical tables: the columns every importer produces and every KPI reads.

Each table is described once here. ``read_table`` in :mod:`helpers.client.loading` checks a CSV
against these specs and names the file, row and column of anything unexpected.

Kinds:
    ``str``: free text, may be empty.
    ``int``: a non-negative whole count; an empty cell means unknown (never 0).
    ``float``: a number (money, hours, shares); negative refused; empty means unknown.
    Numbers above ``MAX_NUMBER`` (10^15) or infinite are refused; ``low`` and ``high`` narrow a
    column further (an hour is 0 to 23, a share 0 to 1).

``required`` means the column must be there and, for text, dates and choices, filled.
    ``datetime``: ISO 8601 timestamp with a zone (stored in UTC).
    ``date``: ISO date ``YYYY-MM-DD``.
    Dates and timestamps fall between 1990 and 2100.
    ``bool``: true/false, yes/no, 1/0.
    ``choice``: one of ``choices``.

``known`` (numbers only) means the figure must be given: an empty cell is refused instead of read
as unknown (a campaign's cost). A table's ``ordered`` pairs name two date columns of one row that
must come in that order (a campaign's ``end`` on or after its ``start``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Years a date of the brief, an export or a table may fall in: anything else is a typing or an
#: export error (``9999``), never a date to analyse.
YEARS: tuple[int, int] = (1990, 2100)
#: The largest number an export or a table may hold (counts, amounts): anything bigger, or an
#: infinity (``1e309``), is a broken cell, never a figure.
MAX_NUMBER = 1e15

CHANNELS: tuple[str, ...] = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
FORMATS: tuple[str, ...] = ("photo", "video", "reel", "carousel", "story", "text", "link", "other")
SENTIMENTS: tuple[str, ...] = ("positive", "neutral", "negative")
MENTION_SOURCES: tuple[str, ...] = CHANNELS + ("news", "blog", "forum", "other")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    description: str = ""
    #: the smallest and largest value a number may take (counts and amounts: 0 and no limit)
    low: float | None = None
    high: float | None = None
    #: a number that must be given on every row (an empty cell is refused, never unknown)
    known: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its file name, columns and unique key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    description: str = ""
    optional: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    #: pairs of date columns (earlier, later) that every row must hold in that order
    ordered: tuple[tuple[str, str], ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


POSTS = TableSpec(
    "posts",
    (
        Column("post_id", "str", description="platform id of the post"),
        Column("channel", "choice", choices=CHANNELS),
        Column("account", "str", required=False, description="handle of the brand's profile"),
        Column("published_at", "datetime", description="publication time, UTC"),
        Column("format", "choice", choices=FORMATS),
        Column("text", "str", required=False),
        Column("permalink", "str", required=False),
        Column("impressions", "int"),
        Column("reach", "int"),
        Column("reactions", "int", description="likes and reactions"),
        Column("comments", "int"),
        Column("shares", "int", description="shares, reposts, retweets"),
        Column("saves", "int", required=False),
        Column("clicks", "int", required=False),
        Column("video_views", "int", required=False),
        Column("follows", "int", required=False, description="follows the post brought (LinkedIn)"),
        Column(
            "engagements",
            "int",
            required=False,
            description="the platform's own count of engagements (X: every click, like, reply, repost...)",
        ),
        Column("paid", "bool", required=False),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("channel", "post_id"),
    description="One row per post published on a profile the brand owns.",
)

FOLLOWERS = TableSpec(
    "followers",
    (
        Column("date", "date"),
        Column("channel", "choice", choices=CHANNELS),
        Column("account", "str", required=False),
        Column("followers", "int", required=False, description="community size at the end of the day"),
        Column("gained", "int", required=False),
        Column("lost", "int", required=False),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("date", "channel", "account"),
    description="Community size per profile over time.",
)

MENTIONS = TableSpec(
    "mentions",
    (
        Column("mention_id", "str"),
        Column("published_at", "datetime"),
        Column("channel", "choice", choices=MENTION_SOURCES),
        Column("author", "str", required=False),
        Column("author_followers", "int", required=False),
        Column("text", "str", required=False),
        Column("url", "str", required=False),
        Column("reach", "int", required=False),
        Column("engagement", "int", required=False),
        Column("sentiment", "choice", choices=SENTIMENTS),
        Column("emotion", "str", required=False),
        Column("brand", "str", required=False, description="brand named: the client or a competitor"),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("mention_id",),
    description="Listening: mentions of the brand and of its competitors.",
)

AUDIENCE = TableSpec(
    "audience",
    (
        Column("channel", "choice", choices=CHANNELS),
        Column("dimension", "str", description="age, gender, country, city, interest..."),
        Column("value", "str"),
        Column("share", "float", description="fraction of the audience, 0 to 1", low=0, high=1),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("channel", "dimension", "value"),
    description="Audience demographics per channel, as the platforms report them.",
)

#: What the competitors table's ``interactions`` counts (benchmark tools see no saves): the brand's
#: side of a benchmark counts the same columns of its posts, so the comparison is like for like.
COMPETITOR_INTERACTIONS: tuple[str, ...] = ("reactions", "comments", "shares")

COMPETITORS = TableSpec(
    "competitors",
    (
        Column("date", "date", description="first day of the month"),
        Column("brand", "str"),
        Column("channel", "choice", choices=CHANNELS),
        Column("followers", "int", description="community size at the end of the month"),
        Column("posts", "int", description="posts published in the month"),
        Column("interactions", "int", description=" + ".join(COMPETITOR_INTERACTIONS) + " in the month"),
    ),
    key=("date", "brand", "channel"),
    description="Competitors' monthly figures per channel (benchmark tools, manual survey).",
)

CARE = TableSpec(
    "care",
    (
        Column("message_id", "str"),
        Column("received_at", "datetime"),
        Column("answered_at", "datetime", required=False, description="empty when unanswered"),
        Column("resolved", "bool"),
        Column("channel", "choice", choices=CHANNELS),
        Column("type", "str", description="question, complaint, praise, other"),
    ),
    key=("message_id",),
    description="Customer-care messages received on the brand's profiles.",
)

LEADS = TableSpec(
    "leads",
    (
        Column("date", "date"),
        Column("channel", "choice", choices=CHANNELS),
        Column("leads", "int", description="marketing leads attributed to the channel"),
        Column("sqls", "int", description="of which sales-qualified leads"),
        Column("revenue", "float", description="revenue attributed, in the brief's currency"),
        Column(
            "persona", "str", required=False, description="the brief persona the CRM gives the lead, if any"
        ),
    ),
    key=("date", "channel", "persona"),
    description="Leads and revenue from social, from the CRM.",
)

SPEND = TableSpec(
    "spend",
    (
        Column("date", "date"),
        Column("channel", "choice", choices=CHANNELS),
        Column("campaign", "str", required=False),
        Column("amount", "float", description="money spent, in the brief's currency"),
        Column("hours", "float", description="team hours spent"),
    ),
    key=("date", "channel", "campaign"),
    description="Money and time invested per channel.",
)

VISITS = TableSpec(
    "visits",
    (
        Column("date", "date"),
        Column("channel", "choice", choices=CHANNELS),
        Column("account", "str", required=False),
        Column("page_views", "int", required=False),
        Column("unique_visitors", "int", required=False),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("date", "channel", "account"),
    description="Visits of the brand's pages (social visits), per day.",
)

ACCOUNT_DAILY = TableSpec(
    "account_daily",
    (
        Column("date", "date"),
        Column("channel", "choice", choices=CHANNELS),
        Column("account", "str", required=False),
        Column(
            "impressions",
            "int",
            required=False,
            description="times the profile's content was shown that day, older posts included",
        ),
        Column("reach", "int", required=False, description="people who saw the profile's content that day"),
        Column("engagements", "int", required=False, description="interactions with the content that day"),
        Column("profile_visits", "int", required=False, description="clicks or visits to the profile"),
        Column("follows", "int", required=False, description="new follows that day"),
        Column("viewers", "int", required=False, description="people who viewed the content that day"),
        Column("new_viewers", "int", required=False, description="of which viewers new to the profile"),
        Column("returning_viewers", "int", required=False, description="of which viewers seen before"),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("date", "channel", "account"),
    description="Account-level activity per profile and day, as the networks count it.",
)

ACTIVITY = TableSpec(
    "activity",
    (
        Column("date", "date"),
        Column(
            "hour", "int", description="hour of the day, 0 to 23, in the client's time zone", low=0, high=23
        ),
        Column("channel", "choice", choices=CHANNELS),
        Column("account", "str", required=False),
        Column("active_followers", "int", required=False, description="followers online in that hour"),
        Column("source", "str", required=False, description="export file the row comes from"),
    ),
    key=("date", "hour", "channel", "account"),
    description="Followers online per hour and day, as the network counts them (a second signal for "
    "the best time to post).",
)

GENDERS: tuple[str, ...] = ("female", "male", "other")
CUSTOMER_ORIGINS: tuple[str, ...] = ("crm", "survey")
#: The network a customer follows the brand on (or prefers); ``none`` when they follow none.
CUSTOMER_CHANNELS: tuple[str, ...] = CHANNELS + ("none",)

CUSTOMERS = TableSpec(
    "customers",
    (
        Column("customer_id", "str", description="the CRM's or the survey's id of the person"),
        Column("origin", "choice", choices=CUSTOMER_ORIGINS, description="crm (a customer) or survey"),
        Column("age", "int", required=False, description="age in years; empty when unknown", low=0, high=120),
        Column("gender", "choice", required=False, choices=GENDERS, description="empty when unknown"),
        Column("region", "str", required=False, description="region or city, as the CRM writes it"),
        Column(
            "channel",
            "choice",
            required=False,
            choices=CUSTOMER_CHANNELS,
            description="the network the person follows the brand on or prefers; none if none",
        ),
        Column("interests", "str", required=False, description="semicolon-separated: skincare;zero waste"),
        Column("orders_12m", "int", required=False, description="orders in the last 12 months"),
        Column("basket", "float", required=False, description="average basket, in the brief's currency"),
        Column("customer_since", "date", required=False, description="first purchase or sign-up"),
    ),
    key=("origin", "customer_id"),
    description="Individual-level records (CRM extract or survey), clustered into personas.",
    optional=True,
)

CAMPAIGNS = TableSpec(
    "campaigns",
    (
        Column("campaign", "str", description="the campaign's name"),
        Column("influencer", "str", description="the influencer's handle or name"),
        Column("network", "choice", choices=CHANNELS, description="the network the influencer posted on"),
        Column("start", "date", description="first day of the campaign"),
        Column("end", "date", description="last day of the campaign (on or after start)"),
        Column("cost", "float", known=True, description="what the campaign cost, in the brief's currency"),
        Column("posts", "int", description="posts the influencer published for it; empty when unknown"),
        Column("reach", "int", description="people the campaign's posts reached; empty when unknown"),
        Column("interactions", "int", description="interactions on the campaign's posts; empty when unknown"),
        Column("clicks", "int", description="clicks to the brand's site or link; empty when unknown"),
        Column("leads", "int", description="leads the campaign brought; empty when unknown"),
        Column("revenue", "float", description="revenue attributed, brief currency; empty when unknown"),
    ),
    key=("campaign", "influencer", "network"),
    description="Influencer campaigns: one row per campaign, influencer and network, with what it "
    "cost and brought.",
    optional=True,
    ordered=(("start", "end"),),
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        POSTS,
        FOLLOWERS,
        MENTIONS,
        AUDIENCE,
        COMPETITORS,
        CARE,
        LEADS,
        SPEND,
        VISITS,
        ACCOUNT_DAILY,
        ACTIVITY,
        CUSTOMERS,
        CAMPAIGNS,
    )
}
