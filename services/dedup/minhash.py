"""Text fingerprints for near-duplicate detection: word shingles, MinHash, LSH bands.

The text is normalised as extraction normalises it (Arabic letter variants,
diacritics, tatweel, Latin case and accents folded), split into words, and cut
into overlapping shingles of ``shingle`` words. Each word is hashed once with
CRC-32 (stable across processes and machines); a shingle's 32-bit hash is its
words' hashes chained (FNV-style, 64 bits) and avalanched (MurmurHash3's
finaliser), all in numpy: 5x cheaper than joining and hashing every shingle's
text, with the same set semantics. The distinct shingle hashes are summarised by
a datasketch MinHash.

Pinned choices keep fingerprints comparable between replicas and over time, and
must change together with the index key names (``INDEX_VERSION``):

* datasketch 2.0.0, scheme ``affine32`` (2.0 changed the hash scheme; mixed
  versions silently disagree), seed 1;
* the word and shingle hashing above;
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
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

from services.extraction.normalize import fold_words

#: Bump when the shingling, hashing or banding changes: index keys carry it.
INDEX_VERSION = "v2"
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
    rare scripts), which folding leaves as they are and the word pattern sorts out."""
    folded = fold_words(text)
    if _ASTRAL.search(folded):
        return _WORD.findall(folded)
    return folded.replace("-", " ").split()


def shingles(tokens: list[str], size: int) -> set[bytes]:
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


@dataclass(frozen=True)
class Fingerprint:
    size: int  # number of distinct shingles
    signature: np.ndarray  # uint32[num_perm]

    def bands(self, bands: int) -> list[str]:
        """One short key per LSH band: texts sharing any band are candidates."""
        rows = len(self.signature) // bands
        raw = self.signature.astype("<u4").tobytes()
        width = rows * 4
        return [hashlib.blake2b(raw[i * width:(i + 1) * width], digest_size=8).hexdigest()
                for i in range(bands)]

    def encode(self) -> str:
        return f"{self.size}:{self.signature.astype('<u4').tobytes().hex()}"

    @classmethod
    def decode(cls, text: str) -> Fingerprint:
        size, _, hexsig = text.partition(":")
        return cls(int(size), np.frombuffer(bytes.fromhex(hexsig), dtype="<u4"))


_CHAIN = np.uint64(0x100000001B3)
_MIX1, _MIX2, _SHIFT = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33)


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-word shingles (one shingle of all the
    words when there are fewer)."""
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    size = min(size, n)
    word = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=n)
    count = n - size + 1
    h = np.zeros(count, dtype=np.uint64)
    for j in range(size):  # uint64 arithmetic wraps, as intended
        h = (h * _CHAIN) ^ word[j:j + count]
    h ^= h >> _SHIFT
    h *= _MIX1
    h ^= h >> _SHIFT
    h *= _MIX2
    h ^= h >> _SHIFT
    return np.unique((h >> np.uint64(32)).astype(np.uint32))


@lru_cache(maxsize=8)
def _empty(num_perm: int) -> np.ndarray:
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).hashvalues.astype("<u4")


def signature(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash signature of a set of 32-bit hashes: what datasketch's
    ``MinHash(scheme="affine32", hashfunc=int).update_batch`` computes (its own
    permutations and pre-mix), on the array directly rather than through a list
    of Python ints (a unit test holds the two equal)."""
    if not len(hashes):
        return _empty(num_perm)
    a, b = _permutations(num_perm)
    hv = _fmix(hashes.astype(np.uint32).reshape(-1, 1), 32)
    return (hv * a + b).min(axis=0).astype("<u4")


def fingerprint_words(tokens: list[str], shingle: int = 3, num_perm: int = 128) -> Fingerprint:
    hashes = shingle_hashes(tokens, shingle)
    return Fingerprint(len(hashes), signature(hashes, num_perm))


def fingerprint(text: str, shingle: int = 3, num_perm: int = 128) -> Fingerprint:
    return fingerprint_words(words(text), shingle, num_perm)


def text_digest(tokens: list[str]) -> str:
    """The identity of a text for exact duplicates: its normalised words."""
    return hashlib.sha1(" ".join(tokens).encode()).hexdigest()


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
