-- Build packs: the JSON bundle a participant takes away from a session.
-- A draft changes only with If-Match; every change adds one to version; a
-- final pack never changes again (trigger build_pack_final_immutable).

-- name: insert_build_pack(id, session_id, title, content)^
-- record_class: BuildPack
-- Create a draft pack (version 1) from a session, taking its workshop from
-- the session in the same statement; no row when the session does not exist.
-- Used by POST /v1/sessions/{session_id}/build-packs.
insert into build_pack (id, session_id, workshop_id, title, content)
select
    cast(:id as text) as id,
    s.id as session_id,
    s.workshop_id,
    :title,
    cast(:content as jsonb) as content
from session as s
where s.id = :session_id
returning
    id, session_id, workshop_id, title, content, status, version, created_at, updated_at;

-- name: list_build_packs(workshop_id, status, after_created_at, after_id, row_limit)
-- record_class: BuildPack
-- One page of a workshop's packs, oldest first, keyset-paginated on
-- (created_at, id) along the index build_pack_created_at_idx, so rows
-- inserted while a client walks the pages never shift or repeat.
-- `status` is optional. Used by GET /v1/workshops/{workshop_id}/build-packs.
select
    id,
    session_id,
    workshop_id,
    title,
    content,
    status,
    version,
    created_at,
    updated_at
from build_pack
where
    workshop_id = :workshop_id
    and (cast(:status as text) is null or status = :status)
    and (
        cast(:after_id as text) is null
        or (created_at, id) > (cast(:after_created_at as timestamptz), :after_id)
    )
order by created_at, id
limit :row_limit;

-- name: get_build_pack(build_pack_id)^
-- record_class: BuildPack
-- One pack. Used by GET /v1/build-packs/{build_pack_id}.
select
    id,
    session_id,
    workshop_id,
    title,
    content,
    status,
    version,
    created_at,
    updated_at
from build_pack
where id = :build_pack_id;

-- name: lock_build_pack(build_pack_id)^
-- record_class: BuildPack
-- Read a pack and hold its row until the transaction ends, so the handler
-- compares If-Match with the version it then writes: concurrent PATCHes
-- with the same If-Match queue here, the first changes the pack and the
-- others see the new version and answer 412.
-- Used by PATCH /v1/build-packs/{build_pack_id} and
-- POST /v1/build-packs/{build_pack_id}/finalize.
select
    id,
    session_id,
    workshop_id,
    title,
    content,
    status,
    version,
    created_at,
    updated_at
from build_pack
where id = :build_pack_id
for no key update;

-- name: update_build_pack(build_pack_id, title, content)^
-- record_class: BuildPack
-- Write the merged title and content of a draft pack, one version later.
-- The trigger build_pack_final_immutable refuses a final pack (409).
-- Used by PATCH /v1/build-packs/{build_pack_id}.
update build_pack
set
    title = :title,
    content = cast(:content as jsonb),
    version = version + 1,
    updated_at = now()
where id = :build_pack_id
returning
    id, session_id, workshop_id, title, content, status, version, created_at, updated_at;

-- name: finalize_build_pack(build_pack_id)^
-- record_class: BuildPack
-- Make a draft pack final, one version later; from then on the trigger
-- build_pack_final_immutable refuses every change (409).
-- Used by POST /v1/build-packs/{build_pack_id}/finalize.
update build_pack
set
    status = 'final',
    version = version + 1,
    updated_at = now()
where id = :build_pack_id
returning
    id, session_id, workshop_id, title, content, status, version, created_at, updated_at;

-- name: delete_build_pack(build_pack_id)$
-- Delete a pack, final or not; returns its id, or null when there was none.
-- Used by DELETE /v1/build-packs/{build_pack_id}.
delete from build_pack
where id = :build_pack_id
returning id;
