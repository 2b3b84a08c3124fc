"""PostgreSQL types as Python sees them through asyncpg and pydantic."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

__all__ = ["PYTHON_TYPES", "annotation_for"]

# PostgreSQL type name -> (annotation text for generated code, runtime classes a model may declare)
PYTHON_TYPES: dict[str, tuple[str, tuple[type[Any], ...]]] = {
    "text": ("str", (str,)),
    "varchar": ("str", (str,)),
    "bpchar": ("str", (str,)),
    "name": ("str", (str,)),
    "citext": ("str", (str,)),
    "int2": ("int", (int,)),
    "int4": ("int", (int,)),
    "int8": ("int", (int,)),
    "oid": ("int", (int,)),
    "float4": ("float", (float,)),
    "float8": ("float", (float,)),
    "numeric": ("decimal.Decimal", (decimal.Decimal,)),
    "bool": ("bool", (bool,)),
    "timestamptz": ("datetime.datetime", (datetime.datetime,)),
    "timestamp": ("datetime.datetime", (datetime.datetime,)),
    "date": ("datetime.date", (datetime.date,)),
    "interval": ("datetime.timedelta", (datetime.timedelta,)),
    "uuid": ("uuid.UUID", (uuid.UUID,)),
    "bytea": ("bytes", (bytes,)),
    "jsonb": ("dict[str, Any]", (dict,)),
    "json": ("dict[str, Any]", (dict,)),
}


def annotation_for(type_name: str) -> str:
    """Annotation text for a PostgreSQL type; arrays (`_text`) become lists."""
    if type_name.startswith("_"):
        return f"list[{annotation_for(type_name[1:])}]"
    if type_name not in PYTHON_TYPES:
        raise KeyError(f"no Python type known for PostgreSQL type {type_name!r}")
    return PYTHON_TYPES[type_name][0]
