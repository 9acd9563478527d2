"""Write the Brightlane client's folder from the seeded world of :mod:`tools.clients.b2b.world`.

``python -m tools.clients.b2b [--out CLIENT_FOLDER] [--seed N]`` (or ``make b2b-data``) rewrites
``data/clients/brightlane/exports`` and ``data/clients/brightlane/tables``; the same seed gives
byte-identical files, each export dated (its modification time) as it was downloaded.
``brief.yaml``, ``logo.svg`` and anything else in the folder are left alone.
"""

from __future__ import annotations

from pathlib import Path

from tools.clients.b2b import exports as b2b_exports
from tools.clients.b2b.world import DEFAULT_SEED, EFFECTS, Effects, build
from tools.demo.generate import command, write_client

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
    world = build(seed, effects)
    return write_client(Path(folder), world.tables, lambda exports: b2b_exports.write_all(world, exports))


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m tools.clients.b2b [--out CLIENT_FOLDER] [--seed N]``."""
    command(argv, "tools.clients.b2b", CLIENT, generate, DEFAULT_SEED)


if __name__ == "__main__":
    main()
