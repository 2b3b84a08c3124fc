-- Seed: a realistic volume of rows, so query plans look like production's.
--
-- `make seed` and `make explain` run this file; a DBA can run it alone:
--   PGOPTIONS='-c atelier.seed_scale=0.1' psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f db/seed.sql
-- Scale 1 (the default) is 10,000 workshops and 100,000 members. Workshops
-- are skewed: the oldest hold thousands of members, the newest a handful;
-- archived ones are old and drafts new, as in life.
-- Each workshop has 0 to 10 steps (5 on average), positions 1..n; each
-- participant has 0 to 3 sessions, at most the last of them active; completed
-- sessions carry build packs, most of them final; three API keys whose
-- secrets are random and never kept, so they open nothing.
--
-- Every trigger runs as it would for the API: capacities are set after the
-- members join (and never below the participants), steps commit 1..n,
-- final packs are inserted final, never updated. The database must be
-- migrated and hold no workshop yet. Random choices are repeatable (setseed).

begin;

do $$
begin
    if exists (select 1 from workshop) then
        raise exception 'the seed wants a database without workshops'
        using hint = 'make seed uses a fresh atelier_seed database when DATABASE_URL is unset';
    end if;
end;
$$;

select setseed(0.42);

-- The size of everything, from the scale.
create temporary table seed_size on commit drop as
select
    greatest(2, round(10000 * given.scale)) as workshops,
    greatest(20, round(100000 * given.scale)) as members
from (
    select
        cast(
            coalesce(nullif(current_setting('atelier.seed_scale', true), ''), '1') as numeric
        ) as scale
) as given;

-- One row per workshop: its number, id, topic, recency (0 oldest, 1 newest),
-- creation time and step count.
create temporary table seed_workshop on commit drop as
select
    g.n,
    'ws_' || substr(md5('ws:' || g.n), 1, 24) as id,
    (array[
        'postgres', 'rust', 'python', 'kubernetes', 'react', 'terraform',
        'golang', 'security', 'design', 'testing', 'observability', 'sql'
    ])[1 + g.n % 12] as topic,
    g.n / size.workshops as recency,
    now() - interval '730 days' * (1 - g.n / size.workshops) as created_at,
    cast(floor(random() * 11) as integer) as step_count,
    random() as roll
from seed_size as size
cross join lateral generate_series(1, cast(size.workshops as integer)) as g (n);

insert into workshop (id, slug, title, description, status, starts_at, created_at, updated_at)
select
    w.id,
    w.topic || '-cohort-' || w.n as slug,
    'Hands-on ' || initcap(w.topic) || ', cohort ' || w.n as title,
    repeat('Bring a laptop. ', 1 + w.n % 20) as description,
    case
        when w.recency < 0.3 and w.roll < 0.5 then 'archived'
        when w.recency > 0.85 and w.roll < 0.8 then 'draft'
        else 'published'
    end as status,
    case when w.recency <= 0.85 then w.created_at + interval '30 days' end as starts_at,
    w.created_at,
    w.created_at + interval '1 day' as updated_at
from seed_workshop as w;

-- An owner per workshop, then the other members: member i joins workshop
-- 1 + floor(W * u^3) for a uniform u, so low numbers (older workshops) are big.
insert into workshop_member (id, workshop_id, email, display_name, role, joined_at)
select
    'wm_' || substr(md5('wm:owner:' || w.n), 1, 24) as id,
    w.id as workshop_id,
    'owner' || w.n || '@example.com' as email,
    'Owner ' || w.n as display_name,
    'owner' as role,
    w.created_at as joined_at
from seed_workshop as w;

insert into workshop_member (id, workshop_id, email, display_name, role, joined_at)
select
    'wm_' || substr(md5('wm:' || placed.i), 1, 24) as id,
    w.id as workshop_id,
    'member' || placed.i || '@example.com' as email,
    'Member ' || placed.i as display_name,
    case when placed.roll < 0.08 then 'facilitator' else 'participant' end as role,
    w.created_at + (now() - w.created_at) * placed.roll as joined_at
from (
    select
        g.i,
        1 + cast(floor(size.workshops * power(random(), 3)) as integer) as workshop_n,
        random() as roll
    from seed_size as size
    cross join lateral generate_series(1, cast(size.members - size.workshops as integer)) as g (i)
) as placed
inner join seed_workshop as w on placed.workshop_n = w.n;

-- Every fifth workshop is capped, with room left above its participants.
update workshop
set capacity = taken.participants + 5
from (
    select
        m.workshop_id,
        count(*) as participants
    from workshop_member as m
    inner join seed_workshop as w on m.workshop_id = w.id
    where m.role = 'participant' and w.n % 5 = 0
    group by m.workshop_id
) as taken
where workshop.id = taken.workshop_id;

insert into workshop_step (
    id, workshop_id, position, title, body, duration_minutes, created_at, updated_at
)
select
    'wst_' || substr(md5('wst:' || w.n || ':' || p), 1, 24) as id,
    w.id as workshop_id,
    p as position,
    'Step ' || p || ': ' || w.topic || ' exercise' as title,
    repeat('Run the command, read the output, then explain it to a neighbour. ', 1 + p * 3) as body,
    case when p % 4 <> 0 then 5 * (1 + (w.n + p) % 12) end as duration_minutes,
    w.created_at,
    w.created_at as updated_at
from seed_workshop as w
cross join lateral generate_series(1, w.step_count) as p;

-- Sessions: 0 to 3 runs per participant; only the last run may be active.
-- An active or abandoned run stands on a random step, a completed one on
-- the last; none when the workshop has no steps.
insert into session (id, workshop_id, member_id, status, current_step_id, started_at, ended_at)
select
    'ses_' || substr(md5('ses:' || run.member_id || ':' || run.j), 1, 24) as id,
    run.workshop_id,
    run.member_id,
    run.status,
    step.id as current_step_id,
    run.started_at,
    case
        when run.status <> 'active' then run.started_at + (now() - run.started_at) * run.roll / 2
    end as ended_at
from (
    select
        runs.*,
        case
            when runs.j < runs.k and runs.roll < 0.7 then 'completed'
            when runs.j < runs.k then 'abandoned'
            when runs.roll < 0.35 then 'active'
            when runs.roll < 0.8 then 'completed'
            else 'abandoned'
        end as status
    from (
        select
            p.member_id,
            p.workshop_id,
            p.k,
            j,
            w.step_count,
            p.joined_at + (now() - p.joined_at) * j / 4 as started_at,
            random() as roll
        from (
            select
                chance.member_id,
                chance.workshop_id,
                chance.joined_at,
                case
                    when chance.roll < 0.30 then 0
                    when chance.roll < 0.75 then 1
                    when chance.roll < 0.93 then 2
                    else 3
                end as k
            from (
                select
                    id as member_id,
                    workshop_id,
                    joined_at,
                    random() as roll
                from workshop_member
                where role = 'participant'
            ) as chance
        ) as p
        inner join seed_workshop as w on p.workshop_id = w.id
        cross join lateral generate_series(1, p.k) as j
    ) as runs
) as run
left join workshop_step as step
    on
        run.workshop_id = step.workshop_id
        and step.position = case
            when run.status = 'completed' then run.step_count
            else 1 + cast(floor(run.roll * run.step_count) as integer)
        end;

-- Build packs: most completed sessions leave one (70% final), a few active
-- ones a draft. Inserted in their final state: the immutability trigger
-- guards updates only, and none happens here.
insert into build_pack (
    id, session_id, workshop_id, title, content, status, version, created_at, updated_at
)
select
    'bp_' || substr(md5('bp:' || packed.id), 1, 24) as id,
    packed.id as session_id,
    packed.workshop_id,
    'Take-away of ' || packed.id as title,
    jsonb_build_object(
        'notes', repeat('What I built and how. ', 1 + cast(floor(packed.roll * 20) as integer)),
        'files', jsonb_build_array('README.md', 'main.py', 'Makefile'),
        'step', packed.current_step_id
    ) as content,
    case
        when packed.status = 'completed' and packed.roll < 0.7 then 'final'
        else 'draft'
    end as status,
    1 + cast(floor(packed.roll * 3) as integer) as version,
    coalesce(packed.ended_at, least(now(), packed.started_at + interval '1 hour'))
        as created_at,
    coalesce(packed.ended_at, least(now(), packed.started_at + interval '1 hour'))
        as updated_at
from (
    select
        s.id,
        s.workshop_id,
        s.status,
        s.current_step_id,
        s.started_at,
        s.ended_at,
        random() as roll
    from session as s
    where s.status <> 'abandoned'
) as packed
where
    (packed.status = 'completed' and packed.roll < 0.8)
    or (packed.status = 'active' and packed.roll < 0.15);

insert into api_key (id, name, scope, secret_sha256, created_at, last_used_at, revoked_at)
select
    'key_' || substr(md5('key:' || n), 1, 24) as id,
    'seed ' || (array['reader', 'writer', 'retired'])[n] as name,
    (array['read', 'write', 'write'])[n] as scope,
    sha256(convert_to(gen_random_uuid() || ':' || random(), 'UTF8')) as secret_sha256,
    now() - interval '90 days' as created_at,
    now() - interval '1 hour' * n as last_used_at,
    case when n = 3 then now() - interval '30 days' end as revoked_at
from generate_series(1, 3) as n;

commit;

-- Fresh statistics, so the planner sees these volumes at once.
analyze workshop, workshop_member, workshop_step, session, build_pack, api_key;
