"""Text fingerprints for near-duplicate detection: word shingles, MinHash, LSH bands.

The text is normalised as extraction normalises it (Arabic letter variants,
diacritics, tatweel, Latin case and accents folded), split into words, and cut
into overlapping shingles of ``shingle`` words. Each shingle is hashed with
CRC-32 (stable across processes and machines, and 3x cheaper than datasketch's
SHA-1 default) and the set is summarised by a datasketch MinHash.

Two pinned choices keep fingerprints comparable between replicas and over
time, and must change together with the index key names (``INDEX_VERSION``):

* datasketch 2.0.0, scheme ``affine32`` (2.0 changed the hash scheme; mixed
  versions silently disagree), seed 1, and CRC-32 as the shingle hash;
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

from services.extraction.normalize import normalize_plain

#: Bump when the shingling, hashing or banding changes: index keys carry it.
INDEX_VERSION = "v1"
_SCHEME = "affine32"
_SEED = 1
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8)
def _permutations(num_perm: int):
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations


def words(text: str) -> list[str]:
    return _WORD.findall(normalize_plain(text))


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


def fingerprint(text: str, shingle: int = 3, num_perm: int = 128) -> Fingerprint:
    grams = shingles(words(text), shingle)
    m = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME, hashfunc=zlib.crc32,
                permutations=_permutations(num_perm))
    if grams:
        m.update_batch(grams)
    return Fingerprint(len(grams), m.hashvalues.astype("<u4"))


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
