"""Write the demo client's folder from the seeded world of :mod:`tools.demo.world`.

``python -m tools.demo [--out CLIENT_FOLDER] [--seed N]`` (or ``make demo-data``) rewrites
``data/clients/demo/exports`` and ``data/clients/demo/tables``; the same seed gives
byte-identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from helpers.config import client_dir
from tools.demo import exports as demo_exports
from tools.demo.world import DEFAULT_SEED, EFFECTS, Effects, build, template_columns


def _write_table(frame: pd.DataFrame, name: str, folder: Path) -> int:
    """Write one template table with its columns in order; dates as ``YYYY-MM-DD``."""
    frame = frame[template_columns(name)].copy()
    if "date" in frame:
        frame["date"] = pd.DatetimeIndex(frame["date"]).strftime("%Y-%m-%d")
    frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    return len(frame)


def generate(folder: Path, seed: int = DEFAULT_SEED, *, effects: Effects = EFFECTS) -> dict[str, int]:
    """Write the demo client's data into a client folder (created if missing).

    Args:
        folder: the client folder; ``exports/`` gets the platforms' export files and
            ``tables/`` the template tables. Files the generator wrote before (and the
            ``posts.csv`` and ``mentions.csv`` tables it no longer writes) are replaced;
            ``brief.yaml`` and anything else is left alone.
        seed: seed of ``numpy.random.default_rng``; the same seed gives identical files.
        effects: sizes of the planted effects; ``NO_EFFECTS`` gives a flat control data set.

    Returns:
        Data rows written per file, by path relative to ``folder``.
    """
    folder = Path(folder)
    world = build(seed, effects)
    tables_dir, exports_dir = folder / "tables", folder / "exports"
    tables_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("posts.csv", "mentions.csv"):
        (tables_dir / stale).unlink(missing_ok=True)
    counts = {
        f"tables/{name}.csv": _write_table(frame, name, tables_dir) for name, frame in world.tables.items()
    }
    written = demo_exports.write_all(world, exports_dir)
    counts.update({f"exports/{name}": rows for name, rows in written.items()})
    return counts


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m tools.demo [--out CLIENT_FOLDER] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.demo", description="Write the demo client's exports and tables."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=client_dir("demo"),
        help="client folder to write exports/ and tables/ into (default: the demo client's)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    for name, rows in generate(args.out, args.seed).items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
