"""Reuse the loopback PostgreSQL server of the production tests."""

from dataforge_tests.production.servers import postgres

__all__ = ["postgres"]
