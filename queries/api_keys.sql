-- API keys: only the sha256 of each secret is stored.

-- name: insert_api_key(id, name, scope, secret_sha256)^
-- record_class: ApiKey
-- Create a key. Used by `python -m service keys create`.
insert into api_key (id, name, scope, secret_sha256)
values (:id, :name, :scope, :secret_sha256)
returning id, name, scope, created_at, last_used_at, revoked_at;

-- name: authenticate_api_key(secret_sha256)^
-- record_class: ApiKeyCredentials
-- The live key whose secret hashes to `secret_sha256`, found by its unique
-- index. Stamps last_used_at at most once a minute, so reads do not write
-- on every request. Used by every /v1 route.
with found as (
    select
        id,
        name,
        scope,
        secret_sha256,
        created_at,
        last_used_at,
        revoked_at
    from api_key
    where secret_sha256 = :secret_sha256 and revoked_at is null
),

touched as (
    update api_key
    set last_used_at = now()
    from found
    where
        api_key.id = found.id
        and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute')
    returning api_key.id
)

select
    id,
    name,
    scope,
    secret_sha256,
    created_at,
    last_used_at,
    revoked_at
from found;

-- name: list_api_keys()
-- record_class: ApiKey
-- Every key, oldest first, without secrets. Used by `python -m service keys list`.
select
    id,
    name,
    scope,
    created_at,
    last_used_at,
    revoked_at
from api_key
order by created_at, id;

-- name: revoke_api_key(key_id)^
-- record_class: ApiKey
-- Revoke a key; a revoked key stays revoked at its first revocation time.
-- Used by `python -m service keys revoke`.
update api_key
set revoked_at = coalesce(revoked_at, now())
where id = :key_id
returning id, name, scope, created_at, last_used_at, revoked_at;

-- name: count_api_keys()$
-- How many keys exist; `make run` creates a development key when none does.
-- Used by `python -m service serve`.
select count(*) from api_key;
