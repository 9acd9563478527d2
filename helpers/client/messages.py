"""How an error about a client's input names the rows at fault."""

from __future__ import annotations

from collections.abc import Sequence


def listed(shown: Sequence[str], total: int) -> str:
    """The rows shown, and how many more there are: ``row 3, row 8 and 12 more``.

    Args:
        shown: the first rows at fault, already written (``row 3 ('abc')``).
        total: how many rows are at fault in all.
    """
    more = f" and {total - len(shown)} more" if total > len(shown) else ""
    return ", ".join(shown) + more
