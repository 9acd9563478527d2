"""Reading the bytes of a client's text files strictly: an encoding is one for the whole file.

A file is UTF-8 (with or without a byte order mark) or UTF-16 (with a BOM, or recognised by its
zero bytes). Exports only may fall back to Windows-1252, and only when the whole file is in it:
a file that holds UTF-8 characters *and* a byte that is not UTF-8 (a value pasted from another
program) is refused with the line and the byte named, never decoded as Windows-1252 (which would
turn every ``é`` into ``Ã©``). Binary files (images, PDFs, archives, programs) and empty files are
refused with what they look like.
"""

from __future__ import annotations

import re

#: Byte order marks, and the encoding of what follows them.
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

#: First bytes of files that are not text, and what they are.
MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.xls or .doc)"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)

#: One well-formed UTF-8 sequence of two to four bytes (a non-ASCII character).
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
}


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like (``"a PNG image"``), or None."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _position(data: bytes, offset: int, encoding: str) -> tuple[int, int, str]:
    """Line (1-based), character in that line, and the line's text around ``offset``."""
    before = data[:offset].decode(encoding, errors="replace")
    line = before.count("\n") + 1
    start = before.rfind("\n") + 1
    column = len(before) - start + 1
    end = data.find(b"\n", offset)
    around = data[: end if end >= 0 else len(data)].decode(encoding, errors="backslashreplace")[start:]
    around = around if len(around) <= 60 else around[max(0, column - 30) : column + 30]
    return line, column, around.strip("\r")


def bad_byte_message(source: str, data: bytes, offset: int, encoding: str, why: str) -> str:
    """The file, line and byte that cannot be decoded, what is around it, and why it is refused."""
    line, column, around = _position(data, offset, encoding)
    byte = data[offset : offset + 1].hex().upper()
    return f'{source}: line {line}, character {column}: byte 0x{byte} {why} (in "{around}")'


def _strict(data: bytes, encoding: str, source: str, error: type[Exception], why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(bad_byte_message(source, data, exc.start, encoding, why)) from None


def decode_text(
    data: bytes, source: str, *, error: type[Exception] = ValueError, fallback: bool = True
) -> tuple[str, str]:
    """The text of a file and the encoding it was read in (``utf-8``, ``utf-16-le``, ``cp1252``...).

    Args:
        data: the file's bytes.
        source: how to name the file in messages.
        error: the exception to raise (``ExportError``, ``DataError``).
        fallback: read a file with no UTF-8 character in it as Windows-1252 when it is not
            UTF-8 (exports); without it, such a file is refused (the workbook's templates).

    Raises:
        error: the file is empty or binary, or one of its bytes does not decode; the message
            names the line, the character and the byte.
    """
    if not data.strip():
        raise error(f"{source}: empty file ({len(data)} bytes): nothing to read; export it again")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            name = ENCODING_NAMES[encoding]
            why = f"is not {name}, although the file starts with a {name} byte order mark"
            return _strict(data[len(bom) :], encoding, source, error, why), encoding
    if len(data) > 3 and data[1:2] == b"\x00" and data[3:4] == b"\x00" and data[0:1] != b"\x00":
        return _strict(data, "utf-16-le", source, error, "is not UTF-16"), "utf-16-le"
    kind = binary_kind(data)
    if kind is not None or b"\x00" in data:
        what = kind or "a binary file (it holds zero bytes)"
        raise error(f"{source}: {what}, not a text file: not an export the workbook can read")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc.start
    if not fallback:
        raise error(bad_byte_message(source, data, first, "utf-8", "is not UTF-8: save the file as UTF-8"))
    if _UTF8_CHARACTER.search(data):
        why = (
            "is not UTF-8, while the rest of the file is UTF-8: a value in another encoding was pasted "
            "in; correct it or save the file again as UTF-8"
        )
        raise error(bad_byte_message(source, data, first, "utf-8", why))
    why = "is neither UTF-8 nor Windows-1252: save the file as UTF-8"
    return _strict(data, "cp1252", source, error, why), "cp1252"
