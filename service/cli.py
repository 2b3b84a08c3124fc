"""Commands: serve, migrate, rollback, db, keys, check-queries, generate-query-types, lint-migrations, new-migration.

Every command uses the embedded database when `DATABASE_URL` is unset,
starting it if it is not running. Secrets go to standard output alone;
everything else goes to standard error. `seed` and `explain` judge query plans
on production-like volumes (service.seed, service.explain).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg

from service.config import ConfigError, Settings, load_settings
from service.embedded import default_server, resolve_database_url
from service.logs import configure_logging
from service.paths import MIGRATIONS_DIR, ROOT

__all__ = ["main"]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from service.app import create_app

    url = resolve_database_url(settings.database_url)
    if not settings.database_url:
        asyncio.run(_ensure_development_key(url, f"http://{settings.host}:{settings.port}"))
    app = create_app(settings, url)
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_config=None, log_level=settings.log_level, access_log=False
    )
    return 0


async def _ensure_development_key(url: str, base: str) -> None:
    from service.keys import ensure_development_key

    conn = await asyncpg.connect(url)
    try:
        secret = await ensure_development_key(conn)
    finally:
        await conn.close()
    if secret is not None:
        _say(f"\nDevelopment API key (scope write, shown this once):\n\n    {secret}\n")
        _say(f"Try: curl -H 'Authorization: Bearer {secret}' {base}/v1/workshops\n")


def _session_url(settings: Settings) -> str:
    """Migrations hold a session (advisory lock, DDL): a transaction pooler would break both."""
    from service.migrate import MigrationError

    if settings.database_pool_mode == "transaction":
        raise MigrationError(
            "DATABASE_POOL_MODE=transaction: migrations need a session, not a transaction pooler; "
            "run them with the direct (unpooled) DATABASE_URL and DATABASE_POOL_MODE=session"
        )
    return resolve_database_url(settings.database_url)


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from service.migrate import migrate

    migrate(_session_url(settings), dump=not args.no_dump, lock_timeout_s=args.lock_timeout)
    _say("migrations applied")
    return 0


def _rollback(settings: Settings, args: argparse.Namespace) -> int:
    from service.migrate import rollback

    rollback(_session_url(settings), dump=not args.no_dump, lock_timeout_s=args.lock_timeout)
    _say("newest migration rolled back")
    return 0


def _db(settings: Settings, args: argparse.Namespace) -> int:
    if settings.database_url and args.action != "stop":
        _say("DATABASE_URL is set: no embedded database to manage")
        return 0
    server = default_server()
    if args.action == "start":
        _say(f"embedded PostgreSQL running at {server.start()}")
    elif args.action == "stop":
        server.stop()
        _say("embedded PostgreSQL stopped")
    else:
        print(resolve_database_url(settings.database_url))
    return 0


def _keys(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_keys_async(resolve_database_url(settings.database_url), args))


async def _keys_async(url: str, args: argparse.Namespace) -> int:
    from service.db import QUERIES
    from service.ids import is_id
    from service.keys import create_key

    conn = await asyncpg.connect(url)
    try:
        if args.action == "create":
            key, secret = await create_key(conn, args.name, args.scope)
            _say(f"created key {key.id} ({key.scope}); the secret below is shown once")
            print(secret)
        elif args.action == "list":
            async for key in QUERIES.api_keys.list_api_keys(conn):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never used"
                print(f"{key.id}  {key.scope:<5}  {state:<18}  {used:<16}  {key.name}")
        else:
            found = is_id(args.key_id, "key") and await QUERIES.api_keys.revoke_api_key(conn, key_id=args.key_id)
            if not found:
                _say(f"no key {args.key_id}")
                return 1
            _say(f"revoked {args.key_id}")
    finally:
        await conn.close()
    return 0


def _check_queries(settings: Settings, args: argparse.Namespace) -> int:
    from service.contract import run_check

    return run_check(settings.database_url)


def _generate_query_types(settings: Settings, args: argparse.Namespace) -> int:
    from service.contract import run_generate

    return run_generate(settings.database_url, check_only=args.check)


def _query_catalog(settings: Settings, args: argparse.Namespace) -> int:
    from service.querydocs import run_catalog

    return run_catalog(settings.database_url, check_only=args.check)


def _lint_migrations(settings: Settings, args: argparse.Namespace) -> int:
    from service.migration_lint import run_lint

    url = resolve_database_url(settings.database_url) if args.database else None
    return run_lint(args.dir, url)


def _new_migration(settings: Settings, args: argparse.Namespace) -> int:
    from service.new_migration import new_migration

    path = new_migration(args.name, args.dir)
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    _say("edit its what/why line, add SQL under -- migrate:up and -- migrate:down, then: make migration-lint")
    return 0


def _seed(settings: Settings, args: argparse.Namespace) -> int:
    from service.seed import run_seed

    return run_seed(settings.database_url, args.scale)


def _explain(settings: Settings, args: argparse.Namespace) -> int:
    from service.explain import run_explain

    return run_explain(settings.database_url, scale=args.scale, fresh=args.fresh, generic=args.generic)


def _scale(text: str) -> float:
    value = float(text)
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError("scale must be above 0 and at most 100")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the API (HOST, PORT)").set_defaults(run=_serve)
    for name, run, text in (
        ("migrate", _migrate, "apply pending migrations, then refresh db/schema.sql"),
        ("rollback", _rollback, "roll back the newest migration, then refresh db/schema.sql"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--no-dump", action="store_true", help="leave db/schema.sql alone")
        sub.add_argument(
            "--lock-timeout", type=float, default=300, metavar="SECONDS",
            help="how long to wait for another migrate run to finish (default 300)",
        )  # fmt: skip
        sub.set_defaults(run=run)
    db = commands.add_parser("db", help="the embedded PostgreSQL: start, stop, url")
    db.add_argument("action", choices=["start", "stop", "url"])
    db.set_defaults(run=_db)
    keys = commands.add_parser("keys", help="API keys: create, list, revoke")
    key_actions = keys.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser("create", help="create a key; prints its secret once on stdout")
    create.add_argument("--name", required=True)
    create.add_argument("--scope", choices=["read", "write"], required=True)
    key_actions.add_parser("list", help="list keys (never secrets)")
    revoke = key_actions.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    keys.set_defaults(run=_keys)
    commands.add_parser(
        "check-queries", help="prepare every query and check it against its model (SPEC 10)"
    ).set_defaults(run=_check_queries)
    catalog = commands.add_parser("query-catalog", help="write docs/queries.md from queries/ and the routes")
    catalog.add_argument("--check", action="store_true", help="fail if it is not current or a link is broken")
    catalog.set_defaults(run=_query_catalog)
    gen = commands.add_parser("generate-query-types", help="regenerate service/query_types.py")
    gen.add_argument("--check", action="store_true", help="fail if the file is not current")
    gen.set_defaults(run=_generate_query_types)
    lint = commands.add_parser("lint-migrations", help="check migration names, order and safety (squawk)")
    lint.add_argument("--dir", type=Path, default=MIGRATIONS_DIR, help="migrations directory (default db/migrations)")
    lint.add_argument(
        "--database", action="store_true",
        help="also refuse pending migrations older than the newest applied one in DATABASE_URL (or the embedded db)",
    )  # fmt: skip
    lint.set_defaults(run=_lint_migrations)
    new = commands.add_parser("new-migration", help="write db/migrations/<UTC timestamp>_<name>.sql; prints its path")
    new.add_argument("name", help="a-z, 0-9 and _ only, e.g. add_workshop_tags")
    new.add_argument("--dir", type=Path, default=MIGRATIONS_DIR, help="migrations directory (default db/migrations)")
    new.set_defaults(run=_new_migration)
    seed = commands.add_parser(
        "seed", help="seed volumes (db/seed.sql) into DATABASE_URL or a fresh embedded atelier_seed database"
    )
    seed.add_argument("--scale", type=_scale, default=1.0, help="1 = 10,000 workshops, 100,000 members (default)")
    seed.set_defaults(run=_seed)
    explain = commands.add_parser("explain", help="plan every query on seeded volumes; fail on a bad GET plan")
    explain.add_argument("--scale", type=_scale, default=1.0, help="seed scale when seeding is needed (default 1)")
    explain.add_argument("--fresh", action="store_true", help="drop and reseed the embedded atelier_seed database")
    explain.add_argument("--generic", action="store_true", help="generic plans, as a prepared statement may reuse")
    explain.set_defaults(run=_explain)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        _say(f"atelier: {exc}")
        return 2
    configure_logging(settings)
    run: Callable[[Settings, argparse.Namespace], int] = args.run
    try:
        return run(settings, args)
    except (OSError, asyncpg.PostgresError) as exc:
        _say(f"atelier: database error: {exc}")
        return 1
    except Exception as exc:
        from service.migrate import MigrationError

        if isinstance(exc, MigrationError):
            _say(f"atelier: {exc}")
            return 1
        raise
