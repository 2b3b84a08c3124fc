-- limit_steps_per_workshop: a workshop holds at most 500 steps (SPEC section 7),
-- held by the database as the other step invariants are. Positions are exactly
-- 1..n (workshop_step_contiguous), so `position <= 500` bounds the count.
--
-- lock_timeout: DDL waits for its table lock at the head of the queue, and every
-- query on that table waits behind it; give up after 5s instead, and run
-- `make migrate` again when traffic is lower.
-- statement_timeout: 60s bounds any statement here. The constraint is added
-- NOT VALID (a brief lock, no scan: new rows are checked at once); the next
-- migration validates the existing rows in its own transaction, under a lock
-- that lets reads and writes go on.

-- migrate:up
set lock_timeout = '5s';
set statement_timeout = '60s';

alter table workshop_step
add constraint workshop_step_position_at_most_500 check (position <= 500) not valid;

-- migrate:down
set lock_timeout = '5s';
set statement_timeout = '60s';

alter table workshop_step drop constraint workshop_step_position_at_most_500;
