"""JSON merge patch (RFC 7396) over a row, validated as a whole."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from service.errors import ProblemError

__all__ = ["merge", "merge_json"]

B = TypeVar("B", bound=BaseModel)


def merge_json(target: Any, patch: Any) -> Any:
    """RFC 7396 on a JSON value: objects merge key by key, `null` removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_json(merged.get(key), value)
    return merged


def merge(current: BaseModel, patch: BaseModel, full: type[B]) -> B:
    """Apply the fields the client sent to `current`, then validate the result as `full`.

    A top-level `null` sets the field to null (and fails here, naming the field,
    where it cannot be null); object-valued fields such as a pack's `content`
    merge key by key.
    """
    values = current.model_dump(mode="json", include=set(full.model_fields))
    for name, value in patch.model_dump(mode="json", exclude_unset=True).items():
        values[name] = merge_json(values.get(name), value) if isinstance(value, dict) else value
    try:
        return full.model_validate(values)
    except ValidationError as exc:
        errors = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ProblemError(422, "validation", "Invalid request", detail, errors) from None
