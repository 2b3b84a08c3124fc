"""`make bench` (`python -m benchmarks`): Atelier measured against reference implementations (SPEC section 12).

Modules: `database` (a dedicated, seeded cluster), `per_call` (query layer
against asyncpg by hand), `loadgen` (the HTTP load generator, its own
process), `servers` (the apps as processes), `http_load`, `pagination`,
`cold_start`, `report` (the table); `reference/` holds the FastAPI +
SQLAlchemy ORM app. This module imports nothing, so the load generator
starts light.
"""
