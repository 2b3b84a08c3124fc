-- Atelier's first schema: workshops, their members, ordered steps,
-- participant sessions, build packs and API keys.
-- Every invariant the database can hold is held here, so no client,
-- SQL console or application bug can break it.

-- migrate:up
set lock_timeout = '5s';
set statement_timeout = '60s';

create table workshop (
    id text primary key,
    slug text not null,
    title text not null,
    description text not null default '',
    status text not null default 'draft',
    -- A head count, held to >= 1 by workshop_capacity_positive: int is ample.
    -- squawk-ignore prefer-bigint-over-int
    capacity integer,
    starts_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint workshop_id_format check (id ~ '^ws_[a-z0-9]{24}$'),
    constraint workshop_slug_format check (
        slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 64
    ),
    constraint workshop_title_length check (length(title) between 1 and 200),
    constraint workshop_description_length check (length(description) <= 10000),
    constraint workshop_status_valid check (status in ('draft', 'published', 'archived')),
    constraint workshop_capacity_positive check (capacity >= 1),
    constraint workshop_slug_key unique (slug)
);

comment on table workshop is 'A hands-on workshop: the root of every other row.';
comment on column workshop.slug is 'URL name, unique, lowercase words joined by single hyphens, at most 64 characters.';
comment on column workshop.capacity is 'Most participants allowed (owners and facilitators do not count); null means unlimited. Held by trigger workshop_member_capacity.';

create table workshop_member (
    id text primary key,
    workshop_id text not null references workshop (id) on delete cascade,
    email text not null,
    display_name text not null,
    role text not null default 'participant',
    joined_at timestamptz not null default now(),
    constraint workshop_member_id_format check (id ~ '^wm_[a-z0-9]{24}$'),
    constraint workshop_member_email_format check (
        email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' and length(email) <= 254
    ),
    constraint workshop_member_display_name_length check (length(display_name) between 1 and 100),
    constraint workshop_member_role_valid check (role in ('owner', 'facilitator', 'participant')),
    -- Target of the composite foreign key that keeps a session's member in its workshop.
    constraint workshop_member_workshop_id_id_key unique (workshop_id, id)
);

create unique index workshop_member_email_key on workshop_member (workshop_id, lower(email));

comment on table workshop_member is 'A person in a workshop: owner, facilitator or participant.';
comment on column workshop_member.email is 'Unique per workshop regardless of case (index workshop_member_email_key).';
comment on column workshop_member.role is 'Only participants count against workshop.capacity.';

create table workshop_step (
    id text primary key,
    workshop_id text not null references workshop (id) on delete cascade,
    -- At most 500 steps a workshop (SPEC 7): int is ample.
    -- squawk-ignore prefer-bigint-over-int
    position integer not null,
    title text not null,
    body text not null default '',
    -- 0..1440 (workshop_step_duration_minutes_range): int is ample.
    -- squawk-ignore prefer-bigint-over-int
    duration_minutes integer,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint workshop_step_id_format check (id ~ '^wst_[a-z0-9]{24}$'),
    constraint workshop_step_position_positive check (position >= 1),
    constraint workshop_step_title_length check (length(title) between 1 and 200),
    constraint workshop_step_body_length check (length(body) <= 100000),
    constraint workshop_step_duration_minutes_range check (duration_minutes between 0 and 1440),
    -- Deferrable so that one statement can shift many positions at once.
    constraint workshop_step_position_key unique (workshop_id, position)
    deferrable initially immediate,
    constraint workshop_step_workshop_id_id_key unique (workshop_id, id)
);

comment on table workshop_step is 'One step of a workshop; positions are exactly 1..n per workshop.';
comment on column workshop_step.position is 'Unique per workshop (deferrable) and contiguous from 1 (constraint trigger workshop_step_contiguous, checked at commit).';
comment on column workshop_step.body is 'Markdown, at most 100,000 characters.';

create table session (
    id text primary key,
    workshop_id text not null,
    member_id text not null,
    status text not null default 'active',
    current_step_id text,
    started_at timestamptz not null default now(),
    ended_at timestamptz,
    constraint session_id_format check (id ~ '^ses_[a-z0-9]{24}$'),
    constraint session_status_valid check (status in ('active', 'completed', 'abandoned')),
    constraint session_ended_at_matches_status check ((status = 'active') = (ended_at is null)),
    constraint session_member_fkey foreign key (workshop_id, member_id)
    references workshop_member (workshop_id, id) on delete cascade,
    constraint session_current_step_fkey foreign key (workshop_id, current_step_id)
    references workshop_step (workshop_id, id) on delete set null (current_step_id),
    -- Target of the composite foreign key that keeps a pack in its session's workshop.
    constraint session_workshop_id_id_key unique (workshop_id, id)
);

create unique index session_one_active_per_member on session (member_id) where status = 'active';

comment on table session is 'A participant''s run through the steps of a workshop.';
comment on column session.member_id is 'A member of the same workshop (composite foreign key session_member_fkey).';
comment on column session.current_step_id is 'A step of the same workshop (session_current_step_fkey); null when the workshop has no steps.';
comment on index session_one_active_per_member is 'At most one active session per member.';

create table build_pack (
    id text primary key,
    session_id text not null,
    workshop_id text not null,
    title text not null,
    content jsonb not null default '{}',
    status text not null default 'draft',
    -- One per edit of one pack, never a sequence shared by rows: int is ample.
    -- squawk-ignore prefer-bigint-over-int
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint build_pack_id_format check (id ~ '^bp_[a-z0-9]{24}$'),
    constraint build_pack_title_length check (length(title) between 1 and 200),
    constraint build_pack_content_object check (jsonb_typeof(content) = 'object'),
    constraint build_pack_content_size check (octet_length(cast(content as text)) <= 262144),
    constraint build_pack_status_valid check (status in ('draft', 'final')),
    constraint build_pack_version_positive check (version >= 1),
    constraint build_pack_session_fkey foreign key (workshop_id, session_id)
    references session (workshop_id, id) on delete cascade
);

comment on table build_pack is 'The JSON bundle a participant takes away from a session; immutable once final (trigger build_pack_final_immutable).';
comment on column build_pack.content is 'A JSON object of at most 256 KiB as text.';
comment on column build_pack.version is 'Starts at 1 and grows by one on every change; the ETag of the pack.';

create table api_key (
    id text primary key,
    name text not null,
    scope text not null,
    secret_sha256 bytea not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    constraint api_key_id_format check (id ~ '^key_[a-z0-9]{24}$'),
    constraint api_key_name_length check (length(name) between 1 and 100),
    constraint api_key_scope_valid check (scope in ('read', 'write')),
    constraint api_key_secret_sha256_length check (length(secret_sha256) = 32),
    constraint api_key_secret_sha256_key unique (secret_sha256)
);

comment on table api_key is 'Keys for the REST API; only the sha256 of each secret is stored.';
comment on column api_key.last_used_at is 'Refreshed at most once a minute, so reads do not write on every request.';

-- Indexes behind the list endpoints (keyset order) and the foreign keys.
create index workshop_created_at_id_idx on workshop (created_at, id);
create index workshop_member_joined_at_idx on workshop_member (workshop_id, joined_at, id);
create index session_started_at_idx on session (workshop_id, started_at, id);
create index session_member_id_idx on session (member_id);
create index session_current_step_id_idx on session (workshop_id, current_step_id);
create index build_pack_created_at_idx on build_pack (workshop_id, created_at, id);
create index build_pack_session_id_idx on build_pack (workshop_id, session_id);

-- Capacity: a participant may join (or become one) only while the workshop
-- has room. The workshop row is locked first, so concurrent joins queue and
-- each counts the participants committed before it.
create function workshop_member_check_capacity() returns trigger
language plpgsql as $$
declare
    room integer;
    taken integer;
begin
    if new.role <> 'participant' then
        return new;
    end if;
    if tg_op = 'UPDATE' and old.role = 'participant' and old.workshop_id = new.workshop_id then
        return new;
    end if;
    select capacity into room from workshop where id = new.workshop_id for no key update;
    if room is null then
        return new;
    end if;
    select count(*) into taken
    from workshop_member
    where workshop_id = new.workshop_id and role = 'participant' and id <> new.id;
    if taken >= room then
        raise exception 'workshop % is full (capacity %)', new.workshop_id, room
        using errcode = 'check_violation', constraint = 'workshop_member_capacity';
    end if;
    return new;
end;
$$;

create trigger workshop_member_capacity
before insert or update of role, workshop_id on workshop_member
for each row execute function workshop_member_check_capacity();

-- Capacity may not drop below the participants already in.
create function workshop_check_capacity_change() returns trigger
language plpgsql as $$
begin
    if new.capacity is not null and new.capacity is distinct from old.capacity
        and new.capacity < (
            select count(*) from workshop_member
            where workshop_id = new.id and role = 'participant'
        ) then
        raise exception 'capacity % is below the participant count of workshop %', new.capacity, new.id
        using errcode = 'check_violation', constraint = 'workshop_capacity_below_participants';
    end if;
    return new;
end;
$$;

create trigger workshop_capacity_change
before update of capacity on workshop
for each row execute function workshop_check_capacity_change();

-- Contiguity: at commit, a workshop's positions must be exactly 1..n.
-- Uniqueness (workshop_step_position_key) and position >= 1 are checked
-- already, so n rows whose largest position is n are 1..n.
create function workshop_step_check_contiguous() returns trigger
language plpgsql as $$
declare
    target text := coalesce(new.workshop_id, old.workshop_id);
begin
    if exists (
        select 1 from workshop_step
        where workshop_id = target
        having count(*) <> max(position)
    ) then
        raise exception 'step positions of workshop % are not 1..n', target
        using errcode = 'check_violation', constraint = 'workshop_step_contiguous';
    end if;
    return null;
end;
$$;

create constraint trigger workshop_step_contiguous
after insert or update of position or delete on workshop_step
deferrable initially deferred
for each row execute function workshop_step_check_contiguous();

-- A final build pack never changes again.
create function build_pack_refuse_final_change() returns trigger
language plpgsql as $$
begin
    if old.status = 'final' then
        raise exception 'build pack % is final', old.id
        using errcode = 'check_violation', constraint = 'build_pack_final_immutable';
    end if;
    return new;
end;
$$;

create trigger build_pack_final_immutable
before update on build_pack
for each row execute function build_pack_refuse_final_change();

-- migrate:down
drop table api_key;
drop table build_pack;
drop function build_pack_refuse_final_change();
drop table session;
drop table workshop_step;
drop function workshop_step_check_contiguous();
drop table workshop_member;
drop function workshop_member_check_capacity();
drop table workshop;
drop function workshop_check_capacity_change();
