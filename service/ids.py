"""Prefixed cuid2 ids: `ws_` + 24 lowercase base36 characters.

The prefix says what an id names, so a workshop id pasted where a session id
belongs is caught at once; the database CHECKs the same shape.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from cuid2 import Cuid

__all__ = ["PREFIXES", "Prefix", "create_id", "create_prefixed_id", "is_id"]

Prefix = Literal["ws", "wm", "wst", "ses", "bp", "key"]
PREFIXES: Final[dict[str, str]] = {
    "ws": "workshop",
    "wm": "workshop_member",
    "wst": "workshop_step",
    "ses": "session",
    "bp": "build_pack",
    "key": "api_key",
}
LENGTH: Final = 24
_generator = Cuid(length=LENGTH)
_SHAPES = {prefix: re.compile(rf"{prefix}_[a-z0-9]{{{LENGTH}}}") for prefix in PREFIXES}


def create_id() -> str:
    """A bare cuid2: 24 lowercase base36 characters, starting with a letter."""
    return _generator.generate()


def create_prefixed_id(prefix: Prefix) -> str:
    """`<prefix>_<cuid2>`; an unknown prefix is a programming error."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}; known: {', '.join(PREFIXES)}")
    return f"{prefix}_{create_id()}"


def is_id(value: str, prefix: Prefix) -> bool:
    """Whether `value` has the shape of an id with this prefix."""
    return _SHAPES[prefix].fullmatch(value) is not None
