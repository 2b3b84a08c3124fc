"""JSON merge patch (RFC 7396) over a row, validated as a whole."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from service.errors import ProblemError

__all__ = ["merge"]

B = TypeVar("B", bound=BaseModel)


def merge(current: BaseModel, patch: BaseModel, full: type[B]) -> B:
    """Apply the fields the client sent to `current`, then validate the result as `full`.

    A `null` for a field that cannot be null fails here, naming the field.
    """
    values = current.model_dump(include=set(full.model_fields))
    values.update(patch.model_dump(exclude_unset=True))
    try:
        return full.model_validate(values)
    except ValidationError as exc:
        errors = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ProblemError(422, "validation", "Invalid request", detail, errors) from None
