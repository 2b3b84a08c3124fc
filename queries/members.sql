-- Workshop members: owners, facilitators and participants of one workshop.

-- name: insert_member(id, workshop_id, email, display_name, role)^
-- record_class: Member
-- Join a workshop; no row when the workshop does not exist. Capacity is held
-- by the trigger workshop_member_capacity, which locks the workshop row and
-- counts its participants, so concurrent joins queue and never exceed it (one
-- statement, no counting in Python); a duplicate email in any case hits the
-- unique index workshop_member_email_key.
-- Used by POST /v1/workshops/{workshop_id}/members.
insert into workshop_member (id, workshop_id, email, display_name, role)
select
    cast(:id as text) as id,
    w.id as workshop_id,
    cast(:email as text) as email,
    cast(:display_name as text) as display_name,
    cast(:role as text) as role
from workshop as w
where w.id = :workshop_id
returning id, workshop_id, email, display_name, role, joined_at;

-- name: get_member(workshop_id, member_id)^
-- record_class: Member
-- One member of one workshop (a member of another workshop is not found).
-- Used by GET /v1/workshops/{workshop_id}/members/{member_id}.
select
    id,
    workshop_id,
    email,
    display_name,
    role,
    joined_at
from workshop_member
where id = :member_id and workshop_id = :workshop_id;

-- name: lock_member(workshop_id, member_id)^
-- record_class: Member
-- Read a member and hold its row until the transaction ends, so a merge
-- patch reads and writes the same version (row lock, no retries).
-- Used by PATCH /v1/workshops/{workshop_id}/members/{member_id}.
select
    id,
    workshop_id,
    email,
    display_name,
    role,
    joined_at
from workshop_member
where id = :member_id and workshop_id = :workshop_id
for no key update;

-- name: list_members(workshop_id, role, after_joined_at, after_id, row_limit)
-- record_class: Member
-- One page of a workshop's members, earliest first, keyset-paginated on
-- (joined_at, id) over the index workshop_member_joined_at_idx, so rows
-- inserted while a client walks the pages never shift or repeat.
-- `role` is optional. Used by GET /v1/workshops/{workshop_id}/members.
select
    id,
    workshop_id,
    email,
    display_name,
    role,
    joined_at
from workshop_member
where
    workshop_id = :workshop_id
    and (cast(:role as text) is null or role = :role)
    and (
        cast(:after_id as text) is null
        or (joined_at, id) > (cast(:after_joined_at as timestamptz), :after_id)
    )
order by joined_at, id
limit :row_limit;

-- name: update_member(workshop_id, member_id, email, display_name, role)^
-- record_class: Member
-- Write every field of a merged member. A change of role to participant
-- passes the capacity trigger workshop_member_capacity (which locks the
-- workshop row); a duplicate email hits workshop_member_email_key.
-- Used by PATCH /v1/workshops/{workshop_id}/members/{member_id}.
update workshop_member
set
    email = :email,
    display_name = :display_name,
    role = :role
where id = :member_id and workshop_id = :workshop_id
returning id, workshop_id, email, display_name, role, joined_at;

-- name: delete_member(workshop_id, member_id)$
-- Remove a member and, by cascade, their sessions and build packs; returns
-- its id, or null when there was none.
-- Used by DELETE /v1/workshops/{workshop_id}/members/{member_id}.
delete from workshop_member
where id = :member_id and workshop_id = :workshop_id
returning id;
