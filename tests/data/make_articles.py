"""Source of tests/data/articles_cc0.jsonl: original news-style articles (CC0)
with hand-made quote annotations following the quote scheme of docs/QUOTES.md.

Annotations are written as text snippets (with an occurrence number when a
snippet repeats) so that they can be read and checked; this script turns
them into character offsets and checks each one. Only the quotes layer is
annotated (meta "layers": ["quotes"]); the bench scores entities only on
articles that annotate them.

    python tests/data/make_articles.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# (id, label, snippet, occurrence, kind) ; relations: (quote id, speaker id, cue id)
Ann = tuple[str, str, str, int, str | None]

ARTICLES: list[dict[str, Any]] = []

ARTICLES.append({
    "name": "cc0_harbour_strike",
    "text": (
        "Dock workers walk out as talks over pay collapse\n"
        "PORTSMOUTH – Hundreds of dock workers stopped work on Monday after talks between their "
        "union and the port operator broke down late on Sunday night.\n"
        "\"We have been patient for two years, and patience has a limit,\" union organiser "
        "Maria Lopez told reporters outside the main gate. \"Nobody here wanted a strike. "
        "The company left us no choice.\"\n"
        "The operator, Southern Docks Ltd, said in a statement that it had offered a 4% rise "
        "and that the union's demands would put hundreds of jobs at risk.\n"
        "Its chief executive, Daniel Hart, said: \"Our door remains open. We want our people "
        "back at work and ships back at the quay.\"\n"
        "Lopez dismissed the offer. She said the figure did not keep pace with rents in the "
        "city, which have risen by a third since 2021.\n"
        "\"Four per cent is a pay cut,\" she said. \"Everyone in this town knows what a flat "
        "costs now.\"\n"
        "Local shipping agents warned that cargo would be diverted to other ports if the "
        "stoppage lasted more than a few days. According to the harbour authority, eleven "
        "vessels were waiting offshore by Monday evening.\n"
        "A spokeswoman for the transport ministry said the government was monitoring the "
        "situation but would not intervene in what she called \"a matter for the two parties.\"\n"
        "The union's members' mood on the picket line was defiant. Some carried copies of "
        "\"The Ragged Trousered Philanthropists\", a novel about workers' lives.\n"
    ),
    "spans": [
        ("s1", "SPEAKER", "union organiser Maria Lopez", 0, None),
        ("c1", "CUE", "told reporters", 0, None),
        ("q1", "QUOTE", "\"We have been patient for two years, and patience has a limit,\"", 0,
         "direct"),
        ("q2", "QUOTE", "\"Nobody here wanted a strike. The company left us no choice.\"", 0,
         "direct"),
        ("s2", "SPEAKER", "The operator", 0, None),
        ("c2", "CUE", "said", 0, None),
        ("q3", "QUOTE", "it had offered a 4% rise and that the union's demands would put "
         "hundreds of jobs at risk", 0, "indirect"),
        ("s3", "SPEAKER", "Its chief executive", 0, None),
        ("c3", "CUE", "said", 1, None),
        ("q4", "QUOTE", "\"Our door remains open. We want our people back at work and ships "
         "back at the quay.\"", 0, "direct"),
        ("s4", "SPEAKER", "She", 0, None),
        ("c4", "CUE", "said", 2, None),
        ("q5", "QUOTE", "the figure did not keep pace with rents in the city, which have risen "
         "by a third since 2021", 0, "indirect"),
        ("s5", "SPEAKER", "she", 0, None),
        ("c5", "CUE", "said", 3, None),
        ("q6", "QUOTE", "\"Four per cent is a pay cut,\"", 0, "direct"),
        ("q7", "QUOTE", "\"Everyone in this town knows what a flat costs now.\"", 0, "direct"),
        ("s6", "SPEAKER", "Local shipping agents", 0, None),
        ("c6", "CUE", "warned", 0, None),
        ("q8", "QUOTE", "cargo would be diverted to other ports if the stoppage lasted more "
         "than a few days", 0, "indirect"),
        ("c7", "CUE", "According to", 0, None),
        ("s7", "SPEAKER", "the harbour authority", 0, None),
        ("q9", "QUOTE", "eleven vessels were waiting offshore by Monday evening", 0, "indirect"),
        ("s8", "SPEAKER", "A spokeswoman for the transport ministry", 0, None),
        ("c8", "CUE", "said", 4, None),
        ("q10", "QUOTE", "the government was monitoring the situation but would not intervene "
         "in what she called \"a matter for the two parties.\"", 0, "mixed"),
    ],
    "relations": [
        ("q1", "s1", "c1"), ("q2", "s1", "c1"), ("q3", "s2", "c2"), ("q4", "s3", "c3"),
        ("q5", "s4", "c4"), ("q6", "s5", "c5"), ("q7", "s5", "c5"), ("q8", "s6", "c6"),
        ("q9", "s7", "c7"), ("q10", "s8", "c8"),
    ],
})

ARTICLES.append({
    "name": "cc0_library_closure",
    "text": (
        "Council votes to close two branch libraries\n"
        "The city council voted 7-4 on Thursday to close the Eastfield and Mill Lane branch "
        "libraries next spring, ending months of debate over the library budget.\n"
        "“This is a sad day, but the numbers simply do not add up,” said councillor Priya "
        "Nair, who chairs the finance committee. “We looked at every alternative.”\n"
        "Opponents packed the public gallery. Retired teacher Tom Whitaker, 71, said he had "
        "used the Mill Lane branch every week for forty years.\n"
        "“For a lot of people round here, it’s the only warm place with a free computer,” "
        "he said. “Where are they supposed to go?”\n"
        "The council’s head of libraries, Ruth Okafor, insisted that no staff would lose their "
        "jobs and that the mobile library service would be expanded to both areas.\n"
        "“We are not abandoning anyone,” she said.\n"
        "Campaigners described the decision as “short-sighted and cruel” and said they would "
        "ask for a judicial review.\n"
        "“The council’s own consultation showed that 80 per cent of users opposed the plan. "
        "They ignored it.\n"
        "“And now they expect us to be grateful for a van,” campaign group Save Our Libraries "
        "said on its website.\n"
        "Mayor Helen Brooks did not comment on the vote.\n"
    ),
    "spans": [
        ("q1", "QUOTE", "“This is a sad day, but the numbers simply do not add up,”", 0, "direct"),
        ("c1", "CUE", "said", 0, None),
        ("s1", "SPEAKER", "councillor Priya Nair", 0, None),
        ("q2", "QUOTE", "“We looked at every alternative.”", 0, "direct"),
        ("s2", "SPEAKER", "Retired teacher Tom Whitaker", 0, None),
        ("c2", "CUE", "said", 1, None),
        ("q3", "QUOTE", "he had used the Mill Lane branch every week for forty years", 0,
         "indirect"),
        ("q4", "QUOTE", "“For a lot of people round here, it’s the only warm place with a free "
         "computer,”", 0, "direct"),
        ("s3", "SPEAKER", "he", 1, None),
        ("c3", "CUE", "said", 2, None),
        ("q5", "QUOTE", "“Where are they supposed to go?”", 0, "direct"),
        ("s4", "SPEAKER", "The council’s head of libraries", 0, None),
        ("c4", "CUE", "insisted", 0, None),
        ("q6", "QUOTE", "no staff would lose their jobs and that the mobile library service "
         "would be expanded to both areas", 0, "indirect"),
        ("q7", "QUOTE", "“We are not abandoning anyone,”", 0, "direct"),
        ("s5", "SPEAKER", "she", 0, None),
        ("c5", "CUE", "said", 3, None),
        ("s6", "SPEAKER", "Campaigners", 0, None),
        ("c6", "CUE", "described", 0, None),
        ("q8", "QUOTE", "the decision as “short-sighted and cruel”", 0, "mixed"),
        ("c7", "CUE", "said", 4, None),
        ("q9", "QUOTE", "they would ask for a judicial review", 0, "indirect"),
        ("q10", "QUOTE", "“The council’s own consultation showed that 80 per cent of users "
         "opposed the plan. They ignored it.", 0, "direct"),
        ("q11", "QUOTE", "“And now they expect us to be grateful for a van,”", 0, "direct"),
        ("s7", "SPEAKER", "campaign group Save Our Libraries", 0, None),
        ("c8", "CUE", "said", 5, None),
    ],
    "relations": [
        ("q1", "s1", "c1"), ("q2", "s1", "c1"), ("q3", "s2", "c2"), ("q4", "s3", "c3"),
        ("q5", "s3", "c3"), ("q6", "s4", "c4"), ("q7", "s5", "c5"), ("q8", "s6", "c6"),
        ("q9", "s6", "c7"), ("q10", "s7", "c8"), ("q11", "s7", "c8"),
    ],
})

ARTICLES.append({
    "name": "cc0_flood_warning",
    "text": (
        "Flood defences ‘will not hold’ another winter, engineers warn\n"
        "Engineers have told the regional water board that the river embankment at Crowford "
        "is unlikely to survive another wet winter without urgent repairs.\n"
        "In a report published on Wednesday, the engineering firm Halden & Partners said the "
        "earth bank had been weakened by burrowing animals and by years of delayed "
        "maintenance.\n"
        "‘We found sections where the core of the bank is effectively hollow,’ the report’s "
        "lead author, Dr Sam Iqbal, said. ‘If the river rises as it did in 2020, I would not "
        "expect those sections to hold.’\n"
        "The water board’s chair, Anne Mercer, said the board had not yet seen the full "
        "report and would discuss it at its next meeting.\n"
        "Residents’ groups said they had raised the problem repeatedly. ‘We’ve been writing "
        "letters since 2019,’ said Graham Pike, who lives on Riverside Road. ‘Nobody came.’\n"
        "The Environment Agency confirmed that the embankment was on its list of high-risk "
        "assets. A spokesman added that temporary barriers could be installed within days if "
        "a flood warning was issued.\n"
        "Local MP Joanna Reeve called the findings ‘alarming’ and urged ministers to release "
        "emergency funding before the autumn.\n"
    ),
    "spans": [
        ("s0", "SPEAKER", "engineers", 0, None),
        ("c0", "CUE", "warn", 0, None),
        ("q0", "QUOTE", "Flood defences ‘will not hold’ another winter", 0, "mixed"),
        ("s1", "SPEAKER", "Engineers", 0, None),
        ("c1", "CUE", "told", 0, None),
        ("q1", "QUOTE", "the river embankment at Crowford is unlikely to survive another wet "
         "winter without urgent repairs", 0, "indirect"),
        ("s2", "SPEAKER", "the engineering firm Halden & Partners", 0, None),
        ("c2", "CUE", "said", 0, None),
        ("q2", "QUOTE", "the earth bank had been weakened by burrowing animals and by years of "
         "delayed maintenance", 0, "indirect"),
        ("q3", "QUOTE", "‘We found sections where the core of the bank is effectively hollow,’",
         0, "direct"),
        ("s3", "SPEAKER", "the report’s lead author", 0, None),
        ("c3", "CUE", "said", 1, None),
        ("q4", "QUOTE", "‘If the river rises as it did in 2020, I would not expect those "
         "sections to hold.’", 0, "direct"),
        ("s4", "SPEAKER", "The water board’s chair", 0, None),
        ("c4", "CUE", "said", 2, None),
        ("q5", "QUOTE", "the board had not yet seen the full report and would discuss it at "
         "its next meeting", 0, "indirect"),
        ("s5", "SPEAKER", "Residents’ groups", 0, None),
        ("c5", "CUE", "said", 3, None),
        ("q6", "QUOTE", "they had raised the problem repeatedly", 0, "indirect"),
        ("q7", "QUOTE", "‘We’ve been writing letters since 2019,’", 0, "direct"),
        ("c6", "CUE", "said", 4, None),
        ("s6", "SPEAKER", "Graham Pike", 0, None),
        ("q8", "QUOTE", "‘Nobody came.’", 0, "direct"),
        ("s7", "SPEAKER", "The Environment Agency", 0, None),
        ("c7", "CUE", "confirmed", 0, None),
        ("q9", "QUOTE", "the embankment was on its list of high-risk assets", 0, "indirect"),
        ("s8", "SPEAKER", "A spokesman", 0, None),
        ("c8", "CUE", "added", 0, None),
        ("q10", "QUOTE", "temporary barriers could be installed within days if a flood warning "
         "was issued", 0, "indirect"),
        ("s9", "SPEAKER", "Local MP Joanna Reeve", 0, None),
        ("c9", "CUE", "called", 0, None),
        ("q11", "QUOTE", "the findings ‘alarming’", 0, "mixed"),
        ("c10", "CUE", "urged", 0, None),
        ("q12", "QUOTE", "ministers to release emergency funding before the autumn", 0,
         "indirect"),
    ],
    "relations": [
        ("q0", "s0", "c0"), ("q1", "s1", "c1"), ("q2", "s2", "c2"), ("q3", "s3", "c3"),
        ("q4", "s3", "c3"), ("q5", "s4", "c4"), ("q6", "s5", "c5"), ("q7", "s6", "c6"),
        ("q8", "s6", "c6"), ("q9", "s7", "c7"), ("q10", "s8", "c8"), ("q11", "s9", "c9"),
        ("q12", "s9", "c10"),
    ],
})

ARTICLES.append({
    "name": "cc0_chess_final",
    "text": (
        "Teenager wins national chess title in final-round upset\n"
        "Sixteen-year-old Lena Fischer became the youngest national chess champion in the "
        "tournament's history on Sunday, beating the top seed in a tense final round.\n"
        "Fischer, who learned the game from her grandfather, said she had not expected to "
        "finish in the top five. \"Honestly, I came here to get experience,\" she said after "
        "the game. \"When he offered a draw I thought about it for a long time, but the "
        "position was still alive.\"\n"
        "Her opponent, grandmaster Viktor Samsonov, was gracious in defeat. \"She played "
        "better than me today. There is nothing more to say,\" Samsonov told the "
        "tournament's website.\n"
        "Chief arbiter Paul Grant said the final had drawn more online viewers than any game "
        "in the event's history. According to Grant, more than 40,000 people watched the "
        "broadcast live.\n"
        "The national federation announced that Fischer would represent the country at the "
        "world junior championship in October. Its president, Irene Koval, said: \"Lena is "
        "the kind of player who makes young people want to learn the game. We are very proud "
        "of her.\"\n"
        "\"I just want to keep improving,\" Fischer said when asked about her plans.\n"
    ),
    "spans": [
        ("s1", "SPEAKER", "Fischer", 1, None),
        ("c1", "CUE", "said", 0, None),
        ("q1", "QUOTE", "she had not expected to finish in the top five", 0, "indirect"),
        ("q2", "QUOTE", "\"Honestly, I came here to get experience,\"", 0, "direct"),
        ("s2", "SPEAKER", "she", 1, None),
        ("c2", "CUE", "said", 1, None),
        ("q3", "QUOTE", "\"When he offered a draw I thought about it for a long time, but the "
         "position was still alive.\"", 0, "direct"),
        ("q4", "QUOTE", "\"She played better than me today. There is nothing more to say,\"",
         0, "direct"),
        ("s3", "SPEAKER", "Samsonov", 1, None),
        ("c3", "CUE", "told", 0, None),
        ("s4", "SPEAKER", "Chief arbiter Paul Grant", 0, None),
        ("c4", "CUE", "said", 2, None),
        ("q5", "QUOTE", "the final had drawn more online viewers than any game in the event's "
         "history", 0, "indirect"),
        ("c5", "CUE", "According to", 0, None),
        ("s5", "SPEAKER", "Grant", 1, None),
        ("q6", "QUOTE", "more than 40,000 people watched the broadcast live", 0, "indirect"),
        ("s6", "SPEAKER", "The national federation", 0, None),
        ("c6", "CUE", "announced", 0, None),
        ("q7", "QUOTE", "Fischer would represent the country at the world junior championship "
         "in October", 0, "indirect"),
        ("s7", "SPEAKER", "Its president", 0, None),
        ("c7", "CUE", "said", 3, None),
        ("q8", "QUOTE", "\"Lena is the kind of player who makes young people want to learn the "
         "game. We are very proud of her.\"", 0, "direct"),
        ("q9", "QUOTE", "\"I just want to keep improving,\"", 0, "direct"),
        ("s8", "SPEAKER", "Fischer", 3, None),
        ("c8", "CUE", "said", 4, None),
    ],
    "relations": [
        ("q1", "s1", "c1"), ("q2", "s2", "c2"), ("q3", "s2", "c2"), ("q4", "s3", "c3"),
        ("q5", "s4", "c4"), ("q6", "s5", "c5"), ("q7", "s6", "c6"), ("q8", "s7", "c7"),
        ("q9", "s8", "c8"),
    ],
})


def _find(text: str, snippet: str, occurrence: int) -> int:
    """Offset of the n-th whole-word occurrence of ``snippet`` (case-sensitive)."""
    found = []
    pos = text.find(snippet)
    while pos >= 0:
        end = pos + len(snippet)
        inside = (pos > 0 and text[pos - 1].isalnum() and snippet[0].isalnum()) or (
            end < len(text) and text[end].isalnum() and snippet[-1].isalnum()
        )
        if not inside:
            found.append(pos)
        pos = text.find(snippet, pos + 1)
    if occurrence >= len(found):
        raise ValueError(f"snippet {snippet!r} occurrence {occurrence} not found")
    return found[occurrence]


def build() -> list[dict[str, Any]]:
    out = []
    for art in ARTICLES:
        text = art["text"]
        spans: dict[str, dict[str, Any]] = {}
        for sid, label, snippet, occ, kind in art["spans"]:
            start = _find(text, snippet, occ)
            span: dict[str, Any] = {
                "start": start, "end": start + len(snippet), "label": label, "layer": "quotes",
                "text": snippet,
            }
            if kind:
                span["kind"] = kind
            spans[sid] = span
        relations = []
        for q, s, c in art["relations"]:
            for lab, child in (("speaker", s), ("cue", c)):
                h, ch = spans[q], spans[child]
                relations.append({
                    "label": lab,
                    "head_span": {k: h[k] for k in ("start", "end", "label")},
                    "child_span": {k: ch[k] for k in ("start", "end", "label")},
                })
        out.append({
            "text": text,
            "meta": {"source": f"tests/data/{art['name']}", "license": "CC0-1.0",
                     "layers": ["quotes"]},
            "spans": sorted(spans.values(), key=lambda s: (s["start"], s["end"])),
            "relations": relations,
            "answer": "accept",
            "_annotator_id": "gold",
        })
    return out


if __name__ == "__main__":
    path = Path(__file__).with_name("articles_cc0.jsonl")
    with path.open("w", encoding="utf-8") as fh:
        for rec in build():
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
