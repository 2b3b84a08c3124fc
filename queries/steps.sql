-- Workshop steps: an ordered list whose positions are exactly 1..n per workshop.
--
-- Concurrency: every write below runs after workshops.lock_workshop has
-- locked the workshop row (for no key update), so changes to one workshop's
-- steps queue on that lock and never interleave; no retries are needed.
-- Each shift of positions is a single statement: the unique constraint
-- workshop_step_position_key is deferrable, so it is checked at the end of
-- the statement, and the constraint trigger workshop_step_contiguous checks
-- at commit that the positions are 1..n.

-- name: count_steps(workshop_id)$
-- How many steps the workshop has. The handler calls it with the workshop
-- locked, to place an appended step (n + 1), to refuse a position outside
-- 1..n+1 (insert) or 1..n (move) with 422, and to refuse a 501st step with
-- 409 /problems/too-many-steps (at most 500 steps a workshop).
-- Used by POST /v1/workshops/{workshop_id}/steps and
-- PATCH /v1/workshops/{workshop_id}/steps/{step_id}.
select count(*)
from workshop_step
where workshop_id = :workshop_id;

-- name: insert_step(id, workshop_id, position, title, body, duration_minutes)^
-- record_class: Step
-- Insert a step at `position` (1..n+1, checked by the handler under the
-- workshop lock), first shifting the steps at or after it up by one, in one
-- statement. Appending is position n + 1, which shifts nothing.
-- Used by POST /v1/workshops/{workshop_id}/steps.
with shifted as (
    update workshop_step
    set position = position + 1, updated_at = now()
    where workshop_id = :workshop_id and position >= :position
    returning id
)

insert into workshop_step (id, workshop_id, position, title, body, duration_minutes)
values (:id, :workshop_id, :position, :title, :body, :duration_minutes)
returning
    id, workshop_id, position, title, body, duration_minutes, created_at, updated_at;

-- name: list_steps(workshop_id)
-- record_class: Step
-- Every step of a workshop in position order (at most 500, so not paged),
-- read from the index on (workshop_id, position).
-- Used by GET /v1/workshops/{workshop_id}/steps.
select
    id,
    workshop_id,
    position,
    title,
    body,
    duration_minutes,
    created_at,
    updated_at
from workshop_step
where workshop_id = :workshop_id
order by position;

-- name: get_step(workshop_id, step_id)^
-- record_class: Step
-- One step of a workshop; a step of another workshop is not found.
-- Used by GET /v1/workshops/{workshop_id}/steps/{step_id} and
-- PATCH /v1/workshops/{workshop_id}/steps/{step_id}.
select
    id,
    workshop_id,
    position,
    title,
    body,
    duration_minutes,
    created_at,
    updated_at
from workshop_step
where workshop_id = :workshop_id and id = :step_id;

-- name: move_step(workshop_id, step_id, position)!
-- Move a step to `position` (1..n, checked by the handler under the workshop
-- lock) in one UPDATE: the step takes the new position and every step
-- between its old and new positions moves one place towards the gap it left
-- (down by one when the step moves later, up by one when it moves earlier).
-- Used by PATCH /v1/workshops/{workshop_id}/steps/{step_id}.
update workshop_step as s
set
    position = case
        when s.id = moving.id then :position
        when moving.position < :position then s.position - 1
        else s.position + 1
    end,
    updated_at = now()
from workshop_step as moving
where
    moving.workshop_id = :workshop_id
    and moving.id = :step_id
    and s.workshop_id = moving.workshop_id
    and s.position >= least(moving.position, :position)
    and s.position <= greatest(moving.position, :position);

-- name: update_step(workshop_id, step_id, title, body, duration_minutes)^
-- record_class: Step
-- Write the merged fields of a step (its position is changed by move_step).
-- Used by PATCH /v1/workshops/{workshop_id}/steps/{step_id}.
update workshop_step
set
    title = :title,
    body = :body,
    duration_minutes = :duration_minutes,
    updated_at = now()
where workshop_id = :workshop_id and id = :step_id
returning
    id, workshop_id, position, title, body, duration_minutes, created_at, updated_at;

-- name: move_sessions_off_step(workshop_id, step_id)!
-- Before a step is deleted, move every session standing on it to the step
-- that takes its place: the next step (which delete_step shifts into its
-- position), or the new last step when it was the last, or null when it was
-- the only step. Without this the foreign key session_current_step_fkey
-- would set current_step_id to null.
-- Used by DELETE /v1/workshops/{workshop_id}/steps/{step_id}.
with gone as (
    select
        workshop_id,
        position
    from workshop_step
    where workshop_id = :workshop_id and id = :step_id
)

update session
set
    current_step_id = (
        select s.id
        from workshop_step as s
        inner join gone on s.workshop_id = gone.workshop_id
        where s.position in (gone.position + 1, gone.position - 1)
        order by s.position desc
        limit 1
    )
where workshop_id = :workshop_id and current_step_id = :step_id;

-- name: delete_step(workshop_id, step_id)$
-- Delete a step and close the gap in one statement: the steps after it move
-- down by one. Returns the step's id, or null when there was none. Run
-- after move_sessions_off_step.
-- Used by DELETE /v1/workshops/{workshop_id}/steps/{step_id}.
with deleted as (
    delete from workshop_step
    where workshop_id = :workshop_id and id = :step_id
    returning id, position
),

closed as (
    update workshop_step as s
    set position = s.position - 1, updated_at = now()
    from deleted
    where s.workshop_id = :workshop_id and s.position > deleted.position
    returning s.id
)

select id from deleted;
