"""The two partition sets: one partition per document, one per dataset release."""

import dagster as dg

documents = dg.DynamicPartitionsDefinition(name="documents")
releases = dg.DynamicPartitionsDefinition(name="releases")
