-- Migration bookkeeping: dbmate's table and the lock around `make migrate`.

-- name: list_applied_migrations()
-- record_class: AppliedMigration
-- Versions dbmate has applied. Used by GET /ready and `python -m service migrate`.
select version
from schema_migrations
order by version;

-- name: try_migration_lock(lock_key)$
-- Take the session-level advisory lock that serialises `make migrate` runs,
-- without waiting: a blocking lock could deadlock a concurrent index build,
-- so the caller polls. Used by `python -m service migrate`.
select pg_try_advisory_lock(:lock_key);

-- name: release_migration_lock(lock_key)$
-- Release the lock taken by try_migration_lock. Used by `python -m service migrate`.
select pg_advisory_unlock(:lock_key);

-- name: set_statement_timeout(timeout)$
-- Set statement_timeout for the current transaction only. Behind PgBouncer in
-- transaction mode no session setting survives, so every request transaction
-- sets it. Used by every /v1 route when DATABASE_POOL_MODE=transaction.
select set_config('statement_timeout', :timeout, true);

-- name: get_column_nullability(table_oid, column_number)^
-- record_class: ColumnNullability
-- Whether a table column may hold null, for the query contract check
-- (`python -m service check-queries`), which learns each result column's
-- table and number from PostgreSQL's description of the prepared query.
select
    c.relname as table_name,
    a.attname as column_name,
    a.attnotnull as not_null
from pg_catalog.pg_attribute as a
inner join pg_catalog.pg_class as c on a.attrelid = c.oid
where a.attrelid = :table_oid and a.attnum = :column_number;
