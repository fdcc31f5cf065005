"""Reading a file the user names: its text, refused if missing, binary, not UTF-8, too large or empty,
and YAML safely; each refusal one line naming the file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from domain.errors import InvalidInput
from events.values import InvalidValue, Period

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path, what: str) -> str:
    """A file's text: refused if missing, binary, not UTF-8, too large or empty."""
    if not path.exists():
        msg = f"{path}: no such {what}"
        raise InvalidInput(msg)
    if not path.is_file():
        msg = f"{path}: is not a file"
        raise InvalidInput(msg)
    if path.stat().st_size > MAX_FILE_BYTES:
        msg = f"{path}: {what} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
        raise InvalidInput(msg)
    data = path.read_bytes()
    if b"\x00" in data:
        msg = f"{path}: binary file (it holds NUL bytes), not a {what}"
        raise InvalidInput(msg)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"{path}: not UTF-8 text (invalid byte at offset {error.start}){_encoding_hint(data)}"
        raise InvalidInput(msg) from None
    if not text.strip():
        msg = f"{path}: empty {what}"
        raise InvalidInput(msg)
    return text


def _encoding_hint(data: bytes) -> str:
    """The encoding a file not in UTF-8 most likely is in (charset-normalizer's reading: CP949 for a Korean
    office's list, GB18030 or Big5 for a Chinese one), and how to convert it; nothing when it cannot tell."""
    import charset_normalizer  # noqa: PLC0415  (only a refused file needs it)

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return ""
    codec = best.encoding.replace("_", "-")
    return f"; it reads as {codec}: convert it first, e.g. iconv -f {codec} -t utf-8 FILE > FILE.utf8"


def _safe_load(text: str) -> Any:
    """YAML read safely, by libyaml when it is built (several times faster than the pure-Python reader)."""
    if yaml.__with_libyaml__:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def read_yaml(path: Path) -> Mapping[str, Any]:
    """A YAML (or JSON) file holding one mapping."""
    text = read_text(path, "document file")
    try:
        data = _safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        msg = f"{path}: malformed YAML{where}: {error.problem or error}"
        raise InvalidInput(msg) from None
    except yaml.YAMLError as error:
        msg = f"{path}: malformed YAML: {str(error).splitlines()[0]}"
        raise InvalidInput(msg) from None
    except RecursionError:
        msg = f"{path}: malformed YAML: values nested too deeply"
        raise InvalidInput(msg) from None
    if not isinstance(data, Mapping):
        msg = f"{path}: a document file holds a mapping (document, title, ..., facts), not {type(data).__name__}"
        raise InvalidInput(msg)
    return data


def period_field(text: str, where: str, key: str) -> Period:
    """An EDTF date given as a field, refused naming the field."""
    try:
        return Period.from_edtf(text)
    except InvalidValue as error:
        msg = f"{where}: {key}: {error}"
        raise InvalidInput(msg) from None
