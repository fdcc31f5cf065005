"""The README's examples are real: each ``$ paradip ...`` block (of the README and of docs/) is run on the
bundled corpus and compared; and every command is documented there.

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
PAGES = (README, *sorted((ROOT / "docs").glob("*.md")))
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


@pytest.mark.parametrize(
    ("command", "expected"), [example for page in PAGES for example in examples(page.read_text(encoding="utf-8"))]
)
def test_readme_example(corpus_store: str, command: str, expected: str) -> None:
    """The command, run on the bundled corpus, prints what the page shows (recorded times aside)."""
    assert comparable(output_of(command, corpus_store)) == comparable(expected)


def test_the_readme_has_examples() -> None:
    """The README shows a newcomer at least five real questions and their answers."""
    assert len(examples(README.read_text(encoding="utf-8"))) >= 5


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name: str) -> None:
    """Each command of the CLI is named (``paradip NAME``) in the README or a page of docs/."""
    pages = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)
    assert re.search(rf"\bparadip {re.escape(name)}\b", pages), f"paradip {name} is in neither README.md nor docs/"


def test_the_readme_is_short_and_links_every_page_of_docs() -> None:
    """The README stays under 20 KB and leads to every page of docs/ and to the changelog."""
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 20_000
    for page in (*PAGES[1:], ROOT / "CHANGELOG.md"):
        assert f"]({page.relative_to(ROOT)})" in text, page.name


def rewrite() -> None:
    """Run every example on a fresh store of the bundled corpus and write the outputs into its page."""
    with tempfile.TemporaryDirectory() as directory:
        store = f"sqlite:///{Path(directory) / 'readme.sqlite'}"
        CliRunner().invoke(main, ["ingest", "--store", store], catch_exceptions=False)
        for page in PAGES:
            text = BLOCK.sub(
                lambda match: f"```console\n$ paradip {match['command']}\n{output_of(match['command'], store)}```",
                page.read_text(encoding="utf-8"),
            )
            page.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    rewrite()
    sys.exit(0)
