"""The SQLite store: one file, a versioned schema, one writer."""

from litopys.store.db import IngestOutcome, Store

__all__ = ["IngestOutcome", "Store"]
