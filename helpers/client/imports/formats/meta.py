"""Meta Business Suite post exports (Facebook Page and Instagram), English and French headers.

Layouts from the exports themselves: UTF-8 with BOM, a header
row with ``Post ID``, ``Publish time`` (``MM/DD/YYYY HH:MM`` in the account's zone, US order
whatever the language), ``Permalink``, ``Post type`` and the metrics ticked by the user;
``Views`` replaced ``Impressions`` in 2025 exports.
"""

from __future__ import annotations

import pandas as pd

from helpers.client.imports.core import Context, Format, Grid
from helpers.client.imports.formats.common import count_column, first_text, formats_of
from helpers.client.imports.values import timestamps

POST_ID = ("post id", "identifiant de la publication")
PUBLISH = ("publish time", "heure de publication")
PERMALINK = ("permalink", "permalien")
POST_TYPE = ("post type", "type de publication")


def _posts(grid: Grid, ctx: Context, channel: str, account: pd.Series) -> pd.DataFrame:
    published = timestamps(
        grid,
        next(c for c in PUBLISH if c in grid.frame.columns),
        ctx.tz,
        month_first=True,
        ctx=ctx,
        table="posts",
    )
    permalink = grid.col(*PERMALINK)
    return pd.DataFrame(
        {
            "post_id": grid.col(*POST_ID),
            "channel": channel,
            "account": account,
            "published_at": published,
            "format": formats_of(grid.col(*POST_TYPE), permalink),
            "text": first_text(grid, "description", "title", "titre"),
            "permalink": permalink,
            "impressions": count_column(grid, ctx, "posts", "impressions", "views", "vues"),
            "reach": count_column(grid, ctx, "posts", "reach", "couverture", "portée"),
            "reactions": count_column(
                grid, ctx, "posts", "reactions", "likes", "réactions", "mentions j'aime"
            ),
            "comments": count_column(grid, ctx, "posts", "comments", "commentaires"),
            "shares": count_column(grid, ctx, "posts", "shares", "partages"),
            "saves": count_column(grid, ctx, "posts", "saves", "enregistrements"),
            "clicks": count_column(grid, ctx, "posts", "total clicks", "link clicks", "clics sur le lien"),
            "video_views": count_column(grid, ctx, "posts", "3-second video views", "plays"),
        }
    )


def facebook_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    return _posts(grid, ctx, "facebook", first_text(grid, "page name", "nom de la page"))


def instagram_posts(grid: Grid, ctx: Context) -> pd.DataFrame:
    """Instagram posts of the exported account; collab posts of other accounts are left out."""
    account_id = grid.col("account id", "id du compte")
    own = account_id.value_counts().idxmax() if len(account_id) else ""
    others = grid.frame.index[account_id != own]
    if len(others):
        ctx.flag(
            grid, others, "account id", "post of another account (collab), left out", account_id, "posts"
        )
        grid = type(grid)(
            grid.sheet, grid.header_row, grid.columns, grid.frame.loc[account_id == own], grid.preamble
        )
    frame = _posts(grid, ctx, "instagram", first_text(grid, "account username", "nom de profil du compte"))
    stories = grid.frame.index[formats_of(grid.col(*POST_TYPE)) == "other"]
    frame.loc[stories, "format"] = "other"
    return frame


FORMATS = [
    Format(
        "meta_facebook_posts",
        "Meta Business Suite · Facebook posts",
        "posts",
        ("post id", "page id", "publish time", "permalink", "post type"),
        facebook_posts,
        channel="facebook",
    ),
    Format(
        "meta_facebook_posts_fr",
        "Meta Business Suite · publications Facebook (FR)",
        "posts",
        (
            "identifiant de la publication",
            "id de la page",
            "heure de publication",
            "permalien",
            "type de publication",
        ),
        facebook_posts,
        channel="facebook",
    ),
    Format(
        "meta_instagram_posts",
        "Meta Business Suite · Instagram posts",
        "posts",
        ("post id", "account id", "account username", "publish time", "permalink", "post type"),
        instagram_posts,
        excludes=("page id",),
        channel="instagram",
    ),
    Format(
        "meta_instagram_posts_fr",
        "Meta Business Suite · publications Instagram (FR)",
        "posts",
        (
            "identifiant de la publication",
            "id du compte",
            "nom de profil du compte",
            "heure de publication",
            "permalien",
            "type de publication",
        ),
        instagram_posts,
        excludes=("id de la page",),
        channel="instagram",
    ),
]
