"""The README's examples are real: each ``$ paradip ...`` block is run on the bundled corpus and compared.

``python -m tests.cli.test_readme`` rewrites the blocks' outputs from a fresh run, for when the corpus
or the output format changes on purpose.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.support import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ paradip (?P<command>[^\n]*)\n(?P<output>.*?)```", re.DOTALL)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")


def examples(text: str) -> list[tuple[str, str]]:
    """The (command, output) of each console block."""
    return [(match["command"], match["output"]) for match in BLOCK.finditer(text)]


def output_of(command: str, store: str) -> str:
    result = CliRunner().invoke(main, [*shlex.split(command), "--store", store], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def comparable(output: str) -> str:
    return TIMESTAMP.sub("<recorded>", output)


@pytest.mark.parametrize(("command", "expected"), examples(README.read_text(encoding="utf-8")))
def test_readme_example(corpus_store: str, command: str, expected: str) -> None:
    """Each example's command prints, on the bundled corpus, what the README shows."""
    assert comparable(output_of(command, corpus_store)) == comparable(expected)


def test_the_readme_has_examples() -> None:
    assert len(examples(README.read_text(encoding="utf-8"))) >= 5


def rewrite() -> None:
    """Run every example on a fresh store of the bundled corpus and write the outputs into the README."""
    with tempfile.TemporaryDirectory() as directory:
        store = f"sqlite:///{Path(directory) / 'readme.sqlite'}"
        CliRunner().invoke(main, ["ingest", "--store", store], catch_exceptions=False)
        text = README.read_text(encoding="utf-8")
        text = BLOCK.sub(
            lambda match: f"```console\n$ paradip {match['command']}\n{output_of(match['command'], store)}```", text
        )
        README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    rewrite()
    sys.exit(0)
