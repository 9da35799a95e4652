"""Generate realistic Vietnamese administrative letters with their expected metadata.

>>> letters = list(generate_letters(3, seed=1))
>>> len(letters), letters[0].expected["doc_type"] in TYPE_NAMES.values()
(3, True)
"""

from bench.generator.corpus import GeneratedLetter, generate_letters, write_corpus
from bench.generator.subjects import TYPE_NAMES

__all__ = ["TYPE_NAMES", "GeneratedLetter", "generate_letters", "write_corpus"]
