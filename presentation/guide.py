"""The corpus guide's tables of kinds and levels, generated from the registry (a test keeps the guide in step)."""

from __future__ import annotations

from domain.kinds import KINDS
from domain.vocabulary import LEVELS

KINDS_BEGIN = "<!-- kinds table: generated from domain/kinds.py by presentation/guide.py -->"
KINDS_END = "<!-- end of kinds table -->"
LEVELS_BEGIN = "<!-- levels table: generated from domain/kinds.py by presentation/guide.py -->"
LEVELS_END = "<!-- end of levels table -->"


def kinds_table() -> str:
    """One row per kind: its family, its parties, the attributes it takes, and when to use it."""
    rows = ["| kind | family | parties | attributes | use it for |", "| --- | --- | --- | --- | --- |"]
    for spec in KINDS.values():
        attributes = ", ".join(
            f"`{name}`" + (" (required)" if name == "level" and spec.requires_level else "") for name in spec.attributes
        )
        rows.append(f"| `{spec.kind}` | {spec.family} | {spec.parties.describe()} | {attributes} | {spec.guidance} |")
    return "\n".join(rows)


def levels_table() -> str:
    """One row per level of tie: the status it gives, who may hold it, what it means."""
    rows = ["| level | status | held by | meaning |", "| --- | --- | --- | --- |"]
    for level in LEVELS.values():
        holders = ("" if level.every_party else "at least one party: ") + ", ".join(
            sorted(str(holder) for holder in level.holders)
        )
        rows.append(f"| `{level.name}` | {level.status} | {holders} | {level.meaning} |")
    return "\n".join(rows)


def with_tables(guide: str) -> str:
    """The guide with its generated tables replaced by the registry's current ones."""
    for begin, end, table in ((KINDS_BEGIN, KINDS_END, kinds_table()), (LEVELS_BEGIN, LEVELS_END, levels_table())):
        head, found, rest = guide.partition(begin)
        if not found:
            msg = f"the guide has no marker {begin!r}"
            raise ValueError(msg)
        _old, found_end, tail = rest.partition(end)
        if not found_end:
            msg = f"the guide has no marker {end!r}"
            raise ValueError(msg)
        guide = f"{head}{begin}\n{table}\n{end}{tail}"
    return guide


if __name__ == "__main__":
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "corpus" / "README.md"
    path.write_text(with_tables(path.read_text(encoding="utf-8")), encoding="utf-8")
