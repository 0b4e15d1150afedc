"""The real window on a real X server, driven as a person would: keys and clicks.

Each test starts the program with the README's commands (see ``conftest.py``), reads
what the window shows from its ``ANNOTATOR_TRACE`` lines, presses real keys through
xdotool and then checks what was saved in the SQLite file. Any traceback or ambiguous
shortcut on the program's stderr fails the test. A failure names a screenshot.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from annotator.core import SpanKey

from .conftest import (
    Program,
    Window,
    busy_cpus,
    copy_database,
    needs_x,
    read_annotation,
    wait_saved,
)

pytestmark = needs_x

STARTS = 20
FIRST_ARTICLE_S = 30  # a start shows the first article's suggestions within this
LOAD_NICE = 10  # the busy loops yield to the program (see busy_cpus): minutes, not ten


def _opened_with_suggestions(e: dict[str, Any]) -> bool:
    return e["event"] == "document_opened" and e["n_suggestions"] > 0


def _key(span: dict[str, Any]) -> SpanKey:
    return SpanKey(span["start"], span["end"], span["label"], span["layer"])


def _open_first(w: Window) -> dict[str, Any]:
    opened = w.wait_for(
        "the first article with its suggestions", _opened_with_suggestions, timeout=60
    )
    w.focus()
    return opened


def _tab_to_new_current(w: Window, keys: str = "Tab") -> dict[str, Any]:
    mark = w.mark()
    w.key(keys)
    return w.wait_for(
        f"{keys} to move the current span",
        lambda e: e["event"] == "current" and e["span"] is not None,
        after=mark,
        timeout=10,
    )


# -- a. starting ---------------------------------------------------------------------------


def _wait_accepted(w: Window, db: Path, doc_id: int, target: SpanKey, what: str) -> Any:
    """alice's annotation once the file holds ``target`` as accepted (after A)."""
    return wait_saved(
        db,
        doc_id,
        "alice",
        lambda a: (s := a.span_by_key(target)) is not None and str(s.origin) == "accepted",
        window=w,
        what=f"{what} accepted after A",
    )


def _error_line(problem: str) -> str:
    """The exception line of a traceback in a failure message (for the summary)."""
    found = re.findall(r"^(?:\w+\.)*\w+(?:Error|Exception): .*$", problem, re.MULTILINE)
    return found[-1][:200] if found else problem.splitlines()[0][:200]


# What Qt prints when the X server turned the connection away (Xvfb starved of CPU by
# the load below while xdotool polls): the program never ran, so the start is repeated
# once; a second refusal, or any other failure, counts.
X_REFUSED = "could not connect to display"


def _start(program: Program, template: Path, i: int) -> tuple[Window, str | None]:
    w, problem = _start_once(program, template, str(i))
    if problem is not None and X_REFUSED in w.stderr():
        w, problem = _start_once(program, template, f"{i}-again")
    return w, problem


def _start_once(program: Program, template: Path, i: str) -> tuple[Window, str | None]:
    """Start on a fresh copy and see the first article's suggestions; the problem, or None."""
    db = copy_database(template, program.tmp / f"start-{i}.db")
    w = program.start(db, home=f"home-{i}", find=False)
    try:
        w.find_window()
        w.focus()  # as a window manager activates a new window
        event = w.wait_for(
            "the first article's suggestions",
            lambda e: _opened_with_suggestions(e) or e["event"] == "window_shown",
            timeout=FIRST_ARTICLE_S,
        )
        if event["event"] == "window_shown":
            w.fail(f"a window other than the main window opened: {event}")
        others = {wid: t for wid, t in w.visible_windows().items() if wid != w.win and t}
        if others:
            w.fail(f"windows other than the main window are shown: {others}")
        w.assert_clean()
    except pytest.fail.Exception as exc:
        w.stop()
        return w, str(exc)
    return w, None


def _closed(w: Window, timeout: float = 30) -> str | None:
    """After Ctrl+Q: the process exits 0 with a clean stderr; the problem, or None."""
    try:
        try:
            code = w.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            w.fail(f"still running {timeout:.0f} s after Ctrl+Q")
        w.assert_clean()
        if code != 0:
            w.fail(f"the program exited {code} after Ctrl+Q")
    except pytest.fail.Exception as exc:
        w.stop()
        return str(exc)
    return None


def test_real_window_starts_20_times_under_load_and_shows_suggestions(program: Program) -> None:
    # Both README paths: suggestions made by `annotator suggest`, and made by the window.
    suggested = program.project("suggested.db", suggest=True)
    bare = program.project("bare.db", suggest=False)
    assert program.status(suggested)["suggestions"] and not program.status(bare)["suggestions"]
    program.park_pointer()  # no tooltip from a pointer left over the window
    failures: list[tuple[str, str]] = []
    closing: tuple[str, Window] | None = None  # exits while the next one starts
    started = time.monotonic()
    with busy_cpus(2, nice=LOAD_NICE):
        for i in range(STARTS):
            template = suggested if i % 2 == 0 else bare
            name = (
                f"start {i + 1} ({'after suggest' if template is suggested else 'window suggests'})"
            )
            w, problem = _start(program, template, i)
            if closing is not None and (late := _closed(closing[1])) is not None:
                failures.append((closing[0], late))
            closing = None
            if problem is not None:
                failures.append((name, problem))
            else:
                w.press_quit()
                closing = (name, w)
        if closing is not None and (late := _closed(closing[1])) is not None:
            failures.append((closing[0], late))
    took = time.monotonic() - started
    summary = "\n".join(f"  {name}: {_error_line(p)}" for name, p in failures)
    details = "\n\n".join(f"{name}: {p}" for name, p in failures)
    assert not failures, (
        f"{len(failures)} of {STARTS} starts failed ({took:.0f} s):\n{summary}\n\n{details}"
    )


# -- b. keyboard focus ---------------------------------------------------------------------


def test_real_window_keys_go_to_the_article_after_start(program: Program) -> None:
    db = program.project()
    w = program.start(db)
    w.focus()  # as a window manager activates a new window: before the article is there
    opened = w.wait_for(
        "the first article with its suggestions", _opened_with_suggestions, timeout=60
    )
    doc_id = opened["doc_id"]
    mark = w.mark()
    w.key("Tab")
    time.sleep(0.8)
    moved = [e for e in w.events()[mark:] if e["event"] == "current" and e["span"]]
    current = w.last("current")
    w.key("a")
    time.sleep(0.8)
    state = w.last("state")
    assert state is not None
    if state["search_text"] or state["documents_listed"] != 5:
        w.fail(
            "Tab then A typed into the document search box instead of the article: "
            f"search text {state['search_text']!r}, {state['documents_listed']} of 5 listed "
            f"(focus: {w.last('focus')})"
        )
    if not moved:
        w.fail(f"Tab did not move to a span (focus: {w.last('focus')})")
    assert current is not None and current["span"] is not None
    target = _key(current["span"])
    saved = _wait_accepted(
        w, db, doc_id, target, f"the current suggestion {current['span']['text']!r}"
    )
    assert str(saved.span_by_key(target).origin) == "accepted"
    w.assert_clean()
    assert w.quit() == 0


# -- c. Shift+Tab ----------------------------------------------------------------------------


def test_real_window_shift_tab_goes_to_the_previous_span(program: Program) -> None:
    db = program.project()
    w = program.start(db)
    _open_first(w)
    first = _tab_to_new_current(w)
    second = _tab_to_new_current(w)
    assert _key(first["span"]) != _key(second["span"])
    mark = w.mark()
    w.key("shift+Tab")
    back = w.wait_for(
        f"Shift+Tab to go back to {first['span']['text']!r}",
        lambda e: e["event"] == "current" and e["span"] is not None,
        after=mark,
        timeout=10,
    )
    if _key(back["span"]) != _key(first["span"]):
        w.fail(f"Shift+Tab went to {back['span']}, not back to {first['span']}")
    time.sleep(0.3)
    w.assert_clean()  # no "Ambiguous shortcut overload"
    assert w.quit() == 0


# -- d. hidden suggestions ---------------------------------------------------------------


def test_real_window_done_saves_no_hidden_and_no_untouched_suggestion(program: Program) -> None:
    db = program.project()  # the default pipeline makes low-confidence quote suggestions
    w = program.start(db)
    opened = _open_first(w)
    doc_id = opened["doc_id"]
    if opened["n_hidden"] == 0:
        w.fail("the first article shows no hidden low-confidence suggestion: nothing to test")
    from annotator.app.project import Project

    with Project.open(str(db)) as project:
        suggestions = project.current_suggestions(doc_id)
    assert suggestions is not None
    hidden = {s.key for s in suggestions.spans if s.confidence is not None and s.confidence < 0.5}
    shown = {s.key for s in suggestions.spans if s.key not in hidden}
    assert hidden and shown
    mark = w.mark()
    w.key("Return")
    saved = wait_saved(
        db, doc_id, "alice", lambda a: str(a.status) == "done", window=w, what="the article done"
    )
    w.wait_for(
        "the next article to open",
        lambda e: e["event"] == "document_opened" and e["doc_id"] != doc_id,
        after=mark,
    )
    kept_hidden = sorted(k for k in hidden if saved.span_by_key(k) is not None)
    untouched = [s for s in saved.spans if str(s.origin) == "suggested"]
    not_accepted = sorted(
        k
        for k in shown
        if (s := saved.span_by_key(k)) is None or str(s.origin) not in ("accepted", "edited")
    )
    if kept_hidden or untouched or not_accepted:
        w.fail(
            f"after Enter, alice's version of article {doc_id} holds "
            f"{len(kept_hidden)} hidden low-confidence suggestions (of {len(hidden)}), "
            f"{len(untouched)} spans still 'suggested', and {len(not_accepted)} of the "
            f"{len(shown)} shown suggestions not accepted; e.g. hidden kept: {kept_hidden[:3]}, "
            f"suggested: {untouched[:3]}, not accepted: {not_accepted[:3]}"
        )
    w.assert_clean()
    assert w.quit() == 0


# -- e. link mode --------------------------------------------------------------------------


def _click_target(event: dict[str, Any], quote: SpanKey) -> dict[str, Any] | None:
    """A span on screen whose centre a click hits first: not the quote, not the candidate.

    The view picks the shortest span under the pointer and cycles when the current
    span is under it, so the target is the shortest span at its centre and the
    candidate (current) is not there at all. CUE spans first, then any other.
    """
    candidate = _key(event["span"]) if event["span"] else None
    on_screen = event["on_screen"]

    def contains(span: dict[str, Any], x: int, y: int) -> bool:
        return any(rx <= x < rx + rw and ry <= y < ry + rh for rx, ry, rw, rh in span["rects"])

    ranked = sorted(on_screen, key=lambda s: s["label"] != "CUE")
    for t in ranked:
        if _key(t) in (quote, candidate) or t["rect"][2] < 6:
            continue
        x, y = t["rect"][0] + t["rect"][2] // 2, t["rect"][1] + t["rect"][3] // 2
        under = [s for s in on_screen if contains(s, x, y)]
        shortest = min(under, key=lambda s: s["end"] - s["start"])
        if _key(shortest) != _key(t) or any(_key(s) == candidate for s in under):
            continue
        if sum(1 for s in under if s["end"] - s["start"] == t["end"] - t["start"]) > 1:
            continue
        return {**t, "x": x, "y": y}
    return None


def _cue_is(ann: Any, quote: SpanKey, target: dict[str, Any]) -> bool:
    cue = ann.cue_of(quote)
    return cue is not None and (cue.start, cue.end) == (target["start"], target["end"])


def test_real_window_link_mode_click_proposes_enter_links_esc_cancels(program: Program) -> None:
    db = program.project()
    w = program.start(db)
    opened = _open_first(w)
    doc_id = opened["doc_id"]
    current = w.last("current")
    for _ in range(80):  # Tab until a QUOTE is current
        if current and current["span"] and current["span"]["label"] == "QUOTE":
            break
        current = _tab_to_new_current(w)
    else:
        w.fail("Tab never reached a QUOTE in the first article")
    assert current is not None
    quote = _key(current["span"])
    before = read_annotation(db, doc_id, "alice")
    old_cue = before.cue_of(quote)

    mark = w.mark()
    w.key("c")
    linking = w.wait_for(
        "C to enter link mode",
        lambda e: e["event"] == "current" and e["link_mode"] == "cue",
        after=mark,
        timeout=10,
    )
    time.sleep(0.6)  # the hint grows, the layout may shift: the trace resends positions
    linking = w.last("current") or linking
    target = _click_target(linking, quote)
    if target is None:
        w.fail(f"no span on screen to click as the cue of {current['span']['text']!r}")
    assert target is not None
    w.screenshot("link-mode")
    mark = w.mark()
    w.click(target["x"], target["y"])
    proposed = w.wait_for(
        f"the click on {target['text']!r} to make it the candidate",
        lambda e: e["event"] == "current" and e["span"] is not None,
        after=mark,
        timeout=10,
    )
    if _key(proposed["span"]) != _key(target):
        w.fail(f"the click at {target['x']},{target['y']} chose {proposed['span']}, not {target}")
    time.sleep(1.0)  # a click that links would have committed by now
    now = read_annotation(db, doc_id, "alice")
    if now.cue_of(quote) != old_cue:
        w.fail(
            f"the click linked {target['text']!r} at once (cue {old_cue} -> {now.cue_of(quote)}); "
            "a click in link mode only proposes, Enter confirms"
        )
    state = w.last("state")
    if state is None or state["link_mode"] != "cue":
        w.fail(f"link mode ended on the click: {state}")

    mark = w.mark()
    w.key("Return")
    saved = wait_saved(
        db,
        doc_id,
        "alice",
        lambda a: _cue_is(a, quote, target),
        window=w,
        what=f"{target['text']!r} linked as the cue after Enter",
    )
    time.sleep(1.0)  # a next article would open by now
    reopened = [e for e in w.events()[mark:] if e["event"] == "document_opened"]
    if str(saved.status) == "done" or reopened or (w.last("state") or {}).get("doc_id") != doc_id:
        w.fail(
            f"Enter in link mode finished the article (status {saved.status}, "
            f"opened {[e['doc_id'] for e in reopened]}) instead of only confirming the cue"
        )
    final = read_annotation(db, doc_id, "alice")
    assert str(final.status) != "done"

    # Esc in link mode: nothing changes, link mode ends.
    mark = w.mark()
    w.key("c")
    w.wait_for(
        "C to enter link mode again",
        lambda e: e["event"] in ("current", "state") and e["link_mode"] == "cue",
        after=mark,
        timeout=10,
    )
    mark = w.mark()
    w.key("Escape")
    w.wait_for(
        "Esc to leave link mode",
        lambda e: e["event"] in ("current", "state") and e["link_mode"] is None,
        after=mark,
        timeout=10,
    )
    time.sleep(0.5)
    after_esc = read_annotation(db, doc_id, "alice")
    if not _cue_is(after_esc, quote, target) or after_esc.version != final.version:
        w.fail(f"Esc in link mode changed the annotation: cue {after_esc.cue_of(quote)}")
    w.assert_clean()
    assert w.quit() == 0


# -- f. a new suggestion set reaches a started article -------------------------------------


def test_real_window_a_started_article_reopened_shows_the_new_set_and_keeps_its_decision(
    program: Program,
) -> None:
    """An accepted suggestion, then another set becomes current (as a new model does):
    back in the article, the window shows that set's suggestions, not the old ones
    beside them, and the accepted span is still there, as the file says."""
    db = program.project()
    w = program.start(db)
    opened = _open_first(w)
    doc_id = opened["doc_id"]
    current = _tab_to_new_current(w)
    target = _key(current["span"])
    w.key("a")
    _wait_accepted(w, db, doc_id, target, repr(current["span"]["text"]))
    mark = w.mark()
    w.key("ctrl+Next")
    w.wait_for(
        "the next article after Ctrl+PgDown",
        lambda e: e["event"] == "document_opened" and e["doc_id"] != doc_id,
        after=mark,
        timeout=30,
    )
    old = read_annotation(db, doc_id, "alice")
    assert "5 documents suggested" in program.cli(db, "suggest", "--model", "rules")
    new = read_annotation(db, doc_id, "suggestions:rules-1")
    old_only = {s.key for s in old.spans if str(s.origin) == "suggested"} - {
        s.key for s in new.spans
    }
    assert old_only  # the two sets differ in this article: something to replace
    mark = w.mark()
    w.key("ctrl+Prior")
    back = w.wait_for(
        "the first article again after Ctrl+PgUp",
        lambda e: e["event"] == "document_opened" and e["doc_id"] == doc_id,
        after=mark,
        timeout=30,
    )
    saved = read_annotation(db, doc_id, "alice")
    undecided = {s.key for s in saved.spans if str(s.origin) == "suggested"}
    kept = saved.span_by_key(target)
    assert kept is not None and str(kept.origin) == "accepted"
    if undecided & old_only:
        w.fail(f"{len(undecided & old_only)} suggestions of the old set still shown beside the new")
    assert undecided <= {s.key for s in new.spans}
    # what the person saw is what the file holds
    assert back["n_spans"] == len(saved.spans)
    assert back["n_suggestions"] + back["n_hidden"] == len(undecided)
    w.screenshot("reopened_with_new_set")
    w.assert_clean()
    assert w.quit() == 0
