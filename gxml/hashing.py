"""MurmurHash3 (x86, 32-bit) in pure Python: the hash scikit-learn's FeatureHasher uses.

Prediction hashes each feature name once (the result is cached by :mod:`gxml.features`), so a
pure-Python hash costs nothing measurable, and parsing never imports scikit-learn (about 90 MB
of memory and a second of start-up); training still does.
"""
from __future__ import annotations

_C1, _C2, _MASK = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _MASK


def _mix(k: int) -> int:
    return (_rotl((k * _C1) & _MASK, 15) * _C2) & _MASK


def murmurhash3_32(key: str, seed: int = 0) -> int:
    """Signed 32-bit MurmurHash3 of ``key`` (UTF-8), equal to
    ``sklearn.utils.murmurhash3_32(key, seed=seed, positive=False)``."""
    data = key.encode("utf-8")
    n = len(data)
    h = seed & _MASK
    end = n - n % 4
    for i in range(0, end, 4):
        h ^= _mix(int.from_bytes(data[i:i + 4], "little"))
        h = (_rotl(h, 13) * 5 + 0xE6546B64) & _MASK
    if n % 4:
        h ^= _mix(int.from_bytes(data[end:], "little"))
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h - (1 << 32) if h >= 1 << 31 else h
