"""Every command of the window, declared once: menus, shortcuts and the help table use it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.core import LabelScheme, Layer


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str  # object name, also the window's slot ``on_<name>``
    text: str  # menu text (& marks the mnemonic)
    shortcuts: tuple[str, ...]
    menu: str  # File, Edit, Annotate, Navigate, View, Help
    help: str
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec("new_project", "&New project…", ("Ctrl+N",), "File", "Create an empty project file"),
    ActionSpec("open_project", "&Open project…", ("Ctrl+O",), "File", "Open a project file"),
    ActionSpec(
        "import_articles",
        "&Import articles…",
        ("Ctrl+I",),
        "File",
        "Add articles (.txt files or folders, JSONL) to the project",
    ),
    ActionSpec(
        "export",
        "&Export…",
        ("Ctrl+E",),
        "File",
        "Write annotations (yours, anyone's or gold) as spaCy, JSONL, doccano or IOB",
    ),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "File", "Close the window (everything is saved)"),
    # Edit
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Edit", "Undo the last edit (saved at once)"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", "Redo"),
    ActionSpec(
        "find_in_article",
        "&Find in article…",
        ("Ctrl+F",),
        "Edit",
        "Find text in the open article (Enter / Shift+Enter: next / previous, Esc closes)",
    ),
    ActionSpec("find_next", "Find ne&xt", ("F3",), "Edit", "The next match in the article"),
    ActionSpec("find_previous", "Find pre&vious", ("Shift+F3",), "Edit", "The previous match"),
    ActionSpec("find", "Find &document…", ("Ctrl+Shift+F",), "Edit", "Search the document list"),
    # Annotate
    ActionSpec(
        "accept",
        "&Accept suggestion",
        ("A",),
        "Annotate",
        "Accept the current suggestion and go to the next span",
    ),
    ActionSpec(
        "accept_all",
        "Accept a&ll suggestions",
        ("Shift+A",),
        "Annotate",
        "Accept every suggestion shown in this document",
    ),
    ActionSpec(
        "reject",
        "&Reject / delete span",
        ("X", "Delete"),
        "Annotate",
        "Reject the current suggestion or delete the current span",
    ),
    ActionSpec(
        "make_quote",
        "Mark selection as &QUOTE",
        ("Q",),
        "Annotate",
        "Make the selected text a QUOTE (kind guessed from its quotation marks)",
    ),
    ActionSpec(
        "set_speaker",
        "Set &speaker",
        ("S",),
        "Annotate",
        "Speaker of the current quote: the selection, or click / Tab to a span and Enter",
    ),
    ActionSpec(
        "set_cue",
        "Set &cue",
        ("C",),
        "Annotate",
        "Cue of the current quote: the selection, or click / Tab to a span and Enter",
    ),
    ActionSpec("cycle_kind", "Cycle quote &kind", ("K",), "Annotate", "direct → indirect → mixed"),
    ActionSpec(
        "note",
        "&Note / flag article…",
        ("N",),
        "Annotate",
        "Your note on this article, and a flag that asks a reviewer to look at it",
    ),
    ActionSpec(
        "pick_label",
        "Label &by name…",
        ("/",),
        "Annotate",
        "Type to filter every label (also those past 9), Enter applies it like a digit key; "
        "there Ctrl+1…9 or Bind key… gives a label its own key, saved in the project",
    ),
    ActionSpec(
        "start_left",
        "Extend start one token left",
        ("Alt+Left",),
        "Annotate",
        "Move the start of the current span one token left",
    ),
    ActionSpec(
        "start_right",
        "Shrink start one token right",
        ("Alt+Right",),
        "Annotate",
        "Move the start of the current span one token right",
    ),
    ActionSpec(
        "end_left",
        "Shrink end one token left",
        ("Alt+Shift+Left",),
        "Annotate",
        "Move the end of the current span one token left",
    ),
    ActionSpec(
        "end_right",
        "Extend end one token right",
        ("Alt+Shift+Right",),
        "Annotate",
        "Move the end of the current span one token right",
    ),
    ActionSpec(
        "train_now",
        "&Train now",
        (),
        "Annotate",
        "Train a model on the finished articles (gold where there is one) in the background; "
        "its suggestions then replace the current ones for articles not opened yet",
    ),
    ActionSpec(
        "retrain_every",
        "Train again &every…",
        (),
        "Annotate",
        "Start a training by itself after every N newly finished articles (0 = never)",
    ),
    # Navigate
    ActionSpec(
        "next_span",
        "&Next span",
        ("Tab",),
        "Navigate",
        "Outline the next span (in link mode: the next candidate; in review mode: the next "
        "disagreement)",
    ),
    ActionSpec(
        "prev_span",
        "&Previous span",
        ("Shift+Tab",),
        "Navigate",
        "Outline the previous span",
    ),
    ActionSpec(
        "done",
        "Mark &done and open next",
        ("Return", "Enter"),
        "Navigate",
        "Finish this article and open the next one not done (in link mode: confirm)",
    ),
    ActionSpec(
        "require_decisions",
        "Enter re&quires every suggestion decided",
        (),
        "Navigate",
        "Project option: Enter refuses while suggestions on screen are undecided "
        "(off: Enter accepts them; hidden ones are never kept)",
        checkable=True,
    ),
    ActionSpec(
        "skip",
        "S&kip and open next",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Navigate",
        "Skip this article and open the next one not done",
    ),
    ActionSpec(
        "next_document",
        "Next document in list",
        ("Ctrl+PgDown",),
        "Navigate",
        "Open the next document of the list",
    ),
    ActionSpec(
        "prev_document",
        "Previous document in list",
        ("Ctrl+PgUp",),
        "Navigate",
        "Open the previous document of the list",
    ),
    ActionSpec(
        "cancel", "Cancel", ("Esc",), "Navigate", "Leave speaker/cue linking, clear the selection"
    ),
    # View
    ActionSpec("zoom_in", "Zoom &in", ("Ctrl++", "Ctrl+="), "View", "Larger text"),
    ActionSpec("zoom_out", "Zoom &out", ("Ctrl+-",), "View", "Smaller text"),
    ActionSpec("zoom_reset", "&Actual size", ("Ctrl+0",), "View", "Default text size"),
    ActionSpec(
        "toggle_low_confidence",
        "Show &low-confidence suggestions",
        ("L",),
        "View",
        "Show or hide suggestions the pipeline is unsure about",
        checkable=True,
    ),
    ActionSpec(
        "choose_threshold",
        "Show suggestions from &precision…",
        (),
        "View",
        "Choose the precision (calibrated confidence) from which suggestions are shown",
    ),
    ActionSpec(
        "toggle_guidelines",
        "&Guidelines",
        ("H",),
        "View",
        "Show the project's annotation guidelines beside the article",
        checkable=True,
    ),
    ActionSpec(
        "review_mode",
        "&Review mode",
        ("Ctrl+R",),
        "View",
        "Reviewers: edit the gold version, documents sorted by disagreement, "
        "everyone's versions side by side (Tab: next disagreement)",
        checkable=True,
    ),
    ActionSpec(
        "dashboard",
        "Agreement &dashboard",
        ("Ctrl+D",),
        "View",
        "Reviewers: pairwise F1, Cohen/Fleiss kappa, Krippendorff alpha, charts",
    ),
    ActionSpec(
        "reset_layout",
        "Reset la&yout",
        (),
        "View",
        "Put every panel back in its default place and size (forgets the saved layout)",
    ),
    # Review (enabled in review mode; names filled in from the project's annotators)
    *(
        ActionSpec(
            f"take_{n}",
            f"Take annotator {n}'s version of this disagreement",
            (f"Alt+{n}",),
            "Review",
            f"Gold takes annotator {n}'s spans where they disagree, then the next one",
        )
        for n in range(1, 5)
    ),
    *(
        ActionSpec(
            f"adopt_{n}",
            f"Adopt annotator {n}'s whole article as gold",
            (f"Ctrl+Shift+{n}",),
            "Review",
            f"Gold becomes annotator {n}'s version of the article (one undo step)",
        )
        for n in range(1, 5)
    ),
    # Help
    ActionSpec("show_shortcuts", "&Keyboard shortcuts", ("F1", "?"), "Help", "This table"),
    ActionSpec("about", "&About", (), "Help", "Version and project file"),
)

MENUS = ("File", "Edit", "Annotate", "Navigate", "Review", "View", "Help")


def label_action_specs(
    scheme: LabelScheme, keys: Mapping[str, str] | None = None
) -> list[ActionSpec]:
    """One action per entity label (and per other label that has a key), with the key
    from ``keys`` (the project's bindings, ``app.label_keys``), else the scheme's digit
    hotkey. Quote labels are also applied by Q/S/C."""
    if keys is None:
        keys = {
            s.name: s.hotkey
            for s in scheme.labels
            if s.layer == Layer.ENTS and s.hotkey and s.hotkey.isdigit()
        }
    out = []
    for spec in scheme.labels:
        if spec.layer == Layer.ENTS or spec.name in keys:
            key = keys.get(spec.name, "")
            out.append(
                ActionSpec(
                    f"label_{spec.name}",
                    f"Label as {spec.name}",
                    (key,) if key else (),
                    "Annotate",
                    f"Set the label of the current span (or label the selection): {spec.name}",
                )
            )
    return out


def command_keys(specs: Iterable[ActionSpec]) -> list[str]:
    """Every key of the window's fixed commands (not label keys): a label may not take one."""
    return [
        QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText) or key
        for spec in specs
        if not spec.name.startswith("label_")
        for key in spec.shortcuts
    ]


def key_identity(sequence: QKeySequence) -> str:
    """One name per physical key chord: Qt spells Shift+Tab also as Backtab (with or
    without Shift), and binding both makes Qt find the shortcut ambiguous and do nothing."""
    chords = []
    for i in range(sequence.count()):
        # operator[] exists at run time; PySide6's stubs do not declare it
        combo = sequence[i]  # type: ignore[index]
        key, mods = combo.key(), combo.keyboardModifiers()
        if key == Qt.Key.Key_Backtab:
            key, mods = Qt.Key.Key_Tab, mods | Qt.KeyboardModifier.ShiftModifier
        chords.append(
            QKeySequence(mods.value | key.value).toString(QKeySequence.SequenceFormat.PortableText)
        )
    return ", ".join(chords)


def shortcut_clashes(actions: Iterable[QAction]) -> list[str]:
    """Keys that more than one action answers to (each one a dead key in Qt)."""
    owners: dict[str, list[str]] = {}
    for action in actions:
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                owners.setdefault(key_identity(sequence), []).append(action.objectName())
    return [f"{key}: {', '.join(names)}" for key, names in owners.items() if len(names) > 1]


def set_label_keys(
    actions: Mapping[str, QAction], specs: Sequence[ActionSpec], keys: Mapping[str, str]
) -> list[ActionSpec]:
    """Give the label actions the project's new bindings; returns the specs with them
    (for Help ▸ Keyboard shortcuts). A label without an action keeps no key."""
    out = []
    for spec in specs:
        if spec.name.startswith("label_"):
            key = keys.get(spec.name[len("label_") :], "")
            spec = replace(spec, shortcuts=(key,) if key else ())
            action = actions.get(spec.name)
            if action is not None:
                action.setShortcuts([QKeySequence(key)] if key else [])
        out.append(spec)
    return out


def make_actions(
    parent: QWidget,
    specs: Sequence[ActionSpec],
    slot_for: Callable[[ActionSpec], Callable[[], object]],
) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.name)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        # Window-wide: works wherever focus is, except in text fields, which claim typing keys.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(spec.help)
        action.setToolTip(spec.help)
        action.setCheckable(spec.checkable)
        slot = slot_for(spec)
        if spec.checkable:
            action.toggled.connect(lambda _checked, s=slot: s())
        else:
            action.triggered.connect(lambda _checked=False, s=slot: s())
        parent.addAction(action)
        actions[spec.name] = action
    return actions


def shortcut_text(spec: ActionSpec) -> str:
    return ", ".join(
        QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) or s
        for s in spec.shortcuts
    )


def shortcuts_html(specs: Sequence[ActionSpec]) -> str:
    """The Help ▸ Keyboard shortcuts table, grouped by menu."""
    rows = []
    for menu in MENUS:
        group = [s for s in specs if s.menu == menu and s.shortcuts]
        if not group:
            continue
        rows.append(f"<tr><th colspan=3 align=left><br>{escape(menu)}</th></tr>")
        for spec in group:
            rows.append(
                "<tr>"
                f"<td><code><b>{escape(shortcut_text(spec))}</b></code>&nbsp;&nbsp;</td>"
                f"<td>{escape(spec.text.replace('&', ''))}&nbsp;&nbsp;</td>"
                f"<td style='color:gray'>{escape(spec.help)}</td>"
                "</tr>"
            )
    extra = (
        "<p>Mouse: drag to select text (it snaps to whole tokens on release); click a span to make "
        "it current; click it again to cycle through overlapping spans; hover for details.</p>"
        "<p>Keyboard selection: Shift+arrows, Shift+Ctrl+arrows by word.</p>"
    )
    return f"<table cellspacing=2>{''.join(rows)}</table>{extra}"
