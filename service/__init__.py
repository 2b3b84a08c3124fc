"""Atelier: workshops over REST, with every statement in `queries/*.sql`."""
