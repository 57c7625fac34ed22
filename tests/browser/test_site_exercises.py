"""Exercises on the built pages: no answer visible until the reader opens the solution.

Uses the ``site`` set-up of ``test_site_pages.py`` (``$P2P_SITE_DIR`` or ``_build/html``). The
plain answers come from ``tests/exercise_answers.py``. The last two tests serve a copy of a page
with an answer printed in its check cell, and with a solution shown open, and prove the checks
catch both.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from test_site_pages import CHAPTERS, SITE, _open, site  # noqa: F401  (fixture)
from exercise_answers import ANSWERS, HASHED, shows

pytestmark = [pytest.mark.browser, pytest.mark.site]

# innerText is what a reader sees: the content of a closed <details> is not rendered.
EXERCISES_JS = """
const out = [];
for (const cell of document.querySelectorAll('.cell.tag_exercise-check')) {
  const text = cell.innerText;
  const name = (text.match(/check\\("(Exercise \\d+)"/) || [])[1] || '?';
  out.push({kind: 'check', name, text});
}
for (const cell of document.querySelectorAll('.cell.tag_hide-cell')) {
  if (!cell.textContent.includes('#@title Solution')) continue;
  const name = (cell.textContent.match(/check\\("(Exercise \\d+)"/) || [])[1] || '?';
  const summary = cell.querySelector('summary');
  out.push({kind: 'solution', name, text: cell.innerText,
            toggle: summary ? summary.innerText.trim() : null});
}
out.push({kind: 'page', name: '', text: document.querySelector('main, article, body').innerText});
return out;
"""


def exercise_problems(browser, url: str, stem: str) -> list[str]:
    """What on the page at ``url`` gives an exercise's answer away before a click."""
    _open(browser, url)
    found = browser.execute_script(EXERCISES_JS)
    names = sorted(n for s, n in ANSWERS if s == stem)
    problems = []
    checks = {f["name"]: f["text"] for f in found if f["kind"] == "check"}
    solutions = {f["name"]: f for f in found if f["kind"] == "solution"}
    if sorted(checks) != names or sorted(solutions) != names:
        problems.append(f"exercises on the page {sorted(checks)} / solutions {sorted(solutions)}"
                        f" are not {names}")
    for name, text in checks.items():
        if "not answered yet" not in text:
            problems.append(f"{name}: the check cell does not say 'not answered yet'")
        text = HASHED.sub("hashed(...)", text)
        problems += [f"{name}: the check cell shows {r!r}" for r in ANSWERS[(stem, name)]["shown"]
                     if shows(text, r)]
    for name, f in solutions.items():
        if f["toggle"] != "Solution":
            problems.append(f"{name}: the solution's toggle says {f['toggle']!r}, not 'Solution'")
        if "assert check" in f["text"] or "correct!" in f["text"]:
            problems.append(f"{name}: the solution is visible before the reader opens it")
    page = next(f["text"] for f in found if f["kind"] == "page")
    if "correct!" in page:
        problems.append("a ✅ verdict is visible before any click")
    if re.search(r"^False$", page, re.M):
        problems.append("a stray False is visible")
    return problems


@pytest.mark.parametrize("page", CHAPTERS)
def test_no_exercise_answer_is_visible_before_a_click(browser, site, page):  # noqa: F811
    assert exercise_problems(browser, site + page + ".html", Path(page).name) == []


@pytest.mark.parametrize("page", CHAPTERS)
def test_opening_a_solution_shows_it_and_its_verdict(browser, site, page):  # noqa: F811
    _open(browser, site + page + ".html")
    toggles = browser.find_elements("css selector", ".cell.tag_hide-cell summary")
    assert toggles, f"{page}: no solution toggles"
    for toggle in toggles:
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", toggle)
        toggle.click()
    texts = browser.execute_script(
        "return [...document.querySelectorAll('.cell.tag_hide-cell')].map(c => c.innerText)")
    solutions = [t for t in texts if "Solution (try the exercise first)" in t]
    assert solutions and all("correct!" in t and "assert check" in t for t in solutions), \
        f"{page}: an opened solution should show its code and '✅ … correct!'"


@pytest.fixture
def tampered_site(http_server, tmp_path):
    """A copy of the built site whose chapter 2 page is edited by the test."""
    if not (SITE / "index.html").exists():
        pytest.skip(f"no built site at {SITE}")
    copy = tmp_path / "html"
    shutil.copytree(SITE, copy, ignore=shutil.ignore_patterns("*.ipynb", "_sources"))
    return copy, http_server(copy)


def test_an_answer_printed_in_a_check_cell_is_caught(browser, tampered_site):
    copy, url = tampered_site
    page = copy / "notebooks" / "02_convolution.html"
    html = page.read_text()
    fingerprinted = re.compile(r'<span class="s2">&quot;number:[0-9a-f]{16}&quot;</span>'
                               r'|<span class="s2">"number:[0-9a-f]{16}"</span>')
    assert fingerprinted.search(html), "the chapter 2 page should fingerprint Exercise 1"
    page.write_text(fingerprinted.sub('<span class="mi">112</span>', html, count=1))
    problems = exercise_problems(browser, url + "notebooks/02_convolution.html", "02_convolution")
    assert problems == ["Exercise 1: the check cell shows '112'"]


def test_a_solution_shown_open_is_caught(browser, tampered_site):
    copy, url = tampered_site
    page = copy / "notebooks" / "02_convolution.html"
    page.write_text(page.read_text().replace('<details class="admonition hide above-input">',
                                             '<details class="admonition hide above-input" open>', 1))
    problems = exercise_problems(browser, url + "notebooks/02_convolution.html", "02_convolution")
    assert any("visible before the reader opens it" in p for p in problems), problems
    assert "a ✅ verdict is visible before any click" in problems
