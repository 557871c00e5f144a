"""Message digests for the start-up path without OpenSSL's import cost.

`hashlib` loads OpenSSL (several milliseconds, paid by every `pk` run that reads an
index); CPython's own built-in SHA modules load in well under one. They are slower on
large inputs, so bulk hashing (package files) keeps using hashlib.
"""

from __future__ import annotations

import sys

SIZES = {"sha1": 20, "sha256": 32, "sha512": 64}
_SMALL = 8 << 20


def new(name: str, data=b""):
    """A hash object for `name` ("sha1", "sha256", "sha512"), fed with `data`."""
    if "hashlib" not in sys.modules and len(data) <= _SMALL:
        if name == "sha1":
            import _sha1

            return _sha1.sha1(data)
        if name == "sha256":
            import _sha256

            return _sha256.sha256(data)
        if name == "sha512":
            import _sha512

            return _sha512.sha512(data)
    import hashlib

    return hashlib.new(name, data)
