"""Benchmark diacritic restoration on letters the model was not trained on.

``python -m bench.diacritics`` strips the diacritics of every diacritised letter of the
archive (``corpus/``, ``tests/data/devset/``) that the committed model did not train on
(``trained_on`` in the model file), restores them, and prints syllable accuracy and speed
beside a no-op and pyvi's ``ViUtils.add_accents`` (skipped with a note when pyvi is absent).
Syllables are compared case-insensitively, in one tone-placement style (hoà = hòa).

``--realset`` also strips and restores real legal documents: the official-gazette texts of
``../shared/realset`` (env ``CONGVAN_REALSET``), read at run time, the half the model may not
train on (see ``diacritics_sources.is_training_gazette``), and reports the share of *marked*
syllables (those the gold text writes with a mark) restored exactly beside all syllables.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ingest.folding import strip_marks
from ingest.repair.diacritics import load_model, restore_diacritics
from ingest.repair.diacritics_model import iter_tokens, normalize_tone_placement
from ingest.repair.diacritics_sources import (
    REPO,
    diacritised_letters,
    gazette_files,
    gazette_key,
    is_training_gazette,
    read_gazette,
)

Restorer = Callable[[str], str]
REALSET = Path(os.environ.get("CONGVAN_REALSET", REPO.parent / "shared" / "realset"))


def syllables(text: str) -> list[str]:
    """Lower-case letter runs of a text, in one tone-placement style."""
    return [
        normalize_tone_placement(m.group().lower())
        for m in iter_tokens(text)
        if m.group()[0].isalpha()
    ]


def compare(gold: str, restored: str) -> tuple[int, int, Counter[tuple[str, str]]]:
    """(correct syllables, gold syllables, confusions gold → restored) of one text."""
    correct, total, _, _, confusions = compare_marked(gold, restored)
    return correct, total, confusions


def compare_marked(gold: str, restored: str) -> tuple[int, int, int, int, Counter[tuple[str, str]]]:
    """(correct syllables, gold syllables, correct marked syllables, marked gold syllables,
    confusions gold → restored) of one text; marked: the gold syllable carries a mark."""
    expected, got = syllables(gold), syllables(restored)
    if len(expected) == len(got):
        pairs = list(zip(expected, got, strict=True))
    else:
        matcher = difflib.SequenceMatcher(
            None, [strip_marks(s) for s in expected], [strip_marks(s) for s in got])
        pairs = [
            (expected[block.a + k], got[block.b + k])
            for block in matcher.get_matching_blocks()
            for k in range(block.size)
        ]
    confusions = Counter((e, g) for e, g in pairs if e != g)
    marked_correct = sum(e == g for e, g in pairs if strip_marks(e) != e)
    marked = sum(strip_marks(e) != e for e in expected)
    return sum(e == g for e, g in pairs), len(expected), marked_correct, marked, confusions


def words(text: str) -> list[str]:
    """Lower-case words between spaces, edge punctuation cut (OCR may glue or split marks)."""
    found = []
    for chunk in unicodedata.normalize("NFC", text).split():
        word = chunk.strip(".,;:!?()[]“”\"'‘’…-–")
        if any(c.isalpha() for c in word):
            found.append(normalize_tone_placement(word.lower()))
    return found


def compare_words(gold: str, output: str) -> tuple[int, int]:
    """(gold words found exactly in aligned position, gold words): the OCR measure."""
    expected, got = words(gold), words(output)
    matcher = difflib.SequenceMatcher(
        None, [strip_marks(w) for w in expected], [strip_marks(w) for w in got], autojunk=False
    )
    correct = sum(
        expected[block.a + k] == got[block.b + k]
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    )
    return correct, len(expected)


def english_ocr_pages(paths: list[Path], cache: Path, pages: int = 2) -> list[tuple[str, str]]:
    """(page text, its OCR with Tesseract's English model) for the first pages of letters.

    Pages are rendered with ``bench/rendering.py`` (run from the repository) and cached.
    """
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # bench/rendering.py lives beside the package
    from bench.rendering import render_images
    from ingest.reading.ocr import recognise

    cache.mkdir(parents=True, exist_ok=True)
    pairs = []
    for path in paths:
        for number in range(pages):
            gold, ocr = cache / f"{path.stem}.p{number}.gold", cache / f"{path.stem}.p{number}.ocr"
            if not gold.exists():
                rendered = render_images(path.read_text(encoding="utf-8"), max_pages=pages)
                for index, page in enumerate(rendered):
                    (cache / f"{path.stem}.p{index}.gold").write_text(page.text, encoding="utf-8")
                    text = recognise(page.image, lang="eng").text
                    (cache / f"{path.stem}.p{index}.ocr").write_text(text, encoding="utf-8")
            if gold.exists():
                pairs.append((gold.read_text(encoding="utf-8"), ocr.read_text(encoding="utf-8")))
    return pairs


def print_ocr_table(pairs: list[tuple[str, str]], methods: list[tuple[str, Restorer]]) -> None:
    print(f"\nEnglish-model OCR of {len(pairs)} rendered pages (word accuracy, aligned)")
    print(f"{'method':<20} {'words':>9} {'accuracy':>9}")
    for name, restore in methods:
        correct = total = 0
        for gold, ocr in pairs:
            ok, n = compare_words(gold, restore(ocr))
            correct, total = correct + ok, total + n
        print(f"{name:<20} {total:>9} {correct / max(total, 1):>9.2%}")


def held_out_letters(repo: Path = REPO) -> list[Path]:
    """Diacritised letters of the archive that the committed model did not see.

    Development letters that simulate OCR (``_ocr_`` in the name) are left out: their text
    holds OCR errors (``Ủy bạn``), so it is no gold.
    """
    trained = set(load_model().trained_on)
    paths = [repo / p for p in diacritised_letters(repo) if p not in trained]
    return [p for p in paths if "_ocr_" not in p.name]


def pyvi_restorer() -> Restorer | None:
    """pyvi's add_accents, fed line by line (it raises on some characters: such a line is
    left as it is)."""
    try:
        from pyvi import ViUtils
    except ImportError:
        return None

    def restore(text: str) -> str:
        lines = []
        for line in text.split("\n"):
            try:
                lines.append(ViUtils.add_accents(line) if line.strip() else line)
            except (KeyError, IndexError):
                lines.append(line)
        return "\n".join(lines)

    return restore


def run(name: str, restore: Restorer, golds: list[str]) -> tuple[str, int, float, float, Counter]:
    name, total, accuracy, _, _, speed, confusions = run_marked(name, restore, golds)
    return name, total, accuracy, speed, confusions


def run_marked(
    name: str, restore: Restorer, golds: list[str]
) -> tuple[str, int, float, int, float, float, Counter]:
    """(name, syllables, accuracy, marked syllables, their accuracy, syllables/s, confusions)."""
    correct = total = marked_correct = marked = 0
    confusions: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    outputs = [restore(strip_marks(gold)) for gold in golds]
    elapsed = time.perf_counter() - started
    for gold, out in zip(golds, outputs, strict=True):
        ok, n, marked_ok, n_marked, wrong = compare_marked(gold, out)
        correct, total = correct + ok, total + n
        marked_correct, marked = marked_correct + marked_ok, marked + n_marked
        confusions.update(wrong)
    return (name, total, correct / max(total, 1), marked, marked_correct / max(marked, 1),
            total / max(elapsed, 1e-9), confusions)


def print_table(title: str, methods: list[tuple[str, Restorer]], golds: list[str]) -> Counter:
    """Print one table of results; returns the confusions of the last method."""
    results = [run(name, fn, golds) for name, fn in methods]
    print(f"\n{title}")
    print(f"{'method':<20} {'syllables':>9} {'accuracy':>9} {'syll/s':>9}")
    for name, total, accuracy, speed, _ in results:
        print(f"{name:<20} {total:>9} {accuracy:>9.2%} {speed:>9.0f}")
    return results[-1][4]


def held_out_gazette(realset: Path = REALSET) -> list[Path]:
    """The realset's gazette texts outside the training half (and so never trained on)."""
    trained = set(load_model().trained_on)
    return [
        p for p in gazette_files(realset)
        if not is_training_gazette(p) and gazette_key(p) not in trained
    ]


def gazette_excerpt(path: Path, chars: int) -> str:
    """The first ``chars`` characters of a gazette text, cut at a line end (0: all of it)."""
    text = read_gazette(path)
    if not chars or len(text) <= chars:
        return text
    return text[: text.rfind("\n", 0, chars) + 1 or chars]


def print_realset_table(methods: list[tuple[str, Restorer]], realset: Path, chars: int,
                        errors: int) -> None:
    paths = held_out_gazette(realset)
    if not paths:
        print(f"\nno gazette texts under {realset}: the real-letter table is skipped")
        return
    golds = [gazette_excerpt(p, chars) for p in paths]
    cut = f"first {chars:,} characters of each" if chars else "whole texts"
    print(f"\nreal legal documents: {len(paths)} held-out gazette texts of {realset} ({cut})")
    print(f"{'method':<20} {'syllables':>9} {'accuracy':>9} {'marked':>9} {'accuracy':>9} "
          f"{'syll/s':>9}")
    confusions: Counter[tuple[str, str]] = Counter()
    for name, restore in methods:
        name, total, accuracy, marked, marked_accuracy, speed, confusions = run_marked(
            name, restore, golds
        )
        print(f"{name:<20} {total:>9} {accuracy:>9.2%} {marked:>9} {marked_accuracy:>9.2%} "
              f"{speed:>9.0f}")
    print("commonest errors on the gazette texts (expected → got):")
    for (expected, got), n in confusions.most_common(errors):
        print(f"  {n:>3}  {expected} → {got}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.diacritics")
    parser.add_argument("--errors", type=int, default=15, help="show the N commonest confusions")
    parser.add_argument(
        "--ocr",
        type=Path,
        metavar="CACHE",
        help="also OCR the held-out seeds with the English model (pages cached in CACHE)",
    )
    parser.add_argument(
        "--ocr-devset", type=int, default=8, help="with --ocr, also this many devset letters"
    )
    parser.add_argument(
        "--realset",
        nargs="?",
        type=Path,
        const=REALSET,
        metavar="DIR",
        help=f"also real legal documents: the held-out gazette texts of DIR (default {REALSET})",
    )
    parser.add_argument(
        "--realset-chars",
        type=int,
        default=10000,
        help="with --realset, the first N characters of each text (0: whole texts)",
    )
    args = parser.parse_args(argv)
    paths = held_out_letters()
    print("held out:", ", ".join(p.relative_to(REPO).as_posix() for p in paths))
    load_model()
    methods: list[tuple[str, Restorer]] = [("no-op (stripped)", lambda t: t)]
    baseline = pyvi_restorer()
    if baseline is None:
        print("note: pyvi not installed, its baseline is skipped (pip install pyvi)")
    else:
        methods.append(("pyvi add_accents", baseline))
    methods.append(("congvan trigram", restore_diacritics))
    groups = {
        "real seed letters (corpus/)": [p for p in paths if p.parent.name == "corpus"],
        "development set (tests/data/devset/)": [p for p in paths if p.parent.name != "corpus"],
    }
    for title, members in groups.items():
        if members:
            print_table(title, methods, [p.read_text(encoding="utf-8") for p in members])
    golds = [p.read_text(encoding="utf-8") for p in paths]
    confusions = print_table("all held-out letters", methods, golds)
    print("commonest errors of congvan trigram (expected → got):")
    for (expected, got), n in confusions.most_common(args.errors):
        print(f"  {n:>3}  {expected} → {got}")
    if args.realset:
        print_realset_table(methods, args.realset, args.realset_chars, args.errors)
    if args.ocr:
        seeds = [p for p in paths if p.parent.name == "corpus"]
        ocr_letters = seeds + [p for p in paths if p not in seeds][: args.ocr_devset]
        ocr_methods = [("raw OCR", methods[0][1]), *methods[1:]]
        print_ocr_table(english_ocr_pages(ocr_letters, args.ocr), ocr_methods)


if __name__ == "__main__":
    main()
