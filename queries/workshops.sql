-- Workshops: the root aggregate. Every other row hangs off a workshop.

-- name: insert_workshop(id, slug, title, description, status, capacity, starts_at)^
-- record_class: Workshop
-- Create a workshop. Used by POST /v1/workshops.
insert into workshop (id, slug, title, description, status, capacity, starts_at)
values (:id, :slug, :title, :description, :status, :capacity, :starts_at)
returning
    id, slug, title, description, status, capacity, starts_at, created_at, updated_at;

-- name: get_workshop(workshop_id)^
-- record_class: WorkshopDetail
-- One workshop with its counts, each a lookup on an index of its table.
-- Used by GET /v1/workshops/{workshop_id}.
select
    w.id,
    w.slug,
    w.title,
    w.description,
    w.status,
    w.capacity,
    w.starts_at,
    w.created_at,
    w.updated_at,
    (
        select count(*) from workshop_step as s
        where s.workshop_id = w.id
    ) as step_count,
    (
        select count(*) from workshop_member as m
        where m.workshop_id = w.id
    ) as member_count,
    (
        select count(*) from workshop_member as m
        where m.workshop_id = w.id and m.role = 'participant'
    ) as participant_count
from workshop as w
where w.id = :workshop_id;

-- name: workshop_exists(workshop_id)$
-- Whether a workshop exists (primary key lookup), asked only when a list
-- under it comes back empty, to tell an empty list from an unknown workshop.
-- Used by GET /v1/workshops/{workshop_id}/members,
-- GET /v1/workshops/{workshop_id}/sessions,
-- GET /v1/workshops/{workshop_id}/steps and
-- GET /v1/workshops/{workshop_id}/build-packs.
select exists(
    select 1 from workshop
    where id = :workshop_id
) as found;

-- name: lock_workshop(workshop_id)^
-- record_class: Workshop
-- Read a workshop and hold its row until the transaction ends, so a merge
-- patch reads and writes the same version. Also serialises changes to the
-- workshop's steps (row lock, no retries), and is taken before a member's
-- row so every writer locks workshop, then member (no deadlock).
-- Used by PATCH /v1/workshops/{workshop_id}, by every write to its steps:
-- POST /v1/workshops/{workshop_id}/steps,
-- PATCH /v1/workshops/{workshop_id}/steps/{step_id},
-- DELETE /v1/workshops/{workshop_id}/steps/{step_id},
-- and by PATCH /v1/workshops/{workshop_id}/members/{member_id}.
select
    id,
    slug,
    title,
    description,
    status,
    capacity,
    starts_at,
    created_at,
    updated_at
from workshop
where id = :workshop_id
for no key update;

-- name: list_workshops(status, q, after_created_at, after_id, row_limit)
-- record_class: Workshop
-- One page of workshops, oldest first, keyset-paginated on (created_at, id)
-- so rows inserted while a client walks the pages never shift or repeat.
-- `status` and `q` (case-insensitive substring of title or slug, with its
-- LIKE wildcards escaped) are optional.
-- Used by GET /v1/workshops.
select
    id,
    slug,
    title,
    description,
    status,
    capacity,
    starts_at,
    created_at,
    updated_at
from workshop
where
    (cast(:status as text) is null or status = :status)
    and (
        cast(:q as text) is null
        or title ilike '%' || replace(replace(replace(:q, '\', '\\'), '%', '\%'), '_', '\_') || '%'
        or slug ilike '%' || replace(replace(replace(:q, '\', '\\'), '%', '\%'), '_', '\_') || '%'
    )
    and (
        cast(:after_id as text) is null
        or (created_at, id) > (cast(:after_created_at as timestamptz), :after_id)
    )
order by created_at, id
limit :row_limit;

-- name: update_workshop(workshop_id, slug, title, description, status, capacity, starts_at)^
-- record_class: Workshop
-- Write every field of a merged workshop. The trigger
-- workshop_capacity_change refuses a capacity below the participant count.
-- Used by PATCH /v1/workshops/{workshop_id}.
update workshop
set
    slug = :slug,
    title = :title,
    description = :description,
    status = :status,
    capacity = :capacity,
    starts_at = :starts_at,
    updated_at = now()
where id = :workshop_id
returning
    id, slug, title, description, status, capacity, starts_at, created_at, updated_at;

-- name: delete_workshop(workshop_id)$
-- Delete a workshop and, by cascade, everything under it; returns its id,
-- or null when there was none. Used by DELETE /v1/workshops/{workshop_id}.
delete from workshop
where id = :workshop_id
returning id;
