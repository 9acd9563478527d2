"""Write the demo client's folder from the seeded world of :mod:`tools.demo.world`.

``python -m tools.demo [--out CLIENT_FOLDER] [--seed N]`` (or ``make demo-data``) rewrites
``data/clients/demo/exports`` and ``data/clients/demo/tables``; the same seed gives
byte-identical files.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.config import client_dir
from tools.demo import exports as demo_exports
from tools.demo.world import CAMPAIGN_COLUMNS, DEFAULT_SEED, EFFECTS, Effects, build, template_columns


def _write_table(frame: pd.DataFrame, name: str, folder: Path) -> int:
    """Write one template table with its columns in order; dates as ``YYYY-MM-DD``."""
    frame = frame[template_columns(name)].copy()
    if "date" in frame:
        frame["date"] = pd.DatetimeIndex(frame["date"]).strftime("%Y-%m-%d")
    frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    return len(frame)


def write_campaigns(frame: pd.DataFrame, folder: Path) -> int:
    """Write the optional ``campaigns.csv`` (columns :data:`~tools.demo.world.CAMPAIGN_COLUMNS`)."""
    frame[list(CAMPAIGN_COLUMNS)].to_csv(
        folder / "campaigns.csv", index=False, lineterminator="\n", encoding="utf-8"
    )
    return len(frame)


def write_client(
    folder: Path,
    tables: dict[str, pd.DataFrame],
    write_exports: Callable[[Path], dict[str, int]],
    stale: tuple[str, ...] = (),
) -> dict[str, int]:
    """Write a client's template tables into ``folder/tables`` and its exports into ``folder/exports``.

    Args:
        folder: the client folder (created if missing).
        tables: the template tables, by name.
        write_exports: writes the exports into the folder it is given; data rows per file.
        stale: tables an older generator wrote and this one does not, deleted.

    Returns:
        Data rows written per file, by path relative to ``folder``.
    """
    tables_dir = folder / "tables"
    tables_dir.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (tables_dir / name).unlink(missing_ok=True)
    counts = {f"tables/{name}.csv": _write_table(frame, name, tables_dir) for name, frame in tables.items()}
    written = write_exports(folder / "exports")
    counts.update({f"exports/{name}": rows for name, rows in written.items()})
    return counts


def generate(folder: Path, seed: int = DEFAULT_SEED, *, effects: Effects = EFFECTS) -> dict[str, int]:
    """Write the demo client's data into a client folder (created if missing).

    Args:
        folder: the client folder; ``exports/`` gets the platforms' export files and
            ``tables/`` the template tables and the optional ``campaigns.csv`` (influencer
            campaigns). Files the generator wrote before (and the
            ``posts.csv`` and ``mentions.csv`` tables it no longer writes) are replaced;
            ``brief.yaml`` and anything else is left alone.
        seed: seed of ``numpy.random.default_rng``; the same seed gives identical files.
        effects: sizes of the planted effects; ``NO_EFFECTS`` gives a flat control data set.

    Returns:
        Data rows written per file, by path relative to ``folder``.
    """
    world = build(seed, effects)
    counts = write_client(
        Path(folder),
        world.tables,
        lambda exports: demo_exports.write_all(world, exports),
        stale=("posts.csv", "mentions.csv"),
    )
    if world.campaigns is not None:
        counts["tables/campaigns.csv"] = write_campaigns(world.campaigns, Path(folder) / "tables")
    return counts


def command(
    argv: list[str] | None, module: str, client: str, write: Callable[[Path, int], dict[str, int]], seed: int
) -> None:
    """The command line of a client's generator: ``python -m MODULE [--out CLIENT_FOLDER] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {module}", description=f"Write the {client} client's exports and tables."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=client_dir(client),
        help=f"client folder to write exports/ and tables/ into (default: data/clients/{client})",
    )
    parser.add_argument("--seed", type=int, default=seed, help="random seed")
    args = parser.parse_args(argv)
    for name, rows in write(args.out, args.seed).items():
        print(f"{name}: {rows} rows")


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m tools.demo [--out CLIENT_FOLDER] [--seed N]``."""
    command(argv, "tools.demo", "demo", generate, DEFAULT_SEED)


if __name__ == "__main__":
    main()
