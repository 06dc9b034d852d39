"""Reading documents that already sit in an S3 bucket."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse


def s3_client() -> Any:
    import boto3

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return boto3.client("s3", endpoint_url=endpoint)


def iter_s3_objects(uri: str, client: Any | None = None, max_bytes: int | None = None) -> Iterator[tuple[str, bytes]]:
    """``(key, bytes)`` for every object under ``s3://bucket/prefix/``, in key order."""
    parsed = urlparse(uri)
    client = client or s3_client()
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=parsed.netloc, Prefix=parsed.path.lstrip("/")):
        for item in page.get("Contents", []):
            if item["Key"].endswith("/") or (max_bytes and item["Size"] > max_bytes):
                continue
            body = client.get_object(Bucket=parsed.netloc, Key=item["Key"])["Body"].read()
            yield f"s3://{parsed.netloc}/{item['Key']}", body
