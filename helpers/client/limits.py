"""How big a client's input file may be, checked before it is read into memory.

Two limits apply to every file of ``exports/`` and ``tables/``:

* **bytes**: a file's size, and for a zip (an export download, or an ``.xlsx`` workbook, which is
  a zip too) the decompressed size of each member, read from the archive's directory before
  anything is decompressed. Default :data:`DEFAULT_MAX_BYTES` (500 MB).
* **rows**: the rows of one CSV or one sheet, counted as they are read, so that reading stops at
  the first row past the limit. Default :data:`DEFAULT_MAX_ROWS` (5 million).

Both are raised for one command with ``--max-bytes`` and ``--max-rows`` (``check``, ``import``,
``run``), or for every command with the environment variables ``WORKBOOK_MAX_BYTES`` and
``WORKBOOK_MAX_ROWS``. Sizes are written ``800MB``, ``2GB``, ``1.5G`` or in bytes.
"""

from __future__ import annotations

import os
import re

DEFAULT_MAX_BYTES = 500 * 1000**2
DEFAULT_MAX_ROWS = 5_000_000
BYTES_VARIABLE = "WORKBOOK_MAX_BYTES"
ROWS_VARIABLE = "WORKBOOK_MAX_ROWS"

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3}
_UNITS |= {"kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_size(text: str | int) -> int:
    """Bytes from ``800MB``, ``2GB``, ``1.5G``, ``512MiB`` or a plain number of bytes.

    Raises:
        ValueError: not a positive size; the message says how to write one.
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(text))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS or float(match.group(1)) <= 0:
        raise ValueError(f"expected a size such as 800MB, 2GB or 1500000000, got {text!r}")
    return int(float(match.group(1)) * _UNITS[unit])


def parse_rows(text: str | int) -> int:
    """A positive whole number of rows (``5000000``, ``5_000_000`` or ``5,000,000``)."""
    cleaned = re.sub(r"[\s_,]", "", str(text))
    if not cleaned.isdigit() or int(cleaned) <= 0:
        raise ValueError(f"expected a positive number of rows such as 10000000, got {text!r}")
    return int(cleaned)


def max_bytes() -> int:
    """The size limit in force (``WORKBOOK_MAX_BYTES``, else the default)."""
    value = os.environ.get(BYTES_VARIABLE, "").strip()
    return parse_size(value) if value else DEFAULT_MAX_BYTES


def max_rows() -> int:
    """The row limit in force (``WORKBOOK_MAX_ROWS``, else the default)."""
    value = os.environ.get(ROWS_VARIABLE, "").strip()
    return parse_rows(value) if value else DEFAULT_MAX_ROWS


def configure(max_bytes: str | int | None = None, max_rows: str | int | None = None) -> None:
    """Set the limits for this process and the processes it starts (a command's flags)."""
    if max_bytes is not None:
        os.environ[BYTES_VARIABLE] = str(parse_size(max_bytes))
    if max_rows is not None:
        os.environ[ROWS_VARIABLE] = str(parse_rows(max_rows))


def shown(size: int) -> str:
    """A size as people read it: ``512 MB``, ``1.2 GB``, ``830 KB``."""
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def too_big(what: str, size: int) -> str | None:
    """The sentence refusing ``what`` of ``size`` bytes, or None when it is within the limit."""
    limit = max_bytes()
    if size <= limit:
        return None
    return (
        f"{what} is {shown(size)}, above the limit of {shown(limit)} per file; raise it with "
        f"--max-bytes or {BYTES_VARIABLE} if the file is meant to be that big"
    )


def too_many_rows(rows: int) -> str | None:
    """The sentence refusing a file of more than ``rows`` rows, or None within the limit."""
    limit = max_rows()
    if rows <= limit:
        return None
    return (
        f"more than {limit:,} rows, the limit per file; raise it with --max-rows or {ROWS_VARIABLE} "
        "if the file is meant to be that big (or read big tables with 'workbook kpis --big')"
    )
