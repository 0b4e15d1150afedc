"""Label key bindings kept in the project file (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.app.label_keys import (
    SETTING_KEY,
    LabelKeyError,
    canonical_key,
    default_label_shortcuts,
    label_shortcuts,
    set_label_shortcut,
    validate_bindings,
)
from annotator.app.project import Project
from annotator.core import DEFAULT_SCHEME, LabelScheme, LabelSpec, Layer

COMMAND_KEYS = ("A", "Shift+A", "X", "Q", "S", "C", "K", "L", "H", "Tab", "Ctrl+Z", "Alt+1")


def test_label_keys_default_is_one_to_nine_for_the_first_nine_labels(project: Project) -> None:
    keys = label_shortcuts(project)
    assert keys == {
        "PERSON": "1",
        "ORG": "2",
        "GPE": "3",
        "NORP": "4",
        "LOC": "5",
        "DATE": "6",
        "CARDINAL": "7",
        "EVENT": "8",
        "MONEY": "9",
    }
    assert "FAC" not in keys and "WORK_OF_ART" not in keys


def test_label_keys_scheme_without_hotkeys_numbers_its_first_nine_entity_labels() -> None:
    specs = [LabelSpec(f"L{n}", Layer.ENTS, "#000000") for n in range(12)]
    scheme = LabelScheme((LabelSpec("QUOTE", Layer.QUOTES, "#000", "q"), *specs))
    keys = default_label_shortcuts(scheme)
    assert keys == {f"L{n}": str(n + 1) for n in range(9)}


def test_label_keys_binding_is_saved_and_survives_reopening(db_path: Path) -> None:
    with Project.open(db_path) as project:
        keys = set_label_shortcut(project, "WORK_OF_ART", "W", reserved=COMMAND_KEYS)
        assert keys["WORK_OF_ART"] == "W"
        assert keys["PERSON"] == "1"  # the defaults stay
    with Project.open(db_path) as reopened:
        assert label_shortcuts(reopened)["WORK_OF_ART"] == "W"
        assert label_shortcuts(reopened)["PERSON"] == "1"
        assert reopened.setting(SETTING_KEY) is not None


def test_label_keys_one_key_per_label(project: Project) -> None:
    set_label_shortcut(project, "FAC", "F", reserved=COMMAND_KEYS)
    keys = set_label_shortcut(project, "FAC", "G", reserved=COMMAND_KEYS)
    assert keys["FAC"] == "G"
    assert "F" not in keys.values()


def test_label_keys_refuses_a_command_key(project: Project) -> None:
    for key in ("A", "a", "x", "Tab", "ctrl+z", "Alt+1"):
        with pytest.raises(LabelKeyError, match="command key"):
            set_label_shortcut(project, "FAC", key, reserved=COMMAND_KEYS)
    assert "FAC" not in label_shortcuts(project)


def test_label_keys_refuses_a_key_another_label_has_unless_taken_over(project: Project) -> None:
    with pytest.raises(LabelKeyError, match="PERSON"):
        set_label_shortcut(project, "FAC", "1", reserved=COMMAND_KEYS)
    assert label_shortcuts(project)["PERSON"] == "1"
    keys = set_label_shortcut(project, "FAC", "1", reserved=COMMAND_KEYS, take_over=True)
    assert keys["FAC"] == "1"
    assert "PERSON" not in keys
    assert label_shortcuts(project) == keys


def test_label_keys_removing_a_key_and_unknown_labels(project: Project) -> None:
    keys = set_label_shortcut(project, "PERSON", None)
    assert "PERSON" not in keys and label_shortcuts(project) == keys
    with pytest.raises(LabelKeyError, match="No label"):
        set_label_shortcut(project, "NOT_A_LABEL", "N")
    with pytest.raises(LabelKeyError, match="single key"):
        set_label_shortcut(project, "FAC", "Ctrl+K, Ctrl+F")


def test_label_keys_damaged_setting_falls_back_to_defaults(project: Project) -> None:
    project.set_setting(SETTING_KEY, "{not json")
    assert label_shortcuts(project) == default_label_shortcuts(DEFAULT_SCHEME)
    project.set_setting(SETTING_KEY, '{"FAC": "F", "LAW": "f", "GONE": "G", "ORG": 3}')
    assert label_shortcuts(project) == {"FAC": "F"}


def test_label_keys_canonical_form() -> None:
    assert canonical_key("shift+ctrl+w") == canonical_key("Ctrl+Shift+W") == "ctrl+shift+w"
    assert canonical_key("Ctrl++") == "ctrl++"
    assert canonical_key(" f ") == "f"
    assert validate_bindings({"FAC": "F", "LAW": "f", "ORG": "A"}, COMMAND_KEYS) == [
        "LAW: f already labels FAC",
        "ORG: A is a command key",
    ]
