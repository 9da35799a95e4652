"""Diacritised Vietnamese text to train the restoration model on (build time only).

Sources: Debian's hunspell-vi (the syllable lexicon), manpages-vi (troff), libreoffice-help-vi
(HTML), the Vietnamese gettext catalogues installed on the machine (.mo), the archive's own
diacritised letters and a hand-written list of administrative phrases. Lines that are mostly
not Vietnamese (untranslated English in the help pages) are dropped.
``python -m ingest.repair.diacritics_sources build`` rebuilds the committed model from them.
"""

from __future__ import annotations

import gettext
import gzip
import hashlib
import html
import json
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.repair.diacritics_model import MODEL_PATH, NgramModel, Source, build_model, has_marks

log = logging.getLogger(__name__)

HUNSPELL_DIC = Path("/usr/share/hunspell/vi_VN.dic")
MAN_ROOT = Path("/usr/share/man/vi")
HTML_ROOTS = (Path("/usr/share/libreoffice/help/vi"), Path("/usr/share/doc/maint-guide-vi/html"))
MO_GLOBS = (
    "/usr/share/locale/vi/LC_MESSAGES/*.mo",
    "/usr/lib/libreoffice/program/resource/vi/LC_MESSAGES/*.mo",
)
PHRASES = Path(__file__).resolve().parents[1] / "data" / "diacritics-phrases.txt"
GENERATOR = Path(__file__).resolve().parents[1] / "data" / "generator"
WRITTEN_LETTERS = Path(__file__).resolve().parents[1] / "data" / "diacritics-letters.txt"
REPO = Path(__file__).resolve().parents[2]
LETTER_GLOBS = ("corpus/*.txt", "tests/data/devset/*.txt")
DOMAIN_WEIGHT = 150
WORDS_WEIGHT = 30
HELD_OUT_SEEDS = ("corpus/002_", "corpus/003_", "corpus/004_")
# Real legal text (../shared/realset/gazette, read at build time, never copied into the repo):
# the model trains on the half of its files whose name hashes even; the bench measures the rest.
# Elsewhere: `build --realset DIR` (ingest reads no environment; the bench reads CONGVAN_REALSET).
REALSET = REPO.parent / "shared" / "realset"
GAZETTE_WEIGHT = 3
GAZETTE_MIN_COUNT = 2

_WORD_RE = re.compile(r"[^\W\d_]+")
_TROFF_ESCAPE_RE = re.compile(r"\\(?:f[BIRP]|f\(..|\(..|\*.|s[-+]?\d|[-&e|^ ])")
_PLACEHOLDER_RE = re.compile(r"\{\w*\}")
_TAG_RE = re.compile(r"<[^>]+>")
_PRINTF_RE = re.compile(r"%[-#0-9.lhz]*[a-zA-Z]|&(?=\w)|_(?=\w)|~")


def read_lexicon(path: Path = HUNSPELL_DIC) -> list[str]:
    """The hunspell-vi word list: one syllable (or a few names) per line after the count."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [w.split("/")[0] for w in lines if w and w.split("/")[0].isalpha()]


def is_vietnamese(line: str, min_share: float = 0.3) -> bool:
    """True when enough of a line's words carry Vietnamese marks."""
    words = _WORD_RE.findall(line)
    if len(words) < 2:
        return False
    return sum(has_marks(w) for w in words) >= min_share * len(words)


def vietnamese_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if is_vietnamese(line))


def troff_text(source: str) -> str:
    """Readable text of a man page: macro names and escapes removed, arguments kept."""
    lines = []
    for line in source.splitlines():
        if line.startswith(('.\\"', "'\\\"")):
            continue
        if line.startswith((".", "'")):
            line = line.partition(" ")[2]
        lines.append(_TROFF_ESCAPE_RE.sub("", line).replace('"', ""))
    return "\n".join(lines)


def man_pages(root: Path = MAN_ROOT) -> Iterator[str]:
    for path in sorted(root.rglob("*.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            yield vietnamese_lines(troff_text(fh.read()))


def html_pages(roots: Iterable[Path] = HTML_ROOTS) -> Iterator[str]:
    for path in sorted(p for root in roots for p in root.rglob("*.html")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
        text = html.unescape(_TAG_RE.sub("\n", raw))
        yield vietnamese_lines(re.sub(r"[ \t]+", " ", text))


def message_catalogues(globs: Iterable[str] = MO_GLOBS) -> Iterator[str]:
    for pattern in globs:
        for path in sorted(Path("/").glob(pattern.lstrip("/"))):
            try:
                with path.open("rb") as fh:
                    catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            except (OSError, gettext.error) as exc:
                log.warning("skipping %s: %s", path, exc)
                continue
            messages = (v for v in catalog.values() if isinstance(v, str))
            text = "\n\n".join(_PRINTF_RE.sub(" ", m) for m in messages)
            yield vietnamese_lines(text)


def letters(paths: Iterable[Path]) -> Iterator[str]:
    """Diacritised letters of the archive (seeds, development set), whole."""
    for path in paths:
        yield path.read_text(encoding="utf-8")


def phrases(path: Path = PHRASES) -> Iterator[str]:
    """Administrative phrases, one per line; each is its own paragraph."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.strip()


def generator_phrases(root: Path = GENERATOR) -> list[str]:
    """Every string of the letter generator's phrase tables (placeholders like {area} cut)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(_PLACEHOLDER_RE.sub("\n\n", node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(root.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def written_letters(path: Path = WRITTEN_LETTERS) -> str:
    """Letters written from the format rules for training, '#' comment lines dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#"))


def diacritised_letters(repo: Path = REPO) -> list[str]:
    """Repo-relative paths of the archive's letters that carry diacritics (≥ 2% of letters)."""
    from ingest.repair.diacritics import has_few_diacritics

    found = []
    for pattern in LETTER_GLOBS:
        for path in sorted(repo.glob(pattern)):
            if not has_few_diacritics(path.read_text(encoding="utf-8")):
                found.append(path.relative_to(repo).as_posix())
    return found


def is_held_out(relative: str) -> bool:
    """Letters kept out of training: seeds 002–004 and the whole development set (its README
    asks for that), so the benchmark measures letters the model never saw."""
    return not relative.startswith("corpus/") or relative.startswith(HELD_OUT_SEEDS)


def training_letters(repo: Path = REPO) -> list[str]:
    return [p for p in diacritised_letters(repo) if not is_held_out(p)]


def gazette_files(realset: Path = REALSET) -> list[Path]:
    """The official-gazette texts of the realset (none when it is absent)."""
    return sorted((realset / "gazette").glob("*.txt"))


def gazette_key(path: Path) -> str:
    """How ``trained_on`` names a gazette text: its place in the realset, not on this disk."""
    return f"realset/gazette/{path.name}"


def is_training_gazette(path: Path) -> bool:
    """The fixed half of the gazette texts the model may train on: by a hash of the file name,
    so the split needs no list and never moves when files are added."""
    return hashlib.sha256(path.name.encode("utf-8")).digest()[0] % 2 == 0


def read_gazette(path: Path) -> str:
    """A gazette text as the files hold it (a few carry NUL bytes or broken UTF-8)."""
    return path.read_text(encoding="utf-8", errors="replace").replace("\x00", "")


def word_list() -> list[str]:
    """pyvi's Vietnamese word list (MIT) when pyvi is installed: compounds give bigrams."""
    try:
        import pyvi
    except ImportError:
        log.warning("pyvi not installed: training without its word list")
        return []
    path = Path(pyvi.__file__).parent / "models" / "words.txt"
    return path.read_text(encoding="utf-8").splitlines()


def train_default_model(repo: Path = REPO, domain_weight: int = DOMAIN_WEIGHT,
                        realset: Path = REALSET) -> NgramModel:
    """Train on every source; the letters trained on are recorded in the model."""
    trained_on = training_letters(repo)
    log.info("training letters: %s", ", ".join(trained_on) or "none")
    gazette = [p for p in gazette_files(realset) if is_training_gazette(p)]
    log.info("training gazette texts: %d of %d", len(gazette), len(gazette_files(realset)))
    lexicon = read_lexicon()
    sources = [
        Source("general", [*man_pages(), *html_pages(), *message_catalogues()]),
        Source("words", [*lexicon, *word_list()], WORDS_WEIGHT, trusted=True),
        Source("letters", list(letters(repo / p for p in trained_on)), domain_weight, True),
        Source("phrases", [*phrases(), written_letters()], domain_weight, True),
        Source("generator", generator_phrases(), domain_weight, True),
        Source("gazette", [read_gazette(p) for p in gazette], GAZETTE_WEIGHT, False,
               GAZETTE_MIN_COUNT),
    ]
    model = build_model(sources, lexicon)
    model.trained_on = trained_on + [gazette_key(p) for p in gazette]
    return model


def main(argv: list[str] | None = None) -> None:
    """``python -m ingest.repair.diacritics_sources build [--out PATH] [--realset DIR]``: rebuild
    the model."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ingest.repair.diacritics_sources")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--realset", type=Path, default=REALSET,
                        help=f"the real documents, for their gazette texts (default {REALSET})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model = train_default_model(realset=args.realset)
    model.save(args.out)
    log.info(
        "wrote %s: %d unigrams, %d bigrams, %d trigrams, %d folded syllables (%d bytes)",
        args.out,
        len(model.unigrams),
        len(model.bigrams),
        len(model.trigrams),
        len(model.candidates),
        args.out.stat().st_size,
    )


if __name__ == "__main__":
    main()
