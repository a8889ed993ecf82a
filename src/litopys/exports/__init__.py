"""Exports of the store's contents (JSON Lines now; more formats come with later issues)."""

from litopys.exports.jsonl import EXPORT_FIELDS, MENTION_FIELDS, export_jsonl, records

__all__ = ["EXPORT_FIELDS", "MENTION_FIELDS", "export_jsonl", "records"]
