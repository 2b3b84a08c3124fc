-- validate_steps_per_workshop: check the existing steps against
-- workshop_step_position_at_most_500, added NOT VALID by the previous migration.
-- VALIDATE takes a SHARE UPDATE EXCLUSIVE lock: reads and writes go on while it
-- scans, which is why it runs in a transaction of its own.
--
-- lock_timeout: give up after 5s rather than queue other DDL behind us.
-- statement_timeout: 60s bounds the scan of workshop_step.

-- migrate:up
set lock_timeout = '5s';
set statement_timeout = '60s';

alter table workshop_step validate constraint workshop_step_position_at_most_500;

-- migrate:down
-- Nothing to undo: a validated constraint is dropped by the previous migration's down.
select 1;
