"""Build packs: row, create and merge-patch bodies, and the rules for `content`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, Field

from service.models.common import Body, Row, Title

BuildPackStatus = Literal["draft", "final"]

MAX_CONTENT_BYTES: Final = 262_144
"""256 KiB of JSON text, measured as PostgreSQL prints jsonb (CHECK build_pack_content_size)."""
MAX_CONTENT_DEPTH: Final = 64
"""Deepest nesting of objects and arrays in `content`; the top object is level 1."""


def _depth(value: Any) -> int:
    """Nesting depth of a JSON value, without recursion (so no input can exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_CONTENT_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def content_size(content: dict[str, Any]) -> int:
    """Bytes of `content` as `content::text` prints it: UTF-8, `", "` and `": "` separators."""
    text = json.dumps(content, ensure_ascii=False, separators=(", ", ": "))
    return len(text.encode("utf-8", errors="surrogatepass"))


def _check_content(content: dict[str, Any]) -> dict[str, Any]:
    if _depth(content) > MAX_CONTENT_DEPTH:
        raise ValueError(f"must nest at most {MAX_CONTENT_DEPTH} levels of objects and arrays")
    if content_size(content) > MAX_CONTENT_BYTES:
        raise ValueError(f"must be at most {MAX_CONTENT_BYTES} bytes (256 KiB) as JSON text")
    return content


Content = Annotated[
    dict[str, Any],
    AfterValidator(_check_content),
    Field(
        examples=[{"notes": "Indexes matter.", "files": ["schema.sql"]}],
        description=(
            "A JSON object of at most 262144 bytes (256 KiB) as JSON text with `, ` and `: ` separators "
            "(how PostgreSQL prints jsonb), nesting at most 64 levels."
        ),
    ),
]


class BuildPack(Row):
    id: str = Field(examples=["bp_z3c8v1b6n0m2q7w4e9r5t1y8"])
    session_id: str = Field(examples=["ses_h5j2k8l1z4x9c3v7b0n6m2q1"])
    workshop_id: str = Field(examples=["ws_k1x0b3c9q2m8w7e5r4t6y1u0"])
    title: str = Field(examples=["My SQL cheat sheet"])
    content: dict[str, Any] = Field(examples=[{"notes": "Indexes matter.", "files": ["schema.sql"]}])
    status: BuildPackStatus
    version: int = Field(examples=[1], description="1 when created, +1 on every change.")
    created_at: datetime
    updated_at: datetime


class BuildPackCreate(Body):
    """A new draft pack; its workshop is the session's."""

    title: Title = Field(examples=["My SQL cheat sheet"])
    content: Content = Field(default_factory=dict)


class BuildPackUpdate(Body):
    """A JSON merge patch (RFC 7396): absent fields stay; `content` is merged key by key
    into the stored object, and a `null` inside it removes that key."""

    title: Title | None = None
    content: Content | None = None
