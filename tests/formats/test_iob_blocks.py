"""IOB with a document per blank-line block (``--iob-documents blocks``), as Label
Studio's CoNLL-2003 export needs: one -DOCSTART- for all tasks, a blank line after
each task's ``word -X- _ TAG`` lines."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.cli import app
from annotator.formats.iob import read_iob
from annotator.formats.records import ImportRecord, Problem, ReadOptions

runner = CliRunner()

# Three tasks as Label Studio's converter writes them (the texts are ours).
LS_CONLL = """-DOCSTART- -X- O
Anna -X- _ B-PERSON
Petrova -X- _ I-PERSON
arrived -X- _ O
in -X- _ O
Riga -X- _ B-GPE
. -X- _ O

The -X- _ O
council -X- _ B-ORG
met -X- _ O
on -X- _ O
Monday -X- _ B-DATE
. -X- _ O

Nothing -X- _ O
here -X- _ O
. -X- _ O

"""
BLOCKS = ReadOptions(iob_documents="blocks")


def _read(path: Path, options: ReadOptions) -> tuple[list[ImportRecord], list[Problem]]:
    records: list[ImportRecord] = []
    problems: list[Problem] = []
    for item in read_iob(path, options):
        (problems if isinstance(item, Problem) else records).append(item)
    return records, problems


def _entities(rec: ImportRecord) -> list[tuple[str, str]]:
    return [(rec.text[s.start : s.end], s.label) for s in rec.spans or []]


def test_each_block_of_a_label_studio_conll_export_is_a_document(tmp_path: Path) -> None:
    f = tmp_path / "project.conll"
    f.write_text(LS_CONLL, encoding="utf-8")
    records, problems = _read(f, BLOCKS)
    assert problems == []
    assert [r.text for r in records] == [
        "Anna Petrova arrived in Riga .",
        "The council met on Monday .",
        "Nothing here .",
    ]
    assert _entities(records[0]) == [("Anna Petrova", "PERSON"), ("Riga", "GPE")]
    assert _entities(records[1]) == [("council", "ORG"), ("Monday", "DATE")]
    assert _entities(records[2]) == []
    # where each document starts: its -DOCSTART- line, else its first line
    assert [r.line for r in records] == [1, 9, 16]
    assert len({r.external_id for r in records}) == 3


def test_by_default_the_same_file_is_one_document_of_sentences(tmp_path: Path) -> None:
    f = tmp_path / "project.conll"
    f.write_text(LS_CONLL, encoding="utf-8")
    (record,), problems = _read(f, ReadOptions())
    assert record.text.count("\n") == 2
    assert len(record.spans or []) == 4
    # the file's shape gives it away: the import says how to read it as three
    (hint,) = problems
    assert hint.warning and "--iob-documents blocks" in hint.message
    assert "3 blank-line blocks" in hint.message


def test_an_ordinary_iob_file_of_sentences_gets_no_hint(tmp_path: Path) -> None:
    f = tmp_path / "ours.iob"
    f.write_text(
        "-DOCSTART- -X- O O\n\nAnna B-PERSON\nspoke O\n\nRiga B-GPE\nwaited O\n\n",
        encoding="utf-8",
    )
    (record,), problems = _read(f, ReadOptions())
    assert record.text == "Anna spoke\nRiga waited"
    assert problems == []


def test_docstart_lines_still_split_and_extra_blank_lines_make_no_empty_document(
    tmp_path: Path,
) -> None:
    f = tmp_path / "x.iob"
    f.write_text(
        "-DOCSTART- -X- O O\n\nA B-ORG\n\n\n\nB B-GPE\n-DOCSTART- -X- O O\nC O\n",
        encoding="utf-8",
    )
    records, _ = _read(f, BLOCKS)
    assert [r.text for r in records] == ["A", "B", "C"]


def test_an_entity_is_closed_at_the_end_of_its_block(tmp_path: Path) -> None:
    f = tmp_path / "x.iob"
    f.write_text("New B-GPE\nYork I-GPE\n\nCity I-GPE\nHall O\n", encoding="utf-8")
    records, problems = _read(f, BLOCKS)
    assert [_entities(r) for r in records] == [[("New York", "GPE")], [("City", "GPE")]]
    # the I- opening the second document has no B- before it in that document
    (warning,) = problems
    assert warning.warning and warning.line == 4


def test_a_bad_line_in_a_block_is_reported_and_the_rest_kept(tmp_path: Path) -> None:
    f = tmp_path / "x.iob"
    f.write_text("Anna B-PERSON\nlonely\nspoke O\n\nRiga B-GPE\n", encoding="utf-8")
    records, problems = _read(f, BLOCKS)
    assert [r.text for r in records] == ["Anna spoke", "Riga"]
    (problem,) = problems
    assert (problem.line, problem.warning) == (2, False)


def test_cli_import_blocks_stores_a_document_per_task(tmp_path: Path) -> None:
    f = tmp_path / "project.conll"
    f.write_text(LS_CONLL, encoding="utf-8")
    db = tmp_path / "p.db"
    result = runner.invoke(app, ["--db", str(db), "import", "--iob-documents", "blocks", str(f)])
    assert result.exit_code == 0, result.output
    with Project.open(db) as p:
        assert p.count_documents() == 3
        texts = sorted(p.get_document(i).text for i in p.document_ids())
        assert texts[0] == "Anna Petrova arrived in Riga ."
        ann = p.load_annotation(p.document_ids()[0], "imported")
        assert ann is not None and {s.label for s in ann.spans} == {"PERSON", "GPE"}


def test_cli_refuses_an_unknown_iob_documents_choice(tmp_path: Path) -> None:
    f = tmp_path / "project.conll"
    f.write_text(LS_CONLL, encoding="utf-8")
    db = tmp_path / "p.db"
    result = runner.invoke(app, ["--db", str(db), "import", "--iob-documents", "lines", str(f)])
    assert result.exit_code != 0
    assert "--iob-documents" in result.output and "Traceback" not in result.output
    assert not db.exists() or Project.open(db).count_documents() == 0
