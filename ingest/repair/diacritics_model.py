"""The syllable n-gram model behind diacritic restoration: folding, tokens, counts, scores.

A token stream is lower-case: Vietnamese syllables in one tone-placement style (``hòa``,
``ủy``, ``khỏe``), ``<num>`` for numbers, punctuation as itself, ``<s>`` at a paragraph start.
The model stores trigram counts over that stream and, for each folded syllable (``dong``), the
diacritised forms seen for it (``đồng``, ``động``, ``đông`` …), most frequent first.

Regenerate the committed model with ``python -m ingest.repair.diacritics_sources build``
(``--realset DIR`` for the gazette texts elsewhere than ../shared/realset).
"""

from __future__ import annotations

import gzip
import itertools
import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.folding import strip_marks

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "diacritics-trigram.json.gz"
BOS = "<s>"
NUM = "<num>"
BACKOFF = 0.4
LOG_BACKOFF = math.log(BACKOFF)
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
VOWELS = frozenset("aăâeêioôơuưy")
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|\n[ \t]*\n|[^\w\s]")
_OPEN_PAIR_RE = re.compile(r"(?<!q)(o[ae]|uy)$")


def has_marks(word: str) -> bool:
    """True when a word carries any Vietnamese mark (tone, vowel quality, or đ)."""
    return strip_marks(word) != word


def split_tone(syllable: str) -> tuple[str, str]:
    """Split an NFC syllable into its toneless NFC form and its tone mark ('' for none)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    bare = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", bare), (tones[0] if tones else "")


@lru_cache(maxsize=65536)  # asked of every word of every field's value: words repeat
def normalize_tone_placement(syllable: str) -> str:
    """Put the tone of open oa/oe/uy syllables on their first vowel: hoà → hòa, thuỷ → thủy."""
    bare, tone = split_tone(syllable.lower())
    if not tone or not _OPEN_PAIR_RE.search(bare):
        return syllable
    index = len(bare) - 2
    marked = unicodedata.normalize("NFC", bare[index] + tone)
    lowered = bare[:index] + marked + bare[index + 1 :]
    return "".join(n.upper() if o.isupper() else n for o, n in zip(syllable, lowered, strict=True))


def model_token(raw: str) -> str:
    """The model's token for one raw token of text (see the module docstring)."""
    if raw[0].isdigit():
        return NUM
    if raw.startswith("\n"):
        return BOS
    return normalize_tone_placement(raw.lower())


def iter_tokens(text: str) -> Iterator[re.Match[str]]:
    """Raw tokens of NFC text: letter runs, numbers, paragraph breaks, single punctuation."""
    return _TOKEN_RE.finditer(text)


def token_stream(text: str) -> list[str]:
    """The model's token stream for a training text."""
    text = unicodedata.normalize("NFC", text)
    return [BOS] + [model_token(m.group()) for m in iter_tokens(text)]


@dataclass
class NgramModel:
    """Trigram counts with stupid backoff, plus the candidate forms of each folded syllable."""

    unigrams: dict[str, int] = field(default_factory=dict)
    bigrams: dict[str, int] = field(default_factory=dict)
    trigrams: dict[str, int] = field(default_factory=dict)
    candidates: dict[str, list[str]] = field(default_factory=dict)
    trained_on: list[str] = field(default_factory=list)
    total: int = 1

    def prepare(self) -> None:
        """Derive the totals the scores need from the counts."""
        self.total = sum(self.unigrams.values())
        self._floor = math.log(BACKOFF * BACKOFF / (self.total + len(self.unigrams)))

    def logscore(self, a: str, b: str, c: str) -> float:
        """log S(c | a b), stupid backoff (Brants et al. 2007) down to add-one unigrams."""
        tri = self.trigrams.get(f"{a} {b} {c}")
        if tri:
            return math.log(tri / self.bigrams[f"{a} {b}"])
        bi = self.bigrams.get(f"{b} {c}")
        if bi:
            return LOG_BACKOFF + math.log(bi / self.unigrams[b])
        return self._floor + math.log(self.unigrams.get(c, 0) + 1)

    def forms(self, folded: str) -> list[str]:
        """Candidate diacritised forms of a lower-case folded syllable ([] if unknown)."""
        return self.candidates.get(folded, [])

    def save(self, path: Path) -> None:
        data = {
            "unigrams": self.unigrams,
            "bigrams": self.bigrams,
            "trigrams": self.trigrams,
            "candidates": self.candidates,
            "trained_on": self.trained_on,
        }
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(payload.encode("utf-8"))  # mtime 0: a rebuild gives the same bytes

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NgramModel:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        model = cls(
            data["unigrams"],
            data["bigrams"],
            data["trigrams"],
            data["candidates"],
            data.get("trained_on", []),
        )
        model.prepare()
        return model


def count_ngrams(texts: Iterable[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Unigram, bigram and trigram counts over the token streams of some texts."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    tri: Counter[str] = Counter()
    for text in texts:
        tokens = token_stream(text)
        uni.update(tokens)
        bi.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
        tri.update(f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False))
    return uni, bi, tri


@dataclass
class Source:
    """Training text of one kind: how much its counts weigh and whether to trust it fully.

    A trusted source (the archive's letters, administrative phrases, word lists) keeps every
    n-gram and may add candidate forms; other text keeps n-grams seen ``min_count`` times and
    only adds counts to forms a trusted source or the lexicon knows.
    """

    name: str
    texts: Iterable[str]
    weight: int = 1
    trusted: bool = False
    min_count: int = 2


def build_model(sources: Iterable[Source], lexicon: Iterable[str]) -> NgramModel:
    """Count every source, prune, weigh and merge them into one model."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    tri: Counter[str] = Counter()
    lexicon_forms = {normalize_tone_placement(w.lower()) for w in lexicon}
    known = set(lexicon_forms)
    for source in sources:
        counts = count_ngrams(source.texts)
        floor = 1 if source.trusted else source.min_count
        for total, part in zip((uni, bi, tri), counts, strict=True):
            total.update({k: n * source.weight for k, n in part.items() if n >= floor})
        if source.trusted:
            known.update(w for w in counts[0] if w[0].isalpha())
        log.info("%s: %d tokens", source.name, sum(counts[0].values()))
    for a_b_c in tri:
        a_b = a_b_c.rsplit(" ", 1)[0]
        bi[a_b] = max(bi[a_b], tri[a_b_c])
    for a_b in bi:
        for word in a_b.split(" "):
            uni[word] = max(uni[word], 1)
    model = NgramModel(dict(uni), dict(bi), dict(tri), _candidate_table(uni, known, lexicon_forms))
    model.prepare()
    return model


def _candidate_table(uni: Counter[str], known: set[str], lexicon: set[str]) -> dict[str, list[str]]:
    """Folded syllable → the known forms that fold to it, most frequent first.

    A form without any mark that the lexicon lacks (``hien``, typed without its accents
    somewhere in the training text) is kept only when no marked form folds to it (``ubnd``).
    """
    table: dict[str, list[str]] = {}
    for word in sorted(known, key=lambda w: (-uni.get(w, 0), w)):
        if word.isalpha():
            table.setdefault(strip_marks(word), []).append(word)
    for folded, forms in table.items():
        if len(forms) > 1 and folded in forms and folded not in lexicon:
            forms.remove(folded)
    return table
