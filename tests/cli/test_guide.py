"""The corpus guide's worked example is real: its files are written and its commands run, in order, on a
store of the bundled corpus, and each output is compared.

``python -m tests.cli.test_guide`` rewrites the outputs from a fresh run, for when they change on purpose.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from cli import main
from tests.support import ROOT

GUIDE = ROOT / "corpus" / "README.md"
BLOCK = re.compile(
    r"```(?:(?P<lang>\w+) file=(?P<path>\S+)\n(?P<body>.*?)"
    r"|console\n\$ paradip (?P<command>[^\n]*)\n(?P<output>.*?))```",
    re.DOTALL,
)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")


def run(command: str, store: str) -> str:
    """A command's output (a quote not found prints its nearest passage and exits 1, as the guide shows)."""
    result = CliRunner(env={"PARADIP_STORE": store}).invoke(main, shlex.split(command), catch_exceptions=False)
    assert result.exit_code in (0, 1), (command, result.output)
    assert not result.stderr, (command, result.stderr)
    return result.stdout


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def steps(text: str) -> list[re.Match[str]]:
    return list(BLOCK.finditer(text))


def replay(text: str, folder: Path, store: str) -> list[tuple[str, str, str]]:
    """Every console step as (command, expected, got), after writing the files the guide shows before it."""
    seen = []
    with inside(folder):
        for step in steps(text):
            if step["path"]:
                target = folder / step["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(step["body"], encoding="utf-8")
            else:
                seen.append((step["command"], step["output"], run(step["command"], store)))
    return seen


def test_the_guides_worked_example_runs(corpus_file: Path, tmp_path: Path) -> None:
    """Write the guide's files, run its commands in order, and get the outputs it shows."""
    store = tmp_path / "store.sqlite"
    shutil.copyfile(corpus_file, store)
    work = tmp_path / "work"
    work.mkdir()
    results = replay(GUIDE.read_text(encoding="utf-8"), work, f"sqlite:///{store}")
    assert len(results) >= 5
    for command, expected, got in results:
        assert TIMESTAMP.sub("<t>", got) == TIMESTAMP.sub("<t>", expected), command


def rewrite() -> None:
    """Run the guide's steps on a fresh store of the bundled corpus and write the outputs into it."""
    text = GUIDE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as directory:
        store = f"sqlite:///{Path(directory) / 'guide.sqlite'}"
        CliRunner().invoke(main, ["ingest", "--store", store], catch_exceptions=False)
        work = Path(directory) / "work"
        work.mkdir()
        outputs = iter(got for _command, _expected, got in replay(text, work, store))
        text = BLOCK.sub(
            lambda match: (
                match.group(0) if match["path"] else f"```console\n$ paradip {match['command']}\n{next(outputs)}```"
            ),
            text,
        )
    GUIDE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    rewrite()
    sys.exit(0)
