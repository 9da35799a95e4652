"""Text from outside (file names, letters' fields) made harmless where it is shown.

A file name may hold a newline (a forged report line) or a terminal escape sequence, and a
catalog field may start with `=` (a spreadsheet formula). JSON output stays exact; terminal
and log lines go through `printable`, CSV cells through `csv_cell`.
"""

from __future__ import annotations

import unicodedata

# Shown escaped: control characters (C0, DEL, C1: newlines, ESC), lone surrogates (undecodable
# bytes of a file name), line and paragraph separators, and the bidi controls that reorder what
# the reader sees ("gpj.exe" shown as "exe.jpg"). Other format characters (soft hyphen, joiners)
# are harmless and stay.
_ESCAPED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str, *, keep: str = "") -> str:
    """`text` with control and format characters shown as escapes (\\n, \\x1b, \\u202e).

    `keep` names characters left as they are: "\\n\\t" for a letter's text printed whole."""
    if text.isprintable() and not keep:
        return text
    return "".join(
        _escape(char)
        if char not in keep
        and (char in _BIDI_CONTROLS or unicodedata.category(char) in _ESCAPED_CATEGORIES)
        else char
        for char in text
    )


def _escape(char: str) -> str:
    escaped = repr(char)[1:-1]  # '\n', '\x1b', '\u202e', '\udcff'
    return escaped if escaped != char else f"\\u{ord(char):04x}"


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @ lead to a quote)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
