"""The web page in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).

Under CI=true these tests must run: a missing browser fails them. Elsewhere they skip, saying why.
Screenshots go to .benchmarks/screenshots/ (not committed).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn

from application.bootstrap import open_app
from web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / ".benchmarks" / "screenshots"
TODAY = date(2026, 1, 15)
FORMAL = "kind=sisterhood&kind=friendship&kind=suspended&kind=ended"
LISTED_UNDATED = {"CN-GD", "CN-HE"}  # Gyeonggi's ties a list prints without a date: possible on every day shown
X_OF_DAY = """(day) => {
  const timeline = window.paradipTies.timeline;
  const range = timeline.getWindow();
  const panel = document.querySelector("#timeline .vis-panel.vis-center").getBoundingClientRect();
  const [year, month, dayOfMonth] = day.split("-").map(Number);
  const at = new Date(year, month - 1, dayOfMonth, 12);
  return panel.left + ((at - range.start) / (range.end - range.start)) * panel.width;
}"""
SETTLED = """(previous) => window.paradipTies.wanted() !== previous && !window.paradipTies.busy()
  && window.paradipTies.shown() === window.paradipTies.wanted()"""
ROWS = "rows => rows.map(row => [row.dataset.a, row.dataset.b, row.dataset.status, row.dataset.certainty])"


def _browser_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"playwright is not installed: {error}"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched by Playwright."""
    problem = _browser_problem()
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(corpus_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``paradip serve``'s app over a copy of the bundled corpus, on a free port of 127.0.0.1."""
    path = tmp_path_factory.mktemp("browser") / "corpus.sqlite"
    shutil.copyfile(corpus_file, path)
    app = open_app(f"sqlite:///{path}")
    port = _free_port()
    config = uvicorn.Config(create_app(app, today=lambda: TODAY), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        app.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page that records every request and every script error."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield opened
    context.close()
    assert not problems, problems
    elsewhere = [url for url in requests if not url.startswith((server, "data:"))]
    assert not elsewhere, f"the page asked another origin: {elsewhere}"


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _every_other_month(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        month = day.month + 2
        day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


# 146 steps of the drag, each waiting for the page to settle: ~110 s alone on this loaded two-core machine.
@pytest.mark.timeout(300)
def test_dragging_the_date_shows_gyeonggi_ties_appear_in_order(page: Page, server: str) -> None:
    """Dragging the timeline's date bar from 1992 to 2016 updates the network and the list without reloading:
    Liaoning appears possible then definite in 1993, then Shandong (2000), Tianjin (2008), Jiangsu (2011), Jilin (2014),
    Heilongjiang (2016); the ties a list prints undated stay possible throughout; the URL follows the date."""
    page.goto(f"{server}/?as_of=1992-01-01&actor=Gyeonggi&{FORMAL}")
    page.wait_for_function("() => window.paradipTies !== undefined")
    first = page.eval_on_selector_all("#ties-on-date tr[data-a]", ROWS)
    assert sorted((a, certainty) for a, _b, _status, certainty in first) == [
        (a, "possible") for a in sorted(LISTED_UNDATED)
    ]
    page.evaluate("() => { window.notReloaded = true; }")
    # the undated ties widen the timeline back to 1949; zoom to the years dragged so each step moves a few pixels
    page.evaluate(
        "() => window.paradipTies.timeline.setWindow(new Date(1991, 0, 1), new Date(2017, 0, 1), {animation: false})"
    )
    bar = page.locator("#timeline .vis-custom-time.as-of").bounding_box()
    assert bar is not None
    y = bar["y"] + 40
    page.mouse.move(bar["x"] + bar["width"] / 2, y)
    page.mouse.down()
    seen: list[tuple[str, list[list[str]], list[str]]] = []
    shot: set[str] = set()
    for day in _every_other_month(date(1992, 7, 1), date(2016, 9, 1)):
        previous = page.evaluate("() => window.paradipTies.wanted()")
        page.mouse.move(page.evaluate(X_OF_DAY, day.isoformat()), y, steps=4)
        page.wait_for_function(SETTLED, arg=previous, timeout=10_000)
        shown = page.evaluate("() => window.paradipTies.shown()")
        assert page.get_attribute("#ties-on-date", "data-as-of") == shown
        rows = page.eval_on_selector_all("#ties-on-date tr[data-a]", ROWS)
        edges = page.evaluate("() => window.paradipTies.edges()")
        assert sorted(edges) == sorted(f"{a}|{b}" for a, b, _status, _certainty in rows), shown
        seen.append((shown, rows, edges))
        if shown[:4] in ("1993", "2008", "2016") and shown[:4] not in shot:
            shot.add(shown[:4])
            _shot(page, f"ties-drag-{shown[:4]}.png")
    page.mouse.up()
    assert page.evaluate("() => window.notReloaded === true"), "the page was not reloaded"
    assert f"as_of={seen[-1][0]}" in page.url, "the URL keeps the date"

    appeared: list[tuple[str, str, str]] = []
    for shown, rows, _edges in seen:
        for a, b, _status, certainty in rows:
            partner = a if b == "KR-41" else b
            if partner in LISTED_UNDATED:
                assert certainty == "possible", (partner, shown)
                continue
            if not any(entry[:2] == (partner, certainty) for entry in appeared) and not (
                certainty == "possible" and any(entry[0] == partner for entry in appeared)
            ):
                appeared.append((partner, certainty, shown))
    assert [(partner, certainty) for partner, certainty, _day in appeared] == [
        ("CN-LN", "possible"),
        ("CN-LN", "definite"),
        ("CN-SD", "possible"),
        ("CN-SD", "definite"),
        ("CN-TJ", "possible"),
        ("CN-TJ", "definite"),
        ("CN-JS", "possible"),
        ("CN-JS", "definite"),
        ("CN-JL", "possible"),
        ("CN-JL", "definite"),
        ("CN-HL", "possible"),
    ], appeared
    first_seen = {(partner, certainty): day for partner, certainty, day in appeared}
    assert first_seen[("CN-LN", "possible")].startswith("1993")
    assert "1993-12-31" <= first_seen[("CN-LN", "definite")] < "1994-03-01"
    for partner, year in (
        ("CN-SD", "2000"),
        ("CN-TJ", "2008"),
        ("CN-JS", "2011"),
        ("CN-JL", "2014"),
        ("CN-HL", "2016"),
    ):
        assert first_seen[(partner, "possible")].startswith(year), (partner, first_seen)
    counts = [len(rows) for _shown, rows, _edges in seen]
    assert counts == sorted(counts), "a tie once made stays on the list"


def test_the_slider_and_the_date_field_move_the_same_date(page: Page, server: str) -> None:
    """The range slider under the network drives the same date as the bar; the pair's status follows it."""
    page.goto(f"{server}/?as_of=2000-01-01&actor=%EA%B2%BD%EA%B8%B0%EB%8F%84&{FORMAL}")
    page.wait_for_function("() => window.paradipTies !== undefined")
    previous = page.evaluate("() => window.paradipTies.wanted()")
    page.eval_on_selector(
        "#as-of-slider",
        """(slider) => {
             slider.value = String(Math.round(Date.UTC(2009, 5, 30) / 86400000));
             slider.dispatchEvent(new Event("input", { bubbles: true }));
           }""",
    )
    page.wait_for_function(SETTLED, arg=previous)
    assert page.evaluate("() => window.paradipTies.shown()") == "2009-06-30"
    rows = page.eval_on_selector_all("#ties-on-date tr[data-a]", ROWS)
    assert {row[0] for row in rows} == {"CN-LN", "CN-SD", "CN-TJ", *LISTED_UNDATED}
    assert page.input_value("#as-of-date") == "2009-06-30"
    assert page.inner_text("#as-of-label") == "2009-06-30"


def test_a_fact_opened_from_the_ties_shows_its_quote_highlighted(page: Page, server: str) -> None:
    """From the ties page to the pair, to the fact: its source's text, with the quote marked and in view."""
    page.goto(f"{server}/?as_of=1994-06-30&actor=Gyeonggi&{FORMAL}")
    page.click('#ties-on-date tr[data-a="CN-LN"][data-b="KR-41"] >> text=facts')
    page.wait_for_url("**/pairs/CN-LN/KR-41?as_of=1994-06-30")
    assert page.get_attribute("#pair-status", "data-status") == "sisterhood"
    page.click("table.facts tr:has-text('relationship established (sisterhood)') a.fact-id")
    page.wait_for_url("**/facts/*")
    fact_id = page.url.rsplit("/", 1)[1]
    answer: dict[str, Any] = page.evaluate("async (id) => (await fetch(`/api/provenance?fact=${id}`)).json()", fact_id)
    assert answer["verified"] is True
    mark = page.locator("mark#quote")
    assert mark.inner_text() == answer["quote"]
    assert mark.get_attribute("data-start") == str(answer["start"])
    assert page.inner_text("#quote-check") == "verified"
    colour = mark.evaluate("(element) => getComputedStyle(element).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    text_box, mark_box = page.locator("#source-text").bounding_box(), mark.bounding_box()
    assert text_box is not None
    assert mark_box is not None
    assert text_box["y"] <= mark_box["y"]
    assert mark_box["y"] + mark_box["height"] <= text_box["y"] + text_box["height"], "the quote is scrolled into view"
    _shot(page, "fact.png")


def test_the_search_box_suggests_actors_in_any_language(page: Page, server: str) -> None:
    """Typing a Korean or Chinese name in the search box lists the actor (htmx), and choosing it opens its page."""
    page.goto(f"{server}/sources")
    page.fill("form.search input[name=q]", "京畿")
    page.wait_for_selector("#suggestions li a")
    assert "Gyeonggi Province" in page.inner_text("#suggestions")
    page.fill("form.search input[name=q]", "랴오닝")
    page.wait_for_selector("#suggestions li a:has-text('Liaoning Province')")
    page.click("#suggestions li a:has-text('Liaoning Province')")
    page.wait_for_url("**/actors/CN-LN")
    assert page.inner_text("h1").startswith("Liaoning Province")


def test_the_whole_network_for_the_readme(page: Page, server: str) -> None:
    """The ties page without filters draws every pair and lists the ties on the date (a screenshot for the README)."""
    page.goto(f"{server}/?as_of=2016-12-31")
    page.wait_for_function("() => window.paradipTies !== undefined")
    listed = page.eval_on_selector_all("#ties-on-date tr[data-a]", ROWS)
    assert sorted(page.evaluate("() => window.paradipTies.edges()")) == sorted(f"{a}|{b}" for a, b, _s, _c in listed)
    assert page.locator("#timeline .vis-item.tie").count() > 20
    assert page.locator("#timeline .vis-item.tie.possible").count() > 0
    page.wait_for_timeout(300)
    _shot(page, "ties.png")
    page.set_viewport_size({"width": 1400, "height": 1120})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ties-readme.png"))
