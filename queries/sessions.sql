-- Sessions: a participant's run through the steps of a workshop.

-- name: insert_session(id, workshop_id, member_id)^
-- record_class: Session
-- Start a session at the step in position 1 (null when the workshop has no
-- steps), in one statement; no row when the workshop does not exist. The
-- composite foreign key session_member_fkey refuses a member of another
-- workshop; the partial unique index session_one_active_per_member makes
-- concurrent starts for one member create exactly one active session.
-- Used by POST /v1/workshops/{workshop_id}/sessions.
insert into session (id, workshop_id, member_id, current_step_id)
select
    cast(:id as text) as id,
    w.id as workshop_id,
    cast(:member_id as text) as member_id,
    (
        select s.id from workshop_step as s
        where s.workshop_id = w.id and s.position = 1
    ) as current_step_id
from workshop as w
where w.id = :workshop_id
returning id, workshop_id, member_id, status, current_step_id, started_at, ended_at;

-- name: get_session(session_id)^
-- record_class: Session
-- One session. Used by GET /v1/sessions/{session_id}; and, to tell an
-- unknown session (404) from an ended one (409), by
-- POST /v1/sessions/{session_id}/advance,
-- POST /v1/sessions/{session_id}/complete and
-- POST /v1/sessions/{session_id}/abandon.
select
    id,
    workshop_id,
    member_id,
    status,
    current_step_id,
    started_at,
    ended_at
from session
where id = :session_id;

-- name: list_sessions(workshop_id, status, member_id, after_started_at, after_id, row_limit)
-- record_class: Session
-- One page of a workshop's sessions, earliest first, keyset-paginated on
-- (started_at, id) over the index session_started_at_idx. `status` and
-- `member_id` are optional. Used by GET /v1/workshops/{workshop_id}/sessions.
select
    id,
    workshop_id,
    member_id,
    status,
    current_step_id,
    started_at,
    ended_at
from session
where
    workshop_id = :workshop_id
    and (cast(:status as text) is null or status = :status)
    and (cast(:member_id as text) is null or member_id = :member_id)
    and (
        cast(:after_id as text) is null
        or (started_at, id) > (cast(:after_started_at as timestamptz), :after_id)
    )
order by started_at, id
limit :row_limit;

-- name: advance_session(session_id)^
-- record_class: Session
-- Move an active session to the step after its current one (the first step
-- when it has none, e.g. its step was deleted or steps were added after it
-- started); with no such step, complete it and keep its last step. One
-- statement: the next step is computed from the locked, latest version of
-- the row, so concurrent advances each move one step. No row when the
-- session is unknown or has ended.
-- Used by POST /v1/sessions/{session_id}/advance.
update session as s
set (current_step_id, status, ended_at) = (
    select
        coalesce(next_step.id, here.step_id) as current_step_id,
        case when next_step.id is null then 'completed' else 'active' end as status,
        case when next_step.id is null then now() end as ended_at
    from (values (s.current_step_id)) as here (step_id)
    left join workshop_step as current_step on here.step_id = current_step.id
    left join workshop_step as next_step
        on
            next_step.workshop_id = s.workshop_id
            and next_step.position = coalesce(current_step.position, 0) + 1
)
where s.id = :session_id and s.status = 'active'
returning s.id, s.workshop_id, s.member_id, s.status, s.current_step_id, s.started_at, s.ended_at;

-- name: end_session(session_id, status)^
-- record_class: Session
-- End an active session as `status` ('completed' or 'abandoned'), stamping
-- ended_at (the CHECK session_ended_at_matches_status holds both together).
-- One statement; no row when the session is unknown or has already ended.
-- Used by POST /v1/sessions/{session_id}/complete and
-- POST /v1/sessions/{session_id}/abandon.
update session
set status = :status, ended_at = now()
where id = :session_id and status = 'active'
returning id, workshop_id, member_id, status, current_step_id, started_at, ended_at;

-- name: get_progress(workshop_id)
-- record_class: ProgressRow
-- A workshop's progress in one statement (one snapshot): one row per step in
-- position order with the active sessions on it, each row also carrying the
-- workshop's session totals; one row with null step fields when the workshop
-- has no steps; no row when the workshop does not exist.
-- Used by GET /v1/workshops/{workshop_id}/progress.
with totals as (
    select
        count(*) filter (where status = 'active') as active_sessions,
        count(*) filter (where status = 'completed') as completed_sessions,
        count(*) filter (where status = 'abandoned') as abandoned_sessions
    from session
    where workshop_id = :workshop_id
),

on_step as (
    select
        current_step_id,
        count(*) as active_sessions
    from session
    where workshop_id = :workshop_id and status = 'active' and current_step_id is not null
    group by current_step_id
)

select
    step.id as step_id,
    step.position,
    step.title,
    coalesce(on_step.active_sessions, 0) as step_active_sessions,
    totals.active_sessions,
    totals.completed_sessions,
    totals.abandoned_sessions
from workshop as w
cross join totals
left join workshop_step as step on w.id = step.workshop_id
left join on_step on step.id = on_step.current_step_id
where w.id = :workshop_id
order by step.position;
