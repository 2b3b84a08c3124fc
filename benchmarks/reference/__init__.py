"""The reference implementation Atelier is measured against: FastAPI + SQLAlchemy 2 async ORM."""
