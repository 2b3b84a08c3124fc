"""Where the project's files live, resolved once from this package."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
MIGRATIONS_DIR = ROOT / "db" / "migrations"
SCHEMA_FILE = ROOT / "db" / "schema.sql"
DATA_DIR = ROOT / ".data"
