"""Text fingerprints for near-duplicate detection: word shingles, MinHash, LSH bands.

The text is normalised as extraction normalises it (Arabic letter variants,
diacritics, tatweel, Latin case and accents folded) and split into words at
spaces and hyphens. All of it runs on the text's code points as a numpy array,
with no Python object per word: the folding is a table lookup, and each word's
64-bit hash is the sum of its code points weighted by fixed random odd
multipliers per position in the word, then avalanched (MurmurHash3's 64-bit
finaliser): the same word hashes the same wherever it stands, in any text. A
shingle of ``shingle`` words hashes to its words' hashes chained (FNV-style)
and avalanched, cut to 32 bits. The distinct shingle hashes are summarised by
a datasketch MinHash. Three times cheaper than splitting the text into words and
hashing each (the ``v2`` scheme), with the same set semantics.

Pinned choices keep fingerprints comparable between replicas and over time, and
must change together with the index key names (``INDEX_VERSION``):

* datasketch 2.0.0, scheme ``affine32`` (2.0 changed the hash scheme; mixed
  versions silently disagree), seed 1;
* the folding table, the word multipliers (``_WORD_SEED``) and the shingle
  chaining above; the band keys (each band's rows chained and avalanched);
* ``num_perm`` and ``bands`` from the settings.

Similarity between two fingerprints is estimated from their signatures: the
Jaccard index of the shingle sets, and from it and the set sizes the
containment of the new text in the old one (a story trimmed to its first
paragraphs is contained in the original even when its Jaccard index is low;
a round-up that quotes a whole earlier story is not contained in it, and is a
story of its own).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

from services.extraction.normalize import FOLD_TABLE, fold_words

#: Bump when the shingling, hashing or banding changes: index keys carry it.
INDEX_VERSION = "v3"
_SCHEME = "affine32"
_SEED = 1
_WORD = re.compile(r"\w+")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=8)
def _permutations(num_perm: int):
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations


def words(text: str) -> list[str]:
    """The normalised words: runs of letters and digits. Folding leaves only those,
    spaces and hyphens in the text, except beyond the Basic Multilingual Plane (emoji,
    rare scripts), which folding leaves as they are and the word pattern sorts out.
    (:func:`word_hashes` hashes exactly these words without making them.)"""
    folded = fold_words(text)
    if _ASTRAL.search(folded):
        return _WORD.findall(folded)
    return folded.replace("-", " ").split()


def shingles(tokens: list[str], size: int) -> set[bytes]:
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


_SPACE = 32
_UNFOLDED = 0xFFFFFFFF  # a character that folds to several (a ligature) or lies beyond the BMP


def _code_table() -> np.ndarray:
    """The fold table as code points: 0 where a character is dropped, a space where it
    separates words (hyphens too), and one more entry past the BMP for what it cannot fold."""
    table = [c if isinstance(c, int) else _UNFOLDED for c in FOLD_TABLE] + [_UNFOLDED]
    table[ord("-")] = _SPACE
    return np.array(table, dtype=np.uint32)


_CODES = _code_table()
_WORD_SEED = 20261124
#: multipliers per position in a word; position 0 is the separator before it, weighted 0
_WEIGHTS = np.random.default_rng(_WORD_SEED).integers(0, 2**64, 256, dtype=np.uint64) | np.uint64(1)
_WEIGHTS[0] = 0
_INDEX = np.arange(1 << 16)
_ONE = np.uint64(1)
_CHAIN = np.uint64(0x100000001B3)
_MIX1, _MIX2, _SHIFT = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33)


def _avalanche(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place (uint64 arithmetic wraps, as intended)."""
    h ^= h >> _SHIFT
    h *= _MIX1
    h ^= h >> _SHIFT
    h *= _MIX2
    h ^= h >> _SHIFT
    return h


def _folded_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The folded code points of the texts, each after a space, one after the other, and
    where each text's space is. Dropped characters are 0, separators spaces."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    raw = np.frombuffer((" " + " ".join(texts)).encode("utf-32-le"), dtype=np.uint32)
    codes = _CODES.take(raw, mode="clip")
    if codes.max() != _UNFOLDED:
        return codes, starts
    # rare: a text with a ligature or characters beyond the BMP: folded as text, its words
    # as the word pattern finds them
    unfolded = np.maximum.reduceat(codes, starts) == _UNFOLDED
    pieces = [np.frombuffer((" " + " ".join(_WORD.findall(fold_words(text)))).encode("utf-32-le"), dtype=np.uint32)
              if unfolded[k] else codes[starts[k]:starts[k] + lengths[k]] for k, text in enumerate(texts)]
    starts[1:] = np.cumsum([len(piece) for piece in pieces[:-1]])
    return np.concatenate(pieces), starts


def batch_word_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit hash of each word of :func:`words` of each text, all in one array, and
    where each text's words are in it: text k's are ``hashes[offsets[k]:offsets[k + 1]]``.
    One pass over all the texts: numpy's cost per call is paid once per batch."""
    n = len(texts)
    if n == 0:
        return np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    codes, starts = _folded_codes(texts)
    letter = (codes != 0) & (codes != _SPACE)
    count = np.cumsum(letter)
    # 1, 2, ... along a word's letters (a dropped character, weighted 0, shares its letter's); 0 at a separator
    position = count - np.maximum.accumulate(np.where(codes == _SPACE, count, 0))
    weighted = (codes + letter) * _WEIGHTS.take(position, mode="wrap")
    first = np.flatnonzero(letter & (position == 1))
    offsets = np.zeros(n + 1, dtype=np.int64)
    if not len(first):
        return np.empty(0, dtype=np.uint64), offsets
    owner = np.searchsorted(starts, first, side="right") - 1
    np.cumsum(np.bincount(owner, minlength=n), out=offsets[1:])
    return _avalanche(np.add.reduceat(weighted, first)), offsets


def word_hashes(text: str) -> np.ndarray:
    """The 64-bit hash of each word of :func:`words`, in order."""
    return batch_word_hashes([text])[0]


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-word shingles of a text's word hashes
    (one shingle of all the words when there are fewer). The plain definition, one text
    at a time: :func:`batch_fingerprints` computes the same for many texts at once."""
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    size = min(size, n)
    count = n - size + 1
    h = np.zeros(count, dtype=np.uint64)
    for j in range(size):
        h = (h * _CHAIN) ^ hashes[j:j + count]
    return np.unique((_avalanche(h) >> np.uint64(32)).astype(np.uint32))


@dataclass(frozen=True)
class Fingerprint:
    size: int  # number of distinct shingles
    signature: np.ndarray  # uint32[num_perm]

    def bands(self, bands: int) -> list[str]:
        """One short key per LSH band: texts sharing any band are candidates (see :func:`batch_bands`)."""
        return batch_bands([self], bands)[0]

    def encode(self) -> str:
        return f"{self.size}:{self.signature.astype('<u4').tobytes().hex()}"

    @classmethod
    def decode(cls, text: str) -> Fingerprint:
        size, _, hexsig = text.partition(":")
        return cls(int(size), np.frombuffer(bytes.fromhex(hexsig), dtype="<u4"))


@lru_cache(maxsize=8)
def _empty(num_perm: int) -> np.ndarray:
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).hashvalues.astype("<u4")


@lru_cache(maxsize=8)
def _columns(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = _permutations(num_perm)
    return a.reshape(-1, 1), b.reshape(-1, 1)


def signature(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash signature of a set of 32-bit hashes: what datasketch's
    ``MinHash(scheme="affine32", hashfunc=int).update_batch`` computes (its own
    permutations and pre-mix), on the array directly rather than through a list
    of Python ints (a unit test holds the two equal). One row per permutation,
    its minimum along the row: a fifth cheaper than one column per permutation."""
    if not len(hashes):
        return _empty(num_perm)
    a, b = _columns(num_perm)
    permuted = a * _fmix(hashes.astype(np.uint32), 32)
    permuted += b
    return permuted.min(axis=1).astype("<u4")


def batch_fingerprints(hashes: np.ndarray, offsets: np.ndarray, shingle: int = 3,
                       num_perm: int = 128) -> list[Fingerprint]:
    """The fingerprint of each text of :func:`batch_word_hashes`: its distinct shingle hashes
    (as :func:`shingle_hashes`) summarised by their MinHash signature (as :func:`signature`),
    for all the texts at once (a unit test holds the two ways equal)."""
    n = len(offsets) - 1
    counts = np.diff(offsets)
    owner = np.repeat(np.arange(n, dtype=np.uint64), counts)  # each word's text
    keyed = []  # text << 32 | shingle hash
    if len(hashes) >= shingle:
        m = len(hashes) - shingle + 1
        h = np.zeros(m, dtype=np.uint64)
        for j in range(shingle):
            h = (h * _CHAIN) ^ hashes[j:j + m]
        inside = owner[:m] == owner[shingle - 1:]  # not across two texts
        keyed.append((owner[:m][inside] << np.uint64(32)) | (_avalanche(h[inside]) >> np.uint64(32)))
    for k in np.flatnonzero((counts > 0) & (counts < shingle)):  # fewer words than a shingle: one of them all
        h = np.zeros(1, dtype=np.uint64)
        for word in hashes[offsets[k]:offsets[k + 1]]:
            h = (h * _CHAIN) ^ word
        keyed.append((np.uint64(k) << np.uint64(32)) | (_avalanche(h) >> np.uint64(32)))
    keys = _distinct(np.concatenate(keyed)) if keyed else np.empty(0, dtype=np.uint64)
    sizes = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=n)
    values = _fmix((keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), 32)
    signatures = np.tile(_empty(num_perm), (n, 1))
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    a, b = _columns(num_perm)
    texts = [k for k in range(n) if sizes[k]]
    while texts:  # a few thousand shingles at a time: the permuted block stays in cache
        group = [texts.pop(0)]
        while texts and bounds[texts[0] + 1] - bounds[group[0]] <= _BLOCK:
            group.append(texts.pop(0))
        lo, hi = bounds[group[0]], bounds[group[-1] + 1]
        permuted = a * values[lo:hi]
        permuted += b
        signatures[group] = np.minimum.reduceat(permuted, bounds[group] - lo, axis=1).T
    return [Fingerprint(int(sizes[k]), signatures[k]) for k in range(n)]


_BLOCK = 4096


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-D array: sorted, each value once. Sorting and masking repeats is
    twenty times faster here than ``np.unique`` (numpy 2.4, 24,000 keys: 0.08 ms against 1.8 ms)."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def batch_bands(fingerprints: list[Fingerprint], bands: int) -> list[list[str]]:
    """Per fingerprint, one short key per LSH band (its rows chained and avalanched, 64 bits
    in hex)."""
    rows = np.stack([f.signature for f in fingerprints]).astype(np.uint64).reshape(len(fingerprints), bands, -1)
    h = np.zeros((len(fingerprints), bands), dtype=np.uint64)
    for j in range(rows.shape[2]):
        h = (h * _CHAIN) ^ rows[:, :, j]
    text = _avalanche(h).astype(">u8").tobytes().hex()
    width = 16 * bands
    return [[text[i + j:i + j + 16] for j in range(0, width, 16)] for i in range(0, len(text), width)]


def fingerprint_hashes(hashes: np.ndarray, shingle: int = 3, num_perm: int = 128) -> Fingerprint:
    """The fingerprint of a text from its :func:`word_hashes`."""
    return batch_fingerprints(hashes, np.array([0, len(hashes)]), shingle, num_perm)[0]


def fingerprint(text: str, shingle: int = 3, num_perm: int = 128) -> Fingerprint:
    return fingerprint_hashes(word_hashes(text), shingle, num_perm)


def text_digest(hashes: np.ndarray) -> str:
    """The identity of a text for exact duplicates: its normalised words (their hashes)."""
    return hashlib.sha1(hashes.astype("<u8").tobytes()).hexdigest()


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # share of the new text's shingles found in the old one


def similarity(new: Fingerprint, old: Fingerprint) -> Similarity:
    if new.size == 0 or old.size == 0:
        return Similarity(0.0, 0.0)
    j = float(np.count_nonzero(new.signature == old.signature)) / len(new.signature)
    # |A ∩ B| = J (|A| + |B|) / (1 + J)
    inter = j * (new.size + old.size) / (1.0 + j)
    return Similarity(j, min(1.0, inter / new.size))
