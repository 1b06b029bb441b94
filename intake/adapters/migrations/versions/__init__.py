"""The revisions, oldest first: ``r0001_baseline`` is the schema of intake 0.1.0."""
