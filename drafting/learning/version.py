"""What a learned model depends on besides its examples: the drafter's own code (its rules make the features),
written down as one digest."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

DRAFTING = Path(__file__).resolve().parent.parent


@cache
def code_digest() -> str:
    """A sha256 over every Python file of the drafting package (paths and contents, in path order)."""
    digest = hashlib.sha256()
    for path in sorted(DRAFTING.rglob("*.py")):
        digest.update(path.relative_to(DRAFTING).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
