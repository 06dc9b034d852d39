"""Fixtures for the production path: real S3 (SeaweedFS) and PostgreSQL servers on loopback."""

from dataforge_tests.production.servers import bucket, postgres, s3_server

__all__ = ["bucket", "postgres", "s3_server"]
