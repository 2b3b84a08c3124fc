"""Typed rows and request bodies, one module per resource.

`RECORD_CLASSES` maps the names used by `-- record_class:` in `queries/*.sql`
to the pydantic models that every returned row is validated into.
"""

from pydantic import BaseModel

from service.models.api_keys import ApiKey, ApiKeyCredentials
from service.models.build_packs import BuildPack
from service.models.members import Member
from service.models.migrations import AppliedMigration, ColumnNullability, SampleIds, SeedCounts, TableSize
from service.models.sessions import ProgressRow, Session
from service.models.steps import Step
from service.models.workshops import Workshop, WorkshopDetail

RECORD_CLASSES: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (
        ApiKey,
        ApiKeyCredentials,
        AppliedMigration,
        ColumnNullability,
        SampleIds,
        SeedCounts,
        TableSize,
        Workshop,
        WorkshopDetail,
        Member,
        Session,
        ProgressRow,
        Step,
        BuildPack,
    )
}

__all__ = ["RECORD_CLASSES"]
