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

-- name: sample_ids()^
-- record_class: SampleIds
-- Ids of real rows, bound as representative parameters when `make explain`
-- plans every query: the workshop with the most members among those with
-- steps, an active session and a draft pack (a large one, where a bad plan
-- shows); of it, a member with no active session (so starting one works),
-- preferring one with past sessions, its middle step, an active session, a
-- draft pack; the oldest API key; the oid of table workshop. No row in a
-- database without such a workshop (not seeded yet). Used by `make explain`.
with big as (
    select
        m.workshop_id,
        count(*) as members
    from workshop_member as m
    where
        exists (
            select 1 from workshop_step as st
            where st.workshop_id = m.workshop_id
        )
        and exists (
            select 1 from session as s
            where s.workshop_id = m.workshop_id and s.status = 'active'
        )
        and exists (
            select 1 from build_pack as bp
            where bp.workshop_id = m.workshop_id and bp.status = 'draft'
        )
    group by m.workshop_id
    order by members desc, m.workshop_id asc
    limit 1
)

select
    big.workshop_id,
    (
        select m.id from workshop_member as m
        where
            m.workshop_id = big.workshop_id
            and not exists (
                select 1 from session as s
                where s.member_id = m.id and s.status = 'active'
            )
        order by
            exists (
                select 1 from session as s
                where s.member_id = m.id
            ) desc,
            m.id asc
        limit 1
    ) as member_id,
    (
        select st.id from workshop_step as st
        where
            st.workshop_id = big.workshop_id
            and st.position = (
                select (count(*) + 1) / 2 from workshop_step as n
                where n.workshop_id = big.workshop_id
            )
    ) as step_id,
    (
        select s.id from session as s
        where s.workshop_id = big.workshop_id and s.status = 'active'
        order by s.id
        limit 1
    ) as session_id,
    (
        select bp.id from build_pack as bp
        where bp.workshop_id = big.workshop_id and bp.status = 'draft'
        order by bp.id
        limit 1
    ) as build_pack_id,
    (
        select k.id from api_key as k
        order by k.created_at, k.id
        limit 1
    ) as key_id,
    cast(cast('workshop' as regclass) as oid) as table_oid
from big;

-- name: table_sizes()
-- record_class: TableSize
-- The planner's row estimate (pg_class.reltuples, as of the last ANALYZE)
-- of each table in the current schema: `make explain` flags a Seq Scan of a
-- table of 10,000 rows or more behind a GET endpoint. Used by `make explain`.
select
    c.relname as table_name,
    cast(greatest(c.reltuples, 0) as bigint) as estimated_rows
from pg_catalog.pg_class as c
where
    c.relkind in ('r', 'p')
    and c.relnamespace = cast(current_schema() as regnamespace)
order by c.relname;

-- name: seed_counts()^
-- record_class: SeedCounts
-- Exact row counts of the seeded tables, and the largest workshop's member
-- count, printed after seeding; zero workshops means "not seeded yet".
-- Used by `make seed` and `make explain`.
select
    (select count(*) from workshop) as workshops,
    (select count(*) from workshop_member) as members,
    (select count(*) from workshop_step) as steps,
    (select count(*) from session) as sessions,
    (
        select count(*) from session
        where status = 'active'
    ) as active_sessions,
    (select count(*) from build_pack) as build_packs,
    (
        select count(*) from build_pack
        where status = 'final'
    ) as final_build_packs,
    (select count(*) from api_key) as api_keys,
    (
        select coalesce(max(sized.members), 0)
        from (
            select count(*) as members
            from workshop_member
            group by workshop_id
        ) as sized
    ) as largest_workshop_members;
