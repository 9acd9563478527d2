"""Write the Brightlane client's folder from the seeded world of :mod:`tools.clients.b2b.world`.

``python -m tools.clients.b2b [--out CLIENT_FOLDER] [--seed N]`` (or ``make b2b-data``) rewrites
``data/clients/brightlane/exports`` and ``data/clients/brightlane/tables``; the same seed gives
byte-identical files, each export dated (its modification time) as it was downloaded.
``brief.yaml``, ``logo.svg`` and anything else in the folder are left alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from helpers.config import client_dir
from tools.clients.b2b import exports as b2b_exports
from tools.clients.b2b.world import DEFAULT_SEED, EFFECTS, Effects, build
from tools.demo.generate import _write_table

CLIENT = "brightlane"


def generate(folder: Path, seed: int = DEFAULT_SEED, *, effects: Effects = EFFECTS) -> dict[str, int]:
    """Write the Brightlane client's data into a client folder (created if missing).

    Args:
        folder: the client folder; ``exports/`` gets the platforms' export files and ``tables/``
            the template tables. Files the generator wrote before are replaced.
        seed: seed of ``numpy.random.default_rng``; the same seed gives identical files.
        effects: sizes of the planted effects; ``NO_EFFECTS`` gives a control data set.

    Returns:
        Data rows written per file, by path relative to ``folder``.
    """
    folder = Path(folder)
    world = build(seed, effects)
    tables_dir = folder / "tables"
    tables_dir.mkdir(parents=True, exist_ok=True)
    counts = {
        f"tables/{name}.csv": _write_table(frame, name, tables_dir) for name, frame in world.tables.items()
    }
    written = b2b_exports.write_all(world, folder / "exports")
    counts.update({f"exports/{name}": rows for name, rows in written.items()})
    return counts


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m tools.clients.b2b [--out CLIENT_FOLDER] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.clients.b2b", description="Write the Brightlane client's exports and tables."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=client_dir(CLIENT),
        help=f"client folder to write exports/ and tables/ into (default: data/clients/{CLIENT})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    for name, rows in generate(args.out, args.seed).items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
