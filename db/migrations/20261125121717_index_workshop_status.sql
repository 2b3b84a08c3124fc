-- index_workshop_status: GET /v1/workshops?status=... walks (status, created_at, id)
-- instead of the whole (created_at, id) index. `make explain` found it: drafts
-- are the newest workshops, so listing them oldest first read 8,505 of 10,000
-- rows to return 21. The optional filter `cast(:status as text) is null or
-- status = :status` becomes `status = 'draft'` in a custom plan, an index
-- condition on this index's first column, in the list's keyset order.
--
-- CREATE INDEX CONCURRENTLY blocks no reads or writes while it builds and
-- cannot run in a transaction, hence transaction:false. It must also be the
-- file's only statement: dbmate sends a migration as one query string, which
-- PostgreSQL runs as one implicit transaction when it holds several
-- statements (so no `set lock_timeout` line here). A failed build leaves an
-- INVALID index: drop it (migrate:down) and migrate again.

-- migrate:up transaction:false
-- No `set` lines (see above). The SHARE UPDATE EXCLUSIVE lock it waits for
-- queues only DDL and VACUUM, never reads or writes; the build is meant to be long.
-- squawk-ignore require-lock-timeout, require-statement-timeout
create index concurrently if not exists workshop_status_created_at_id_idx
on workshop (status, created_at, id);

-- migrate:down transaction:false
drop index concurrently if exists workshop_status_created_at_id_idx;
