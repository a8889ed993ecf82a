"""litopys — turns a stream of noisy uk/ru/en news articles into a sourced chronicle."""

from litopys.errors import LitopysError
from litopys.records import (
    Article,
    Entity,
    Mention,
    Name,
    Paragraph,
    RawDoc,
    Rejected,
    Removed,
    Sentence,
    Token,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Entity",
    "LitopysError",
    "Mention",
    "Name",
    "Paragraph",
    "RawDoc",
    "Rejected",
    "Removed",
    "Sentence",
    "Token",
    "__version__",
]
