-- The benchmarks' own statements: seeding and look-ups, never run by the service.
-- Loaded with aiosql by benchmarks/database.py. Seeded ids derive from the
-- series number (`ws_` + the first 24 hex digits of an md5), so they match
-- the id CHECKs and every run seeds the same rows.

-- name: seed_workshops(total)!
-- `total` workshops, one second apart in created_at, all with capacity null
-- (unlimited), so the benchmark's joins never fill one.
insert into workshop (
    id, slug, title, description, status, capacity, starts_at, created_at, updated_at
)
select
    'ws_' || left(md5('bench-workshop-' || g), 24) as id,
    'bench-' || g as slug,
    'Benchmark workshop ' || g as title,
    'Seeded by python -m benchmarks.' as description,
    (array['draft', 'published', 'archived'])[1 + g % 3] as status,
    null as capacity,
    timestamptz '2027-01-01 09:00:00+00' + g * interval '1 hour' as starts_at,
    timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second' as created_at,
    timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second' as updated_at
from generate_series(1, cast(:total as integer)) as g;

-- name: seed_steps(workshops, steps_each)!
-- `steps_each` steps (positions 1..n) for each of the first `workshops` workshops.
insert into workshop_step (id, workshop_id, position, title, body, duration_minutes)
select
    'wst_' || left(md5('bench-step-' || w || '-' || p), 24) as id,
    'ws_' || left(md5('bench-workshop-' || w), 24) as workshop_id,
    p as position,
    'Step ' || p || ' of workshop ' || w as title,
    repeat('Run the query, read the plan, then change one thing. ', 8) as body,
    10 + p as duration_minutes
from generate_series(1, cast(:workshops as integer)) as w
cross join generate_series(1, cast(:steps_each as integer)) as p;

-- name: seed_members(workshops)!
-- An owner, a facilitator and a participant in each of the first `workshops` workshops.
insert into workshop_member (id, workshop_id, email, display_name, role)
select
    'wm_' || left(md5('bench-member-' || w.n || '-' || r.role), 24) as id,
    'ws_' || left(md5('bench-workshop-' || w.n), 24) as workshop_id,
    r.role || w.n || '@seed.example' as email,
    initcap(r.role) || ' ' || w.n as display_name,
    r.role
from generate_series(1, cast(:workshops as integer)) as w (n)
cross join (values ('owner'), ('facilitator'), ('participant')) as r (role);

-- name: vacuum_analyze()!
-- Fresh statistics and visibility map after seeding, for both apps alike.
vacuum analyze;

-- name: workshop_ids_with_steps(n)
-- The first `n` workshops that have steps: the ids the HTTP load picks from.
select w.id
from workshop as w
where
    exists (
        select 1 from workshop_step as s
        where s.workshop_id = w.id
    )
order by w.created_at, w.id
limit :n;

-- name: workshop_key_at(skip)^
-- (created_at, id) of the row after `skip` rows in list order: what a
-- keyset cursor holds for the page that starts after it.
select
    created_at,
    id
from workshop
order by created_at, id
limit
    1
    offset :skip;

-- name: count_workshops()$
-- How many workshops the database holds.
select count(*) from workshop;

-- name: server_version()$
-- The PostgreSQL version, for the report.
select current_setting('server_version');
