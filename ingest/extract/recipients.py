"""The recipients of a letter: 'Kính gửi:' with one name on the line or '- …;' lines after it
(or on its line: '- A; - B'); a Công điện's '… điện:' list counts the same way."""

from __future__ import annotations

import logging
import re

from ingest.extract.layout import Line
from ingest.folding import FoldedText

log = logging.getLogger(__name__)

_RECIPIENT_HEAD = re.compile(
    r"^\s*(?:kinh gui|k\w{2,3}h\s+g\w{1,2}i)\s*:?\s*|^.{0,90}\bdien\s*:\s*$"
)
_ITEM = re.compile(r"^\s*[-–—+•]\s*(.*)$")
# Items of a list joined on one line, as text copied from a web page has them: '- A; - B; + C'.
# A dash inside a name ('giáo dục nghề nghiệp - giáo dục thường xuyên') has no ';' before it.
_INLINE_ITEMS = re.compile(r"^\s*[-–—+•]\s*|\s*;\s*[-–—+•]\s*")
def find_recipients(lines: list[Line], stop: int,
                    head_before: int | None = None) -> tuple[list[str], list[int], int | None]:
    """Recipients after 'Kính gửi:' (same line or '- …;' lines); (names, span, last index).
    The 'Kính gửi' line is looked for before `head_before` (the header zone) when given."""
    for line in lines[: min(stop, head_before) if head_before is not None else stop]:
        match = _RECIPIENT_HEAD.match(line.folded)
        if not match:
            continue
        shadow = FoldedText(line.text)
        names, last = [], line.index
        inline = line.text[shadow.to_original(match.end()):].strip(" .;,")
        if _ITEM.match(inline):  # the list run onto the head's line: 'Kính gửi: - A; - B.'
            names.extend(item.strip(" .;,") for item in _INLINE_ITEMS.split(inline)[1:])
        elif sum(c.isalpha() for c in inline) >= 3:
            names.append(inline)
        for following in lines[line.index + 1: stop]:
            item = _ITEM.match(following.text)
            if not following.text.strip():
                if names and following.index > last + 1:
                    break
                continue
            if not item:
                if not names and len(following.text) < 150:  # one recipient on its own line
                    names.append(following.text.strip(" ;,."))
                    last = following.index
                break
            names.append(item.group(1).strip(" ;,."))
            last = following.index
        return [n for n in names if n], [line.start, lines[last].end], last
    return [], [], None
