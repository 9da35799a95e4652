"""The extractor on letters as staff copy them from web portals: per-field accuracy per variant.

A letter copied from a web page does not look like the letter: the header's two columns come out
on one line or one cell after the other, blank lines go, the number runs into 'V/v …', the site's
navigation and a 'Ngày đăng … Lượt xem …' line come first, the signing block's lines are joined.
This bench makes each of those damages, one named variant at a time and all together
(`portal_copy`), from the development documents read at run time (never copied into the
repository):

- the gazette texts of REALSET/gazette with their truth in tests/data/realset/gazette (real
  documents: `--show-misses` is for the terminal only), and
- the letters of tests/data/devset (fictional office letters, with their expected records),

and scores each variant's records field by field with bench.realset's rules, beside the plain
text's. Every variant is deterministic (same input, same text), and made from the layout alone:
the header zone (the lines before the type heading, 'Kính gửi' or the preamble), its columns
(issuer lines, the motto, the number line, the place and date line, 'V/v' lines), the 'Kính gửi'
block and the signing block (the lines above the signer's name, found from the truth).

    .venv/bin/python -m bench.portal [--jobs 2] [--limit N] [--variants a,b] [--show-misses]
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from bench.realset import REALSET, ROOT, TRUTH, Scores, _machine
from ingest.folding import fold
from ingest.model import Page
from ingest.recipe import extract_pages

DEVSET = ROOT / "tests" / "data" / "devset"

# The rows the report shows (bench.realset's scorers; the others are parts of these).
SHOWN = ("number", "symbol", "doc_type", "date", "issuer", "parent_issuer", "place", "subject",
         "signer", "recipients (F1)", "distribution (F1)", "citations (F1)", "task count")

_MOTTO = re.compile(r"^\s*(?:CỘNG HÒA|CỘNG HOÀ|ĐẢNG CỘNG SẢN|Độc lập|ĐỘC LẬP)", re.IGNORECASE)
_RULE = re.compile(r"^[\s_\-–—=*.]+$")  # the short rules under the header's lines
_NUMBER_LINE = re.compile(r"^\s*(?:Số|Nghị quyết số|Luật số)\s*:?", re.IGNORECASE)
_DATE_LINE = re.compile(r",?\s*ngày\s+(?:\d|…|\.)", re.IGNORECASE)
_VV = re.compile(r"^\s*(?:V/v|Về việc)\b", re.IGNORECASE)
_HEADER_END = re.compile(
    r"^\s*(?:Kính gửi|Căn cứ|Theo|Thực hiện|Để|Trong|Ngày)\b|^\s*(?i:CÔNG VĂN|CÔNG ĐIỆN|"
    r"QUYẾT ĐỊNH|NGHỊ ĐỊNH|NGHỊ QUYẾT|THÔNG TƯ|THÔNG BÁO|KẾ HOẠCH|TỜ TRÌNH|BÁO CÁO|CHỈ THỊ|"
    r"GIẤY MỜI|BIÊN BẢN|PHIẾU TRÌNH|LUẬT|HƯỚNG DẪN|CHƯƠNG TRÌNH|QUY ĐỊNH|ĐỀ ÁN|VĂN BẢN HỢP "
    r"NHẤT|THÔNG TƯ LIÊN TỊCH)\s*$|^.{120}")  # a heading, the body's first words, or prose
_HEADER_REACH = 25  # lines: a header zone is never longer


@dataclass(frozen=True)
class Header:
    """Where the header's parts are, as line indexes of the text (empty when not found)."""
    end: int  # the first line after the header zone
    issuer: list[int]  # the left column's lines above the number (issuer, parent)
    motto: list[int]
    number: list[int]
    date: list[int]
    vv: list[int]  # 'V/v …' and its continuation lines


def _header(lines: list[str]) -> Header:
    end = next((i for i, line in enumerate(lines[:_HEADER_REACH]) if i > 1
                and _HEADER_END.match(line)), min(len(lines), _HEADER_REACH))
    issuer, motto, number, date, vv = [], [], [], [], []
    in_vv = False
    for i, line in enumerate(lines[:end]):
        text = line.strip()
        if not text or _RULE.match(text):
            continue  # a subject's lines may have blank lines between them
        if _MOTTO.match(text):
            motto.append(i)
        elif _NUMBER_LINE.match(text):
            number.append(i)
        elif _DATE_LINE.search(text) and not vv and not in_vv:
            date.append(i)
        elif _VV.match(text) or (in_vv and not _DATE_LINE.search(text)
                                 and text.upper() != text):
            vv.append(i)
            in_vv = True
            continue
        elif _DATE_LINE.search(text):
            date.append(i)
        elif not number and text.upper() == text and len(text) > 2:
            issuer.append(i)
        in_vv = False
    return Header(end, issuer, motto, number, date, vv)


def _signing_block(lines: list[str], name: str | None) -> list[int]:
    """The lines of the signing block: the signer's name and the lines just above it that are
    in capitals, '(Đã ký)' or a title, up to the first line of prose or of 'Nơi nhận'."""
    if not name:
        return []
    folded = fold(name)
    at = next((i for i in range(len(lines) - 1, -1, -1) if folded in fold(lines[i])), None)
    if at is None:
        return []
    block = [at]
    for i in range(at - 1, max(-1, at - 9), -1):
        text = lines[i].strip()
        if not text or _RULE.match(text):
            continue
        if (text.endswith((".", ";", ":", ",")) or text.startswith(("-", "+", "Nơi nhận"))
                or len(text) > 60):
            break
        block.append(i)
    return sorted(block)


def _recipients_block(lines: list[str]) -> list[int]:
    """'Kính gửi:' and the list lines under it ('- …;'), up to the first other line."""
    start = next((i for i, line in enumerate(lines[:60]) if re.match(r"\s*Kính gửi", line)),
                 None)
    if start is None:
        return []
    block = [start]
    for i in range(start + 1, min(len(lines), start + 30)):
        text = lines[i].strip()
        if not text:
            continue
        if not text.startswith(("-", "+", "•")):
            break
        block.append(i)
    return block


# -- the variants ------------------------------------------------------------------------------

Variant = Callable[[str, dict[str, Any]], str]


def _join(lines: list[str], groups: list[list[int]], separator: str = " ") -> list[str]:
    """Each group of line indexes becomes one line (at its first index), the others dropped."""
    out: list[str | None] = list(lines)
    for group in groups:
        group = sorted(group)
        if len(group) < 2:
            continue
        out[group[0]] = separator.join(lines[i].strip() for i in group)
        for i in group[1:]:
            out[i] = None
    return [line for line in out if line is not None]


def plain(text: str, _truth: dict[str, Any]) -> str:
    """The text as it is (the reference)."""
    return text


def no_blank_lines(text: str, _truth: dict[str, Any]) -> str:
    """Every blank line gone (a page's paragraphs copied without their margins)."""
    return "\n".join(line for line in text.splitlines() if line.strip())


def header_one_line(text: str, _truth: dict[str, Any]) -> str:
    """The header's table rows flattened: each issuer line with the motto line beside it, the
    number line with the place and date line beside it, on one line each."""
    lines = text.splitlines()
    header = _header(lines)
    left = header.issuer + header.number
    right = header.motto + header.date
    rows = [[a, b] for a, b in zip(header.issuer, header.motto, strict=False)]
    if header.number and header.date:
        rows.append([header.number[0], header.date[0]])
    paired = {i for row in rows for i in row}
    if not rows or not (set(left) | set(right)) & paired:
        return text
    out: list[str] = []
    for i, line in enumerate(lines):
        row = next((row for row in rows if row[0] == i), None)
        if row is not None:
            out.append(" ".join(lines[j].strip() for j in row))
        elif i not in paired:
            out.append(line)
    return "\n".join(out)


def header_interleaved(text: str, _truth: dict[str, Any]) -> str:
    """The header's cells one per line, row by row: issuer line, motto line, next issuer line,
    next motto line …, then the number, then the place and date (a table copied cell by cell)."""
    lines = text.splitlines()
    header = _header(lines)
    if not header.issuer or not header.motto:
        return text
    cells: list[int] = []
    for k in range(max(len(header.issuer), len(header.motto))):
        cells += header.issuer[k:k + 1] + header.motto[k:k + 1]
    cells += header.number + header.date
    moved = set(cells)
    first = min(moved)
    out = [line for i, line in enumerate(lines[:first]) if i not in moved]
    out += [lines[i] for i in cells]
    out += [line for i, line in enumerate(lines[first:], first) if i not in moved]
    return "\n".join(out)


def vv_glued(text: str, _truth: dict[str, Any]) -> str:
    """The number line glued to the 'V/v …' lines (no space between the symbol and 'V/v'), the
    subject's lines joined: '… Số: 12/UBND-VXV/v tăng cường …'."""
    lines = text.splitlines()
    header = _header(lines)
    if not header.number or not header.vv:
        return text
    number = header.number[0]
    subject = " ".join(lines[i].strip() for i in header.vv)
    glued = lines[number].rstrip() + subject
    return "\n".join(glued if i == number else line for i, line in enumerate(lines)
                     if i not in header.vv)


def recipients_joined(text: str, _truth: dict[str, Any]) -> str:
    """'Kính gửi:' and its list on one line ('Kính gửi: - A; - B; - C.')."""
    lines = text.splitlines()
    return "\n".join(_join(lines, [_recipients_block(lines)]))


def signing_joined(text: str, truth: dict[str, Any]) -> str:
    """The signing block's lines on one line: 'KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC (Đã ký) Trần Văn A'."""
    lines = text.splitlines()
    name = (truth.get("signer") or {}).get("name")
    return "\n".join(_join(lines, [_signing_block(lines, name)]))


_KEPT_CAPS = re.compile(
    r"^(?:UBND|HĐND|MTTQ|BCH|TM\.|KT\.|TL\.|TUQ\.|Q\.|TP\.|T/M|K/T|T/L|\W+|.*\d.*)$")


def _title_case(line: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH SƠN LA' → 'Ủy Ban Nhân Dân Tỉnh Sơn La' (abbreviations kept)."""
    return " ".join(word if _KEPT_CAPS.match(word) else word[:1] + word[1:].lower()
                    for word in line.split(" "))


def as_typed(text: str, truth: dict[str, Any]) -> str:
    """The capitals a page's style sheet draws are not in the copied text: the header's
    issuer and motto lines, the type heading and the signing block's capital lines come in
    title case ('Ủy Ban Nhân Dân Tỉnh Sơn La', 'Kế Hoạch', 'KT. Giám Đốc')."""
    lines = text.splitlines()
    header = _header(lines)
    heading = [i for i in range(header.end, min(len(lines), header.end + 3))
               if _HEADER_END.match(lines[i]) and lines[i].strip().isupper()]
    name = (truth.get("signer") or {}).get("name")
    signing = [i for i in _signing_block(lines, name) if lines[i].strip().isupper()]
    changed = set(header.issuer + header.motto + heading + signing)
    if not changed:
        return text
    return "\n".join(_title_case(line) if i in changed else line
                     for i, line in enumerate(lines))


def portal_record(text: str, truth: dict[str, Any]) -> str:
    """The page's record of the letter instead of its header: 'Số ký hiệu:', 'Ngày ban hành:',
    'Loại văn bản:', 'Cơ quan ban hành:', 'Người ký:', 'Trích yếu:' (the site's values, here
    the truth's), then the letter from the end of its header zone (a type heading, 'Kính gửi' or
    the preamble) on."""
    lines = text.splitlines()
    header = _header(lines)
    if not header.number and not header.issuer:
        return text
    signer = (truth.get("signer") or {}).get("name")
    date = truth.get("date") or ""
    shown = "/".join(reversed(date.split("-"))) if len(date) == 10 else None
    record = [(label, value) for label, value in (
        ("Số ký hiệu", truth.get("reference")), ("Ngày ban hành", shown),
        ("Loại văn bản", truth.get("doc_type")), ("Cơ quan ban hành", truth.get("issuer")),
        ("Người ký", signer), ("Trích yếu", truth.get("subject"))) if value]
    return "\n".join([*(f"{label}: {value}" for label, value in record), "",
                      *lines[header.end:]])


_CHROME_BEFORE = (
    "Trang chủ | Giới thiệu | Tin tức - Sự kiện | Văn bản | Thủ tục hành chính | Liên hệ",
    "Trang chủ » Văn bản » Văn bản chỉ đạo điều hành",
    "Ngày đăng: 14/02/2026 08:35 | Lượt xem: 1.284",
    "Cỡ chữ: A- A A+ | In trang | Chia sẻ",
)
_CHROME_AFTER = (
    "Tệp đính kèm: van-ban.pdf (Tải về)",
    "Các tin khác",
    "Bản quyền thuộc Cổng thông tin điện tử. Địa chỉ: số 1 đường Trung tâm.",
    "Điện thoại: 0123 456 789",
)


def portal_chrome(text: str, _truth: dict[str, Any]) -> str:
    """The site around the letter: navigation, breadcrumb, a 'Ngày đăng … Lượt xem …' line
    before it, attachments and the site's footer after it."""
    return "\n".join([*_CHROME_BEFORE, "", text.strip("\n"), "", *_CHROME_AFTER])


def portal_copy(text: str, truth: dict[str, Any]) -> str:
    """All of it: capitals as typed, the signing block and 'Kính gửi' joined, the header's rows
    flattened with the number glued to 'V/v', the site around it, no blank lines."""
    for damage in (as_typed, signing_joined, recipients_joined, vv_glued, header_one_line,
                   portal_chrome, no_blank_lines):
        text = damage(text, truth)
    return text


VARIANTS: dict[str, Variant] = {
    variant.__name__: variant for variant in (
        plain, no_blank_lines, header_one_line, header_interleaved, vv_glued, recipients_joined,
        signing_joined, as_typed, portal_chrome, portal_record, portal_copy)
}


# -- running -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    truth: dict[str, Any]


def documents(realset: Path, truth: Path, devset: Path) -> dict[str, list[Document]]:
    """The two sets, read now: {'gazette': […], 'devset': […]} (a set whose files are absent
    is empty)."""
    found: dict[str, list[Document]] = {"gazette": [], "devset": []}
    for path in sorted((truth / "gazette").glob("*.json")):
        document = realset / "gazette" / f"{path.stem}.txt"
        if document.exists():
            want = json.loads(path.read_text(encoding="utf-8"))
            want.pop("annotation", None)
            found["gazette"].append(Document(document.name, document.read_text(encoding="utf-8"),
                                             want))
    for path in sorted(devset.glob("*.json")):
        letter = path.with_suffix(".txt")
        if letter.exists():
            found["devset"].append(Document(letter.name, letter.read_text(encoding="utf-8"),
                                            json.loads(path.read_text(encoding="utf-8"))))
    return found


def _record(text: str) -> dict[str, Any]:
    return extract_pages([Page(number=1, text=text)]).to_dict()


def score_variants(docs: list[Document], variants: list[str], jobs: int) -> dict[str, Scores]:
    texts = [(variant, doc, VARIANTS[variant](doc.text, doc.truth))
             for variant in variants for doc in docs]
    with ProcessPoolExecutor(jobs) as pool:
        records = list(pool.map(_record, [text for _, _, text in texts], chunksize=4))
    scores = {variant: Scores() for variant in variants}
    for (variant, doc, _), record in zip(texts, records, strict=True):
        scores[variant].add(doc.name, record, doc.truth)
    return scores


def table(scores: dict[str, Scores]) -> list[str]:
    """Rows: fields; columns: variants (% right), and the mean over the fields shown."""
    variants = list(scores)
    lines = ["| field | " + " | ".join(variants) + " |",
             "|---|" + "---:|" * len(variants)]
    means: dict[str, list[float]] = {variant: [] for variant in variants}
    for row in SHOWN:
        cells = []
        for variant in variants:
            values = scores[variant].fields.get(row)
            if values:
                percent = 100 * sum(values) / len(values)
                means[variant].append(percent)
                cells.append(f"{percent:.1f}")
            else:
                cells.append("—")
        if any(cell != "—" for cell in cells):
            lines.append(f"| {row} | " + " | ".join(cells) + " |")
    lines.append("| **mean of the fields** | " + " | ".join(
        f"**{sum(m) / len(m):.1f}**" if m else "—" for m in means.values()) + " |")
    return lines


def run(variants: list[str], jobs: int, limit: int | None, realset: Path, truth: Path,
        devset: Path, show_misses: bool) -> list[str]:
    import os
    printed: list[str] = []

    def say(lines: list[str]) -> None:
        printed.extend([*lines, ""])
        click.echo("\n".join(lines) + "\n")

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    say([f"## Letters as copied from web portals ({stamp})", "",
         f"Machine: {_machine()}. Command: `.venv/bin/python -m bench.portal "
         f"{' '.join(sys.argv[1:])}`.", "",
         "Variants:", "", *(f"- `{name}`: {_described(name)}" for name in variants)])
    for name, docs in documents(realset, truth, devset).items():
        docs = docs[:limit]
        if not docs:
            continue
        started, load = time.perf_counter(), os.getloadavg()[0]
        scores = score_variants(docs, variants, jobs)
        title = ("official-gazette texts with hand-read truth" if name == "gazette"
                 else "fictional office letters of tests/data/devset")
        say([f"### {name}: {len(docs)} {title} ({time.perf_counter() - started:.0f} s, "
             f"load {load:.1f})", "", *table(scores)])
        if show_misses:
            click.echo(f"#### Misses: {name} (terminal only: real names, never commit)")
            plain_misses = set((m[0], m[1]) for m in scores.get("plain", Scores()).misses)
            for variant, found in scores.items():
                for doc, row, got, want in found.misses:
                    if variant != "plain" and (doc, row) not in plain_misses and row in SHOWN:
                        click.echo(f"{variant} {doc} {row}\n  got:  {got!r}\n  want: {want!r}")
    return printed


def _described(name: str) -> str:
    return " ".join((VARIANTS[name].__doc__ or "the text as it is.").split())


def _variants(_ctx: Any, _param: Any, value: str) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in VARIANTS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(VARIANTS)}")
    return chosen


@click.command(help=__doc__.split("\n\n")[0])
@click.option("--variants", default=",".join(VARIANTS), show_default=True, callback=_variants)
@click.option("--jobs", type=click.IntRange(1), default=2, show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="At most N documents a set.")
@click.option("--realset", type=click.Path(file_okay=False, path_type=Path), default=REALSET,
              show_default=True)
@click.option("--truth", type=click.Path(file_okay=False, path_type=Path), default=TRUTH,
              show_default=True)
@click.option("--devset", type=click.Path(file_okay=False, path_type=Path), default=DEVSET,
              show_default=True)
@click.option("--show-misses", is_flag=True,
              help="Print the fields a variant gets wrong that the plain text gets right.")
def main(variants: list[str], jobs: int, limit: int | None, realset: Path, truth: Path,
         devset: Path, show_misses: bool) -> None:
    run(variants, jobs, limit, realset, truth.resolve(), devset, show_misses)


if __name__ == "__main__":
    main()
