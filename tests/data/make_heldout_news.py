"""Build tests/data/heldout_news.jsonl: original news-style articles (CC0-1.0) with
hand-made gold annotations of both layers: the named entities (layer ``ents``) and the
quotations (layer ``quotes``: QUOTE with kind, SPEAKER, CUE and the speaker/cue relations).

Held-out set of issue 14. The articles were written for this file and annotated by an
annotator who had not seen the suggester's rules, cue lexicons or gazetteers
(annotator/nlp/, resources/), from the scheme alone: /work/shared/gold/GUIDELINES.md
(entities and quotes) and docs/QUOTES.md ("The scheme"). Never tune on it: it is
scored by bench/bench_heldout.py only, separately from heldout_quotes.jsonl, and
bench_nlp_quality.py skips every tests/data/heldout*.jsonl.

Locators are those of make_heldout.py (imported from there): a string that occurs once,
``(target, n)`` for the n-th (0-based) whole-word occurrence, ``(target, "in", context)``
for the first occurrence inside the unique string ``context``.

Entities are written per article as lines ``LABEL: item | item | ...`` where an item is
``X`` (occurs once as a whole word), ``X#n`` (the n-th whole-word occurrence), ``X ~ ctx``
(inside the unique string ctx), or ``X*n``: every whole-word occurrence of X that is not
inside a longer entity already placed, and there must be exactly n of them. Longer items
are placed first.

Quotes are ``(kind, quote, speaker, cue)``; ``cue`` is None for a "Name, Outlet: “…”"
attribution, which has a speaker but no speech verb. Every QUOTE here has a stated source.

Judgement calls, applied to every article (beyond GUIDELINES.md):

* Quotes. "whether" is left out of an indirect question like "that" ("wondered aloud whether
  …"), a wh-word is kept ("wondered aloud why …"). "accuse X of …", "urge / implore / order
  X to …", "thank X for “…”" keep X in the QUOTE, like "call X “Y”". A QUOTE whose span is
  one quoted segment and nothing else is direct, also after "adding that" or in a relative
  clause ("what its foreign minister called “…”"); with words outside the marks it is mixed.
  "Name, Outlet: “…”" has a SPEAKER (the name) and no CUE; so has a quote whose speaker is
  named earlier in the paragraph with no cue in its sentence. Court rulings, findings and
  orders, studies and polls that "find", and headlines ("…, study finds") are quotes. Not
  quotes: "declined to comment", "did not say", "welcomed / praised / dismissed / played
  down / credited X" with no content, "pleaded with the board", "declared victory", cues with
  a topic only ("complained about noise"), cognition ("Engineers do not expect …"),
  nicknames, titles of works and scare quotes ("so-called “…”").
* Entities. Nicknames ("the Iceman", “Tilly”) are not annotated. Ages are DATE ("58",
  "22-year-old"), durations in hours or less are TIME ("three-hour", "nine hours"), a bare
  "midnight" is TIME without "just before". Streets and stadiums are FAC; awards (Harrow
  Prize, Golden Lion) are WORK_OF_ART; competitions and festivals are EVENT; teams are ORG,
  also when named after their town ("a loss to Boston"); the Moon, Sun and Earth are LOC; a
  spacecraft or a drug code is PRODUCT; a double-barrelled surname is one PERSON. Adverbial
  "first" ("went in first") and rates ("4% a year") are not annotated.

Run:  python tests/data/make_heldout_news.py
"""

# ruff: noqa: E501  (article paragraphs and gold spans are kept on one line each)
from __future__ import annotations

import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_heldout import _word_occurrences, article, locate

OUT = Path(__file__).with_name("heldout_news.jsonl")

ENT_LABELS = {
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
}  # fmt: skip
OPEN, CLOSE = "\"“„«", "\"”“»"

ARTICLES: list[dict] = []

# ---------------------------------------------------------------- 01 politics: veto (curly, wire)
ARTICLES.append(
    {
        "topic": "politics",
        "text": article(
            "Governor vetoes school funding bill, setting up clash with legislature",
            "MONTPELIER, Vt. (Wire) — Governor Patricia Huang on Thursday vetoed a $310 million school funding bill, saying the measure would force property tax increases in more than half of the state’s towns.",
            "“I cannot sign a bill that asks a retired dairy farmer in Orleans County to pay for a formula nobody in this building can explain,” Huang said at a news conference. “Send me something simpler, and I will sign it the same day.”",
            "Legislative leaders fumed. Tom Caruso, a Democrat from Burlington who leads the state Senate, called the veto “a cynical stunt” and insisted that the bill had been negotiated with the governor’s own staff for months.",
            "“We met with her people eleven times,” Caruso said. “Eleven. And not once did anyone say the word veto.”",
            "The governor’s office disputed that account. Her spokesman, Daniel Oyelaran, told The Valley Courier that staff had raised concerns about the formula “early and often” and that the legislature had ignored them.",
            "Under the bill, the state would have replaced its per-pupil grants with a weighted formula that sends more money to districts with high poverty rates. According to the Joint Fiscal Office, 143 of the state’s 252 towns would have seen their education tax rate rise by at least 4 cents.",
            "Teachers’ unions urged lawmakers to override the veto when they return next month. An override requires a two-thirds majority in both chambers, a threshold Democrats narrowly hold in the House but not in the Senate.",
            "Asked whether she expected an override, Huang sighed. “I expect a long summer,” she said.",
            "Caruso, for his part, wondered aloud whether the governor had read the final version of the bill at all.",
        ),
        "quotes": [
            ("indirect", "the measure would force property tax increases in more than half of the state’s towns", "Governor Patricia Huang", "saying"),
            ("direct", "“I cannot sign a bill that asks a retired dairy farmer in Orleans County to pay for a formula nobody in this building can explain,”", ("Huang", "in", "Huang said at"), ("said", "in", "Huang said at")),
            ("direct", "“Send me something simpler, and I will sign it the same day.”", ("Huang", "in", "Huang said at"), ("said", "in", "Huang said at")),
            ("mixed", "the veto “a cynical stunt”", "Tom Caruso", "called"),
            ("indirect", "the bill had been negotiated with the governor’s own staff for months", "Tom Caruso", "insisted"),
            ("direct", "“We met with her people eleven times,”", ("Caruso", "in", "Caruso said"), ("said", "in", "Caruso said")),
            ("direct", "“Eleven. And not once did anyone say the word veto.”", ("Caruso", "in", "Caruso said"), ("said", "in", "Caruso said")),
            ("mixed", "staff had raised concerns about the formula “early and often” and that the legislature had ignored them", "Her spokesman", "told"),
            ("indirect", "143 of the state’s 252 towns would have seen their education tax rate rise by at least 4 cents", "the Joint Fiscal Office", "According to"),
            ("indirect", "lawmakers to override the veto when they return next month", "Teachers’ unions", "urged"),
            ("direct", "“I expect a long summer,”", ("she", "in", "summer,” she said"), ("said", "in", "summer,” she said")),
            ("indirect", "the governor had read the final version of the bill at all", ("Caruso", "in", "Caruso, for his part"), "wondered aloud"),
        ],
        "ents": """
            GPE: MONTPELIER | Vt. | Orleans County | Burlington
            ORG: Wire | Senate*2 | House | Valley Courier | Joint Fiscal Office
            PERSON: Patricia Huang | Huang*2 | Tom Caruso | Caruso*2 | Daniel Oyelaran
            NORP: Democrat | Democrats
            DATE: Thursday | same day | months | next month | summer
            MONEY: $310 million | at least 4 cents
            CARDINAL: more than half | eleven | Eleven | 143 | 252 | two-thirds
        """,
    }
)

# ---------------------------------------------------------------- 02 courts: fraud verdict (curly)
ARTICLES.append(
    {
        "topic": "courts",
        "text": article(
            "Jury convicts former charity director of diverting donations",
            "PORTLAND, Maine (Wire) — A federal jury on Monday convicted the former director of a Portland food charity of wire fraud, finding that she had diverted nearly $900,000 in donations to pay for a lake house, a boat and private school tuition.",
            "Ellen Marsh, 58, who ran the Harbor Street Pantry for eleven years, showed no reaction as the verdict was read. Her lawyer, Victor Alcott, said outside the courthouse that his client would appeal.",
            "“The jury heard one side of a complicated story,” Alcott said. “Ellen gave her life to that pantry. She made mistakes with paperwork, and she has never denied that, but she did not steal from hungry families.”",
            "Prosecutors told a different story. Assistant U.S. Attorney Rachel Dunmore told jurors in her closing argument that Marsh had treated the charity’s bank account “like a personal wallet” for at least six years.",
            "“She wrote the checks, she signed the checks, and she cashed the checks,” Dunmore said. “Every single one of them.”",
            "Witnesses included two former board members, who testified that they had been told the lake house was a storage facility for donated food. One of them, retired teacher Gloria Benn, wept on the stand.",
            "U.S. District Judge Samuel Okonkwo set sentencing for September 14. The charge carries a maximum penalty of 20 years in prison, though offenders with no criminal record typically receive far less, according to legal experts.",
            "The pantry, which now operates under a new board, said in a statement that donations had recovered and that it served more than 4,000 families last year. “We are still here,” the statement said.",
        ),
        "quotes": [
            ("indirect", "she had diverted nearly $900,000 in donations to pay for a lake house, a boat and private school tuition", "A federal jury", "finding"),
            ("indirect", "his client would appeal", "Her lawyer", ("said", "in", "Alcott, said outside")),
            ("direct", "“The jury heard one side of a complicated story,”", ("Alcott", "in", "Alcott said"), ("said", "in", "Alcott said")),
            ("direct", "“Ellen gave her life to that pantry. She made mistakes with paperwork, and she has never denied that, but she did not steal from hungry families.”", ("Alcott", "in", "Alcott said"), ("said", "in", "Alcott said")),
            ("mixed", "Marsh had treated the charity’s bank account “like a personal wallet” for at least six years", "Assistant U.S. Attorney Rachel Dunmore", ("told", "in", "Dunmore told jurors")),
            ("direct", "“She wrote the checks, she signed the checks, and she cashed the checks,”", ("Dunmore", "in", "Dunmore said"), ("said", "in", "Dunmore said")),
            ("direct", "“Every single one of them.”", ("Dunmore", "in", "Dunmore said"), ("said", "in", "Dunmore said")),
            ("indirect", "they had been told the lake house was a storage facility for donated food", "two former board members", "testified"),
            ("indirect", "The charge carries a maximum penalty of 20 years in prison, though offenders with no criminal record typically receive far less", "legal experts", "according to"),
            ("indirect", "donations had recovered and that it served more than 4,000 families last year", "The pantry", ("said", "in", "board, said in")),
            ("direct", "“We are still here,”", "the statement", ("said", "in", "the statement said")),
        ],
        "ents": """
            GPE: PORTLAND | Maine | Portland | U.S.*2
            ORG: Wire | Harbor Street Pantry
            PERSON: Ellen Marsh | Marsh ~ that Marsh had | Ellen ~ “Ellen gave | Victor Alcott | Alcott ~ Alcott said | Rachel Dunmore | Dunmore ~ Dunmore said | Gloria Benn | Samuel Okonkwo
            DATE: Monday | 58 | eleven years | at least six years | September 14 | 20 years | last year
            MONEY: nearly $900,000
            CARDINAL: one ~ heard one side | one ~ single one of them | two | One | more than 4,000
        """,
    }
)

# ---------------------------------------------------------------- 03 sports: cup semi-final (colon attributions)
ARTICLES.append(
    {
        "topic": "sports",
        "text": article(
            "Late penalty sends Ashford into cup final",
            "ASHFORD, England — Ashford Town reached their first FA Cup final in 74 years on Sunday after Kwame Mensah converted a stoppage-time penalty to beat Castleford United 2-1 at a rain-soaked Meadow Lane.",
            "Mensah, known to supporters as “the Iceman,” sent the goalkeeper the wrong way and then sprinted to the away end, where several thousand Castleford fans had already begun to leave.",
            "“I just picked my corner and trusted it,” Mensah told the BBC afterwards. “My mum said this morning that I would score. She is always right, so I had no choice.”",
            "Ashford manager Lorna Whitcombe, the first woman to take a men’s team this far in the competition, was less composed. She said she had “cried like a baby” at the final whistle and admitted that she had not watched the penalty.",
            "“I was looking at the floor,” Whitcombe said, “and listening to the noise. When it went up, I knew.”",
            "Castleford had led through a header just before half-time from captain Dean Rourke, and for long spells the visitors looked the better side. Their manager, Phil Garside, conceded that his players had “switched off” after the break but insisted the penalty decision was wrong.",
            "“It was never a penalty. Never,” Garside said. “He went down like he had been shot.”",
            "Reaction from the press box was swift. Helen Park, Ashford Gazette: “A town of 30,000 people has just beaten a club with a budget many times its size. This is the story of the season.”",
            "Marcus Bell, Northern Echo: “Castleford will feel robbed, and they have a point.”",
            "Ashford will face either Liverpool or Brentford in the final at Wembley on May 24.",
        ),
        "quotes": [
            ("direct", "“I just picked my corner and trusted it,”", ("Mensah", "in", "Mensah told"), "told"),
            ("direct", "“My mum said this morning that I would score. She is always right, so I had no choice.”", ("Mensah", "in", "Mensah told"), "told"),
            ("mixed", "she had “cried like a baby” at the final whistle", ("She", "in", "She said she"), ("said", "in", "She said she")),
            ("indirect", "she had not watched the penalty", ("She", "in", "She said she"), "admitted"),
            ("direct", "“I was looking at the floor,”", ("Whitcombe", "in", "Whitcombe said"), ("said", "in", "Whitcombe said")),
            ("direct", "“and listening to the noise. When it went up, I knew.”", ("Whitcombe", "in", "Whitcombe said"), ("said", "in", "Whitcombe said")),
            ("mixed", "his players had “switched off” after the break", "Their manager", "conceded"),
            ("indirect", "the penalty decision was wrong", "Their manager", "insisted"),
            ("direct", "“It was never a penalty. Never,”", ("Garside", "in", "Garside said"), ("said", "in", "Garside said")),
            ("direct", "“He went down like he had been shot.”", ("Garside", "in", "Garside said"), ("said", "in", "Garside said")),
            ("direct", "“A town of 30,000 people has just beaten a club with a budget many times its size. This is the story of the season.”", "Helen Park", None),
            ("direct", "“Castleford will feel robbed, and they have a point.”", "Marcus Bell", None),
        ],
        "ents": """
            GPE: ASHFORD | England
            ORG: Ashford Town | Ashford*3 | Castleford United | Castleford*3 | BBC | Ashford Gazette | Northern Echo | Liverpool | Brentford
            EVENT: FA Cup
            FAC: Meadow Lane | Wembley
            PERSON: Kwame Mensah | Mensah*2 | Lorna Whitcombe | Whitcombe*1 | Dean Rourke | Phil Garside | Garside*1 | Helen Park | Marcus Bell
            ORDINAL: first ~ their first FA | first ~ the first woman
            DATE: 74 years | Sunday | May 24 | season
            TIME: this morning
            CARDINAL: 2-1 | several thousand | 30,000
        """,
    }
)

# ---------------------------------------------------------------- 04 science: Andes glaciers (headline cue, book titles)
ARTICLES.append(
    {
        "topic": "science",
        "text": article(
            "Glacier melt in the Andes accelerating faster than models predicted, study finds",
            "Glaciers in the central Andes are losing ice nearly twice as fast as they did in the 1990s, according to a study published Wednesday in the journal Nature Geoscience.",
            "The researchers, led by hydrologist Camila Rojas of the University of Chile, combined satellite measurements with field surveys of 38 glaciers between 2000 and 2023. They found that the ice lost each year had roughly doubled over that period, with the steepest losses at altitudes below 5,000 meters.",
            "“We expected a trend. We did not expect the curve to bend this sharply,” Rojas said in a video call from Santiago. “Some of the smaller glaciers we measured as students simply do not exist anymore.”",
            "The findings matter far beyond the mountains. Rojas warned that cities such as La Paz and Lima, which rely on glacial meltwater during the dry season, could face serious shortages within two decades.",
            "Not everyone is convinced the acceleration will continue. Glaciologist Martin Keller of ETH Zurich, who was not involved in the study, described the data as “solid, even impressive” but cautioned against extrapolating a short record into the future.",
            "“Twenty years is a blink for a glacier,” he said. “I would want to see another decade before calling this a new normal.”",
            "Rojas accepted the point but said the physical mechanism was well understood: darker, dust-covered ice absorbs more sunlight and melts faster, which exposes yet more dark ice.",
            "The study comes a year after Rojas published “Rivers of Ice,” a popular book on Andean water that has been translated into six languages. Its final chapter, titled “What the Mountains Keep,” argues that governments have treated glaciers as permanent infrastructure.",
            "Governments in the region have begun to respond. Peru’s environment ministry said last month it would expand its network of glacier monitoring stations from 12 to 40.",
        ),
        "quotes": [
            ("indirect", "Glacier melt in the Andes accelerating faster than models predicted", ("study", "in", "predicted, study finds"), "finds"),
            ("indirect", "Glaciers in the central Andes are losing ice nearly twice as fast as they did in the 1990s", "a study", "according to"),
            ("indirect", "the ice lost each year had roughly doubled over that period, with the steepest losses at altitudes below 5,000 meters", ("They", "in", "They found"), "found"),
            ("direct", "“We expected a trend. We did not expect the curve to bend this sharply,”", ("Rojas", "in", "Rojas said in"), ("said", "in", "Rojas said in")),
            ("direct", "“Some of the smaller glaciers we measured as students simply do not exist anymore.”", ("Rojas", "in", "Rojas said in"), ("said", "in", "Rojas said in")),
            ("indirect", "cities such as La Paz and Lima, which rely on glacial meltwater during the dry season, could face serious shortages within two decades", ("Rojas", "in", "Rojas warned"), "warned"),
            ("mixed", "the data as “solid, even impressive”", "Glaciologist Martin Keller of ETH Zurich", "described"),
            ("indirect", "extrapolating a short record into the future", "Glaciologist Martin Keller of ETH Zurich", "cautioned"),
            ("direct", "“Twenty years is a blink for a glacier,”", ("he", "in", "glacier,” he said"), ("said", "in", "glacier,” he said")),
            ("direct", "“I would want to see another decade before calling this a new normal.”", ("he", "in", "glacier,” he said"), ("said", "in", "glacier,” he said")),
            ("indirect", "the physical mechanism was well understood: darker, dust-covered ice absorbs more sunlight and melts faster, which exposes yet more dark ice", ("Rojas", "in", "Rojas accepted"), ("said", "in", "but said the physical")),
            ("indirect", "governments have treated glaciers as permanent infrastructure", "Its final chapter", "argues"),
            ("indirect", "it would expand its network of glacier monitoring stations from 12 to 40", "Peru’s environment ministry", ("said", "in", "ministry said")),
        ],
        "ents": """
            LOC: Andes*2
            DATE: 1990s | Wednesday | between 2000 and 2023 | each year | two decades | Twenty years | another decade | a year | last month
            ORG: Nature Geoscience | University of Chile | ETH Zurich
            PERSON: Camila Rojas | Rojas*4 | Martin Keller
            CARDINAL: 38 | six | 12 | 40
            QUANTITY: 5,000 meters
            GPE: Santiago | La Paz | Lima | Peru
            NORP: Andean
            WORK_OF_ART: Rivers of Ice | What the Mountains Keep
        """,
    }
)


# ---------------------------------------------------------------- 05 foreign affairs: border deal (KYIV dateline)
ARTICLES.append(
    {
        "topic": "foreign affairs",
        "text": article(
            "Ukraine and Poland agree to reopen border crossing for grain trucks",
            "KYIV, Ukraine (Wire) — Ukraine and Poland agreed on Tuesday to reopen the Dorohusk border crossing to grain trucks after a three-week blockade by Polish farmers, officials in both countries said.",
            "Ukrainian Deputy Agriculture Minister Oksana Hrytsenko told reporters in Kyiv that the first convoy of about 200 trucks would cross on Thursday. She called the deal “a small but real step” and said Warsaw had shown “patient, adult diplomacy.”",
            "In Warsaw, Poland’s agriculture minister, Marek Zielinski, struck a more cautious tone. “This is not a blank check,” he said. “If the market is flooded again, the farmers will be back on the road, and I will be standing with them.”",
            "The agreement caps each month’s grain transit at 1.2 million tonnes and requires shipments to be sealed until they reach ports in Germany and Lithuania, according to a copy seen by Wire.",
            "Farmers’ leader Tadeusz Brzeski, whose group organised the blockade, said the limits were too generous and vowed to return to the crossing “within hours” if trucks were found unloading grain in Poland.",
            "The European Commission welcomed the deal. A spokesperson in Brussels said the bloc was ready to help pay for new inspection equipment at the border and urged both sides to avoid “unilateral steps.”",
            "Ukraine exported about 40 million tonnes of grain last season, most of it by sea through the so-called “Black Sea corridor,” which Ukrainian officials say has handled more ships this year than before the war.",
            "Hrytsenko said talks on a longer-term arrangement would resume in Lublin next week. Asked whether she was optimistic, she paused. “Ask me on Friday,” she said.",
        ),
        "quotes": [
            ("indirect", "Ukraine and Poland agreed on Tuesday to reopen the Dorohusk border crossing to grain trucks after a three-week blockade by Polish farmers", "officials in both countries", ("said", "in", "countries said")),
            ("indirect", "the first convoy of about 200 trucks would cross on Thursday", "Ukrainian Deputy Agriculture Minister Oksana Hrytsenko", "told"),
            ("mixed", "the deal “a small but real step”", ("She", "in", "She called"), ("called", "in", "She called")),
            ("mixed", "Warsaw had shown “patient, adult diplomacy.”", ("She", "in", "She called"), ("said", "in", "and said Warsaw")),
            ("direct", "“This is not a blank check,”", ("he", "in", "check,” he said"), ("said", "in", "check,” he said")),
            ("direct", "“If the market is flooded again, the farmers will be back on the road, and I will be standing with them.”", ("he", "in", "check,” he said"), ("said", "in", "check,” he said")),
            ("indirect", "The agreement caps each month’s grain transit at 1.2 million tonnes and requires shipments to be sealed until they reach ports in Germany and Lithuania", "a copy", "according to"),
            ("indirect", "the limits were too generous", "Farmers’ leader Tadeusz Brzeski", ("said", "in", "blockade, said the")),
            ("mixed", "to return to the crossing “within hours” if trucks were found unloading grain in Poland", "Farmers’ leader Tadeusz Brzeski", "vowed"),
            ("indirect", "the bloc was ready to help pay for new inspection equipment at the border", "A spokesperson in Brussels", ("said", "in", "Brussels said")),
            ("mixed", "both sides to avoid “unilateral steps.”", "A spokesperson in Brussels", "urged"),
            ("indirect", "has handled more ships this year than before the war", ("Ukrainian officials", "in", "which Ukrainian officials say"), "say"),
            ("indirect", "talks on a longer-term arrangement would resume in Lublin next week", ("Hrytsenko", "in", "Hrytsenko said talks"), ("said", "in", "Hrytsenko said talks")),
            ("direct", "“Ask me on Friday,”", ("she", "in", "Friday,” she said"), ("said", "in", "Friday,” she said")),
        ],
        "ents": """
            GPE: KYIV | Ukraine*4 | Poland*4 | Dorohusk | Kyiv | Warsaw*2 | Germany | Lithuania | Brussels | Lublin
            ORG: Wire*2 | European Commission
            NORP: Polish | Ukrainian*2
            DATE: Tuesday | three-week | Thursday | each month | last season | this year | next week | Friday
            PERSON: Oksana Hrytsenko | Hrytsenko*1 | Marek Zielinski | Tadeusz Brzeski
            ORDINAL: first
            CARDINAL: about 200
            QUANTITY: 1.2 million tonnes | about 40 million tonnes
            TIME: hours
            LOC: Black Sea
        """,
    }
)

# ---------------------------------------------------------------- 06 business: layoffs (continuation paragraph)
ARTICLES.append(
    {
        "topic": "business",
        "text": article(
            "Hollis Robotics cuts 800 jobs as warehouse orders slump",
            "SAN JOSE, Calif. — Hollis Robotics, the warehouse automation company, said on Wednesday it would cut about 800 jobs, or 12% of its workforce, after large retailers delayed orders for its picking robots.",
            "Chief executive Priya Natarajan told staff in a memo that the company had “hired for a world that did not arrive.” Shares of Hollis fell 9% in early trading.",
            "In an interview on Thursday, Natarajan said the decision was the hardest of her career. “I have spent six years telling these people that we were building something that would last,” she said. “I still believe that.",
            "“But I cannot pretend the orders are there when they are not, and I will not spend the company’s last dollar finding out.”",
            "Analysts were not surprised. “Everyone bought robots in 2021 and 2022 as if e-commerce would grow forever,” said Dana Whitford, an analyst at Crestline Securities. “Now they are digesting them.”",
            "Whitford estimated that the company had enough cash to last roughly two years at its current pace of spending, but warned that a second round of cuts was possible if orders did not recover by the end of the year.",
            "The company’s largest customer, the grocery chain FreshWay, declined to comment on its orders. A union representing workers at the Hollis plant in Fremont said it had not been consulted and called the layoffs “a betrayal of the people who built those machines.”",
            "Natarajan said affected employees would receive 16 weeks of pay and that the company would keep its research lab in Pittsburgh open. “We are smaller,” she said, “not finished.”",
        ),
        "quotes": [
            ("indirect", "it would cut about 800 jobs, or 12% of its workforce, after large retailers delayed orders for its picking robots", ("Hollis Robotics", 1), ("said", "in", "company, said on")),
            ("mixed", "the company had “hired for a world that did not arrive.”", "Chief executive Priya Natarajan", "told"),
            ("indirect", "the decision was the hardest of her career", ("Natarajan", "in", "Natarajan said the decision"), ("said", "in", "Natarajan said the decision")),
            ("direct", "“I have spent six years telling these people that we were building something that would last,”", ("she", "in", "last,” she said"), ("said", "in", "last,” she said")),
            ("direct", "“I still believe that.", ("she", "in", "last,” she said"), ("said", "in", "last,” she said")),
            ("direct", "“But I cannot pretend the orders are there when they are not, and I will not spend the company’s last dollar finding out.”", ("she", "in", "last,” she said"), ("said", "in", "last,” she said")),
            ("direct", "“Everyone bought robots in 2021 and 2022 as if e-commerce would grow forever,”", "Dana Whitford", ("said", "in", "said Dana")),
            ("direct", "“Now they are digesting them.”", "Dana Whitford", ("said", "in", "said Dana")),
            ("indirect", "the company had enough cash to last roughly two years at its current pace of spending", ("Whitford", "in", "Whitford estimated"), "estimated"),
            ("indirect", "a second round of cuts was possible if orders did not recover by the end of the year", ("Whitford", "in", "Whitford estimated"), "warned"),
            ("indirect", "it had not been consulted", "A union", ("said", "in", "Fremont said")),
            ("mixed", "the layoffs “a betrayal of the people who built those machines.”", "A union", "called"),
            ("indirect", "affected employees would receive 16 weeks of pay and that the company would keep its research lab in Pittsburgh open", ("Natarajan", "in", "Natarajan said affected"), ("said", "in", "Natarajan said affected")),
            ("direct", "“We are smaller,”", ("she", "in", "smaller,” she said"), ("said", "in", "smaller,” she said")),
            ("direct", "“not finished.”", ("she", "in", "smaller,” she said"), ("said", "in", "smaller,” she said")),
        ],
        "ents": """
            ORG: Hollis Robotics*2 | Hollis*2 | Crestline Securities | FreshWay
            CARDINAL: 800 ~ cuts 800 jobs | about 800
            GPE: SAN JOSE | Calif. | Fremont | Pittsburgh
            DATE: Wednesday | Thursday | six years | 2021 | 2022 | roughly two years | end of the year | 16 weeks
            PERCENT: 12% | 9%
            PERSON: Priya Natarajan | Natarajan*2 | Dana Whitford | Whitford*1
            ORDINAL: second
        """,
    }
)

# ---------------------------------------------------------------- 07 local: boil-water meeting (straight quotes)
ARTICLES.append(
    {
        "topic": "local",
        "text": article(
            "Residents demand answers after boil-water notice stretches into second week",
            "GREENFIELD, Ind. — More than 300 residents packed the Greenfield Middle School gymnasium on Monday, many carrying jugs of bottled water, to question city officials about a boil-water notice that has now lasted nine days.",
            "Utilities director Frank Dyson told the crowd that tests had found E. coli bacteria at two sampling points on the city’s north side and that crews were still searching for the source. He said the notice would stay in place until three consecutive days of clean samples.",
            '"I know this is frustrating," Dyson said. "It is frustrating for us too. My own kids are brushing their teeth with bottled water."',
            'That did little to calm the room. "Nine days!" shouted Carla Jimenez, who runs a day care on Fulton Street. "Nine days, and the first letter we got was on day four."',
            'Mayor Alan Whitaker interjected that the city had posted the notice online within hours. "We could have done better on the mailing," he conceded, "and we will."',
            'Several residents said they had not received any notice at all. Retired firefighter Joe Banks chimed in from the back row: "Half this street doesn’t have internet, Alan. You have to knock on doors."',
            "According to the Indiana Department of Environmental Management, the city’s water system failed a routine inspection in 2022 because of aging pipes in the same area. A spokeswoman for the agency said state inspectors were assisting the city and would review its notification procedures.",
            'Whitaker promised to send a printed update to every household by Wednesday. As the meeting ended, Jimenez lingered by the door. "I will believe it when I see it," she sighed.',
        ),
        "quotes": [
            ("indirect", "tests had found E. coli bacteria at two sampling points on the city’s north side and that crews were still searching for the source", "Utilities director Frank Dyson", "told"),
            ("indirect", "the notice would stay in place until three consecutive days of clean samples", ("He", "in", "He said the notice"), ("said", "in", "He said the notice")),
            ('direct', '"I know this is frustrating,"', ("Dyson", "in", "Dyson said"), ("said", "in", "Dyson said")),
            ('direct', '"It is frustrating for us too. My own kids are brushing their teeth with bottled water."', ("Dyson", "in", "Dyson said"), ("said", "in", "Dyson said")),
            ('direct', '"Nine days!"', "Carla Jimenez", "shouted"),
            ('direct', '"Nine days, and the first letter we got was on day four."', "Carla Jimenez", "shouted"),
            ("indirect", "the city had posted the notice online within hours", "Mayor Alan Whitaker", "interjected"),
            ('direct', '"We could have done better on the mailing,"', ("he", "in", 'mailing," he conceded'), "conceded"),
            ('direct', '"and we will."', ("he", "in", 'mailing," he conceded'), "conceded"),
            ("indirect", "they had not received any notice at all", "Several residents", ("said", "in", "residents said")),
            ('direct', '"Half this street doesn’t have internet, Alan. You have to knock on doors."', "Retired firefighter Joe Banks", "chimed in"),
            ("indirect", "the city’s water system failed a routine inspection in 2022 because of aging pipes in the same area", "the Indiana Department of Environmental Management", "According to"),
            ("indirect", "state inspectors were assisting the city and would review its notification procedures", "A spokeswoman for the agency", ("said", "in", "agency said")),
            ("indirect", "to send a printed update to every household by Wednesday", ("Whitaker", "in", "Whitaker promised"), "promised"),
            ('direct', '"I will believe it when I see it,"', ("she", "in", "she sighed"), "sighed"),
        ],
        "ents": """
            DATE: second week | Monday | nine days | three consecutive days | Nine days*2 | day four | 2022 | Wednesday
            GPE: GREENFIELD | Ind.
            ORG: Greenfield Middle School | Indiana Department of Environmental Management
            CARDINAL: More than 300 | two
            PERSON: Frank Dyson | Dyson*1 | Carla Jimenez | Jimenez*1 | Alan Whitaker | Whitaker*1 | Alan ~ internet, Alan | Joe Banks
            FAC: Fulton Street
            ORDINAL: first
            TIME: hours
        """,
    }
)

# ---------------------------------------------------------------- 08 culture: book prize (titles, gushed, boasted)
ARTICLES.append(
    {
        "topic": "culture",
        "text": article(
            "Debut novel by former nurse wins Harrow Prize",
            "LONDON — “Night Shift Lullaby,” the first novel by a former intensive-care nurse, won the Harrow Prize for fiction on Tuesday, beating five better-known writers for the £50,000 award.",
            "Its author, Grace Adeyemi, 41, worked for twelve years at a hospital in Leeds before taking a writing course during the pandemic. Accepting the prize, she said the book had begun as notes she scribbled in the staff room at four in the morning.",
            "“I wrote it for the people who hold the hand of a stranger at the worst moment of their life and then go home and make dinner,” Adeyemi said, her voice breaking. “This is theirs as much as mine.”",
            "The chair of the judges, the critic Simon Hale, gushed that the novel was “the most quietly devastating book I have read in a decade.” He said the panel had reached its decision unanimously in under an hour.",
            "Her publisher, the small Manchester press Kettle & Lamp, boasted that it had already ordered a fourth printing. Sales of the novel rose 600% overnight, according to the trade magazine Bookwire Weekly.",
            "Not everyone was pleased. The novelist Rupert Vane, whose “Winter in Lisbon” had been the bookmakers’ favourite, told The Sunday Ledger that prizes had become “a popularity contest for sad stories,” a remark he later said had been a joke.",
            "Adeyemi shrugged off the criticism. “Sad stories are most of what happens in a hospital,” she said. “Somebody should write them down.”",
            "A television adaptation of the novel is already in development, the author’s agent said, with filming expected to begin next spring.",
        ),
        "quotes": [
            ("indirect", "the book had begun as notes she scribbled in the staff room at four in the morning", ("she", "in", "prize, she said"), ("said", "in", "prize, she said")),
            ("direct", "“I wrote it for the people who hold the hand of a stranger at the worst moment of their life and then go home and make dinner,”", ("Adeyemi", "in", "Adeyemi said"), ("said", "in", "Adeyemi said")),
            ("direct", "“This is theirs as much as mine.”", ("Adeyemi", "in", "Adeyemi said"), ("said", "in", "Adeyemi said")),
            ("mixed", "the novel was “the most quietly devastating book I have read in a decade.”", "The chair of the judges", "gushed"),
            ("indirect", "the panel had reached its decision unanimously in under an hour", ("He", "in", "He said the panel"), ("said", "in", "He said the panel")),
            ("indirect", "it had already ordered a fourth printing", "Her publisher", "boasted"),
            ("indirect", "Sales of the novel rose 600% overnight", "the trade magazine Bookwire Weekly", "according to"),
            ("mixed", "prizes had become “a popularity contest for sad stories,”", "The novelist Rupert Vane", "told"),
            ("indirect", "had been a joke", ("he", "in", "he later said"), ("said", "in", "he later said")),
            ("direct", "“Sad stories are most of what happens in a hospital,”", ("she", "in", "hospital,” she said"), ("said", "in", "hospital,” she said")),
            ("direct", "“Somebody should write them down.”", ("she", "in", "hospital,” she said"), ("said", "in", "hospital,” she said")),
            ("indirect", "A television adaptation of the novel is already in development", "the author’s agent", ("said", "in", "agent said")),
        ],
        "ents": """
            WORK_OF_ART: Harrow Prize*2 | Night Shift Lullaby | Winter in Lisbon
            GPE: LONDON | Leeds | Manchester
            ORDINAL: first | fourth
            DATE: Tuesday | 41 | twelve years | a decade | next spring
            CARDINAL: five
            MONEY: £50,000
            PERSON: Grace Adeyemi | Adeyemi*2 | Simon Hale | Rupert Vane
            TIME: four in the morning | under an hour
            ORG: Kettle & Lamp | Bookwire Weekly | Sunday Ledger
            PERCENT: 600%
        """,
    }
)


# ---------------------------------------------------------------- 09 interview: climber profile (present tense, says)
ARTICLES.append(
    {
        "topic": "interview",
        "text": article(
            "Interview: Anita Rai on the climb that made her famous",
            "KATHMANDU, Nepal — Anita Rai does not look like a woman who has just climbed all 14 of the world’s highest mountains in a single year. She is small, soft-spoken and, on the morning we meet in a café near the old royal palace, mostly interested in her tea.",
            "“People expect a giant,” she says, laughing. “I was never the strongest climber on any team. I was the one who did not turn around.”",
            "Rai, 34, grew up in a village in the Solukhumbu district, where her father carried loads for trekking companies. She says she first reached a summit at 19, as a porter who was allowed to join the final push when a client fell ill.",
            "“Nobody had planned for me to go up,” she recalls. “I had borrowed boots, two sizes too big. I stuffed them with socks.”",
            "Her record, set last month when she came down from Shishapangma, has made her a celebrity at home. Nepal’s prime minister called her “the pride of the nation” on social media, and a Kathmandu newspaper has taken to calling her “the Snow Leopard,” a nickname she dislikes.",
            "Asked about the nickname, she wrinkles her nose. Leopards are solitary animals, she says. She has never climbed alone, and she insists that the sherpas and porters who fixed ropes for her deserve the same attention.",
            "Not everyone in the climbing world has been so admiring. Several veteran mountaineers have argued on forums that her fast pace, helped by helicopter transfers between base camps, cheapens the achievement. Rai shrugs. “The mountain does not know how you arrived at its foot,” she says.",
            "What next? She wants to open a climbing school for girls in Solukhumbu, she says, and she has already raised about $60,000 from donors in Britain and Japan. “Girls in my village carry loads up the mountain every day,” she says. “I want them to be paid to stand on top.”",
        ),
        "quotes": [
            ("direct", "“People expect a giant,”", ("she", "in", "giant,” she says"), ("says", "in", "giant,” she says")),
            ("direct", "“I was never the strongest climber on any team. I was the one who did not turn around.”", ("she", "in", "giant,” she says"), ("says", "in", "giant,” she says")),
            ("indirect", "she first reached a summit at 19, as a porter who was allowed to join the final push when a client fell ill", ("She", "in", "She says she first"), ("says", "in", "She says she first")),
            ("direct", "“Nobody had planned for me to go up,”", ("she", "in", "she recalls"), "recalls"),
            ("direct", "“I had borrowed boots, two sizes too big. I stuffed them with socks.”", ("she", "in", "she recalls"), "recalls"),
            ("mixed", "her “the pride of the nation”", "Nepal’s prime minister", "called"),
            ("indirect", "Leopards are solitary animals", ("she", "in", "animals, she says"), ("says", "in", "animals, she says")),
            ("indirect", "the sherpas and porters who fixed ropes for her deserve the same attention", ("she", "in", "and she insists"), "insists"),
            ("indirect", "her fast pace, helped by helicopter transfers between base camps, cheapens the achievement", "Several veteran mountaineers", "argued"),
            ("direct", "“The mountain does not know how you arrived at its foot,”", ("she", "in", "foot,” she says"), ("says", "in", "foot,” she says")),
            ("indirect", "She wants to open a climbing school for girls in Solukhumbu", ("she", "in", "Solukhumbu, she says"), ("says", "in", "Solukhumbu, she says")),
            ("direct", "“Girls in my village carry loads up the mountain every day,”", ("she", "in", "day,” she says"), ("says", "in", "day,” she says")),
            ("direct", "“I want them to be paid to stand on top.”", ("she", "in", "day,” she says"), ("says", "in", "day,” she says")),
        ],
        "ents": """
            PERSON: Anita Rai*2 | Rai*2
            GPE: KATHMANDU | Nepal*2 | Solukhumbu*2 | Kathmandu | Britain | Japan
            CARDINAL: 14 | two
            DATE: a single year | 34 | 19 | last month | every day
            TIME: morning
            LOC: Shishapangma
            MONEY: about $60,000
        """,
    }
)

# ---------------------------------------------------------------- 10 courts: duty to consult (wire, ruled / ordering)
ARTICLES.append(
    {
        "topic": "courts",
        "text": article(
            "Supreme Court sides with First Nation in dispute over lake dam",
            "OTTAWA (Wire) — The Supreme Court of Canada ruled on Friday that the province of Manitoba failed to properly consult the Pine Creek First Nation before approving a dam that flooded part of its reserve, ordering the province to reopen talks on compensation.",
            "Writing for a 7-2 majority, Justice Claire Fortin said the government’s duty to consult “is not a formality to be completed after the concrete has been poured.” She wrote that the province had presented the project as “a done deal” at every meeting with the community.",
            "Chief Marlene Cardinal, who led the community’s legal fight for 16 years, wept as she spoke to reporters on the courthouse steps. “My grandmother’s house is under that water,” she said. “Today the highest court in this country said that mattered.”",
            "Manitoba’s Indigenous relations minister, Greg Olafson, said the province accepted the decision and would “move quickly and in good faith” to restart negotiations. He declined to say how much the province expected to pay.",
            "The dam, completed in 2009, supplies electricity to about 40,000 homes. Manitoba Hydro, the provincial utility, said in a statement that the ruling would not affect its operations.",
            "In a dissent joined by one colleague, Justice Peter Lam argued that the majority had expanded the duty to consult beyond anything Parliament or earlier courts had contemplated. He noted that the lower courts had found the province held more than 30 meetings with the community.",
            "Legal scholars said the decision would be studied closely by provinces planning mines and pipelines on traditional lands. “This raises the bar,” said Professor Aisha Karim of the University of Ottawa. “Governments will have to show they listened, not just that they showed up.”",
        ),
        "quotes": [
            ("indirect", "the province of Manitoba failed to properly consult the Pine Creek First Nation before approving a dam that flooded part of its reserve", "The Supreme Court of Canada", "ruled"),
            ("indirect", "the province to reopen talks on compensation", "The Supreme Court of Canada", "ordering"),
            ("mixed", "the government’s duty to consult “is not a formality to be completed after the concrete has been poured.”", "Justice Claire Fortin", ("said", "in", "Fortin said")),
            ("mixed", "the province had presented the project as “a done deal” at every meeting with the community", ("She", "in", "She wrote"), "wrote"),
            ("direct", "“My grandmother’s house is under that water,”", ("she", "in", "water,” she said"), ("said", "in", "water,” she said")),
            ("direct", "“Today the highest court in this country said that mattered.”", ("she", "in", "water,” she said"), ("said", "in", "water,” she said")),
            ("mixed", "the province accepted the decision and would “move quickly and in good faith” to restart negotiations", "Manitoba’s Indigenous relations minister", ("said", "in", "Olafson, said")),
            ("indirect", "the ruling would not affect its operations", "Manitoba Hydro", ("said", "in", "utility, said")),
            ("indirect", "the majority had expanded the duty to consult beyond anything Parliament or earlier courts had contemplated", "Justice Peter Lam", "argued"),
            ("indirect", "the lower courts had found the province held more than 30 meetings with the community", ("He", "in", "He noted"), "noted"),
            ("indirect", "the decision would be studied closely by provinces planning mines and pipelines on traditional lands", "Legal scholars", ("said", "in", "scholars said")),
            ("direct", "“This raises the bar,”", "Professor Aisha Karim of the University of Ottawa", ("said", "in", "said Professor")),
            ("direct", "“Governments will have to show they listened, not just that they showed up.”", "Professor Aisha Karim of the University of Ottawa", ("said", "in", "said Professor")),
        ],
        "ents": """
            GPE: OTTAWA | Manitoba*2
            ORG: Wire | Supreme Court ~ Supreme Court sides | Supreme Court of Canada | Pine Creek First Nation | Manitoba Hydro | Parliament | University of Ottawa
            DATE: Friday | 16 years | Today | 2009
            CARDINAL: 7-2 | about 40,000 | one ~ by one colleague | more than 30
            PERSON: Claire Fortin | Marlene Cardinal | Greg Olafson | Peter Lam | Aisha Karim
            NORP: Indigenous
        """,
    }
)

# ---------------------------------------------------------------- 11 sports: tennis upset (adding that “…”)
ARTICLES.append(
    {
        "topic": "sports",
        "text": article(
            "Okafor stuns top seed to reach Melbourne semi-final",
            "MELBOURNE, Australia — Nigerian qualifier Tobi Okafor produced the biggest upset of the Australian Open on Wednesday, beating top seed Henrik Lindqvist of Sweden in four sets to reach the semi-finals in his first appearance at a Grand Slam.",
            "Okafor, ranked 142nd in the world, fell to his knees after Lindqvist’s final backhand sailed long. “I have watched him on television since I was ten years old,” he said in his on-court interview. “I asked him for a photo last year. Today I asked him for nothing.”",
            "Lindqvist, the world’s top-ranked player, was gracious in defeat. He told reporters that Okafor had served “like a man with nothing to lose” and predicted that the 22-year-old would be in the top 20 within a year.",
            "“He played better than me on the big points. That is the whole story,” Lindqvist said. “I am not going to cry about it. Well, maybe a little, tonight.”",
            "The match lasted three hours and 41 minutes and finished just before midnight, when the temperature on court was still above 30 degrees Celsius.",
            "Okafor’s coach, the former Davis Cup player Emeka Nwosu, said his player had trained for the heat by running on a treadmill in a sauna in Lagos. “People laughed at us,” he said, adding that “nobody is laughing now.”",
            "Tennis Australia said ticket sales for Friday’s semi-final had doubled overnight. Okafor will face Argentina’s Mateo Ruiz, who needed five sets to beat Kenji Watanabe of Japan.",
            "Asked how he would prepare, Okafor grinned. “Sleep,” he said. “And maybe call my mother, who told me this morning that I was going to win.”",
        ),
        "quotes": [
            ("direct", "“I have watched him on television since I was ten years old,”", ("he", "in", "old,” he said"), ("said", "in", "old,” he said")),
            ("direct", "“I asked him for a photo last year. Today I asked him for nothing.”", ("he", "in", "old,” he said"), ("said", "in", "old,” he said")),
            ("mixed", "Okafor had served “like a man with nothing to lose”", ("He", "in", "He told reporters"), ("told", "in", "He told reporters")),
            ("indirect", "the 22-year-old would be in the top 20 within a year", ("He", "in", "He told reporters"), "predicted"),
            ("direct", "“He played better than me on the big points. That is the whole story,”", ("Lindqvist", "in", "Lindqvist said"), ("said", "in", "Lindqvist said")),
            ("direct", "“I am not going to cry about it. Well, maybe a little, tonight.”", ("Lindqvist", "in", "Lindqvist said"), ("said", "in", "Lindqvist said")),
            ("indirect", "his player had trained for the heat by running on a treadmill in a sauna in Lagos", "Okafor’s coach", ("said", "in", "Nwosu, said")),
            ("direct", "“People laughed at us,”", ("he", "in", "us,” he said"), ("said", "in", "us,” he said")),
            ("direct", "“nobody is laughing now.”", ("he", "in", "us,” he said"), "adding"),
            ("indirect", "ticket sales for Friday’s semi-final had doubled overnight", "Tennis Australia", ("said", "in", "Australia said")),
            ("direct", "“Sleep,”", ("he", "in", "“Sleep,” he said"), ("said", "in", "“Sleep,” he said")),
            ("direct", "“And maybe call my mother, who told me this morning that I was going to win.”", ("he", "in", "“Sleep,” he said"), ("said", "in", "“Sleep,” he said")),
        ],
        "ents": """
            PERSON: Okafor*6 | Tobi Okafor | Henrik Lindqvist | Lindqvist*3 | Emeka Nwosu | Mateo Ruiz | Kenji Watanabe
            GPE: Melbourne | MELBOURNE | Australia*1 | Sweden | Lagos | Argentina | Japan
            NORP: Nigerian
            EVENT: Australian Open | Grand Slam | Davis Cup
            DATE: Wednesday | ten years old | last year | Today | 22-year-old | a year | Friday
            CARDINAL: four | 20 | five
            ORDINAL: first | 142nd
            TIME: tonight | three hours and 41 minutes | midnight | this morning
            QUANTITY: above 30 degrees Celsius
            ORG: Tennis Australia
        """,
    }
)

# ---------------------------------------------------------------- 12 science: migraine trial (according to, lamented)
ARTICLES.append(
    {
        "topic": "science",
        "text": article(
            "Experimental pill sharply cuts migraine days in large trial",
            "An experimental daily pill reduced the number of migraine days by about half in a trial of more than 1,200 patients, its developer, the Danish drugmaker Norvik Pharma, said on Monday.",
            "Patients taking the drug, known for now as NV-118, had an average of 4.1 migraine days a month after 12 weeks, down from 8.3 before treatment, according to results presented at a neurology conference in Vienna. Those given a placebo fell to 6.9.",
            "“For the first time we have a preventive treatment that patients may actually want to take every day,” said Dr. Lena Holm, a neurologist at Copenhagen University Hospital who led the trial. “The side effects were mild, mostly nausea in the first week.”",
            "Holm said about 5% of patients stopped taking the pill because of side effects, compared with 3% on placebo.",
            "Independent experts were impressed but cautious. Professor Daniel Ortiz of King’s College London noted that the trial lasted only three months and said longer studies were needed to rule out liver problems, which have derailed similar drugs in the past.",
            "“We have been here before,” Ortiz lamented. “Two promising drugs in this class looked wonderful at this stage and were abandoned.”",
            "Norvik’s chief executive, Jens Aagaard, told analysts on a conference call that the company planned to apply for approval in Europe and the United States next year and expected the pill to be priced “in line with existing preventive treatments.” Norvik shares rose 14% in Copenhagen.",
            "Migraine affects roughly one billion people worldwide and is a leading cause of disability among young adults, according to the World Health Organization.",
        ),
        "quotes": [
            ("indirect", "An experimental daily pill reduced the number of migraine days by about half in a trial of more than 1,200 patients", "its developer", ("said", "in", "Pharma, said")),
            ("indirect", "Patients taking the drug, known for now as NV-118, had an average of 4.1 migraine days a month after 12 weeks, down from 8.3 before treatment", "results", ("according to", "in", "according to results")),
            ("direct", "“For the first time we have a preventive treatment that patients may actually want to take every day,”", "Dr. Lena Holm", ("said", "in", "said Dr.")),
            ("direct", "“The side effects were mild, mostly nausea in the first week.”", "Dr. Lena Holm", ("said", "in", "said Dr.")),
            ("indirect", "about 5% of patients stopped taking the pill because of side effects, compared with 3% on placebo", ("Holm", "in", "Holm said about"), ("said", "in", "Holm said about")),
            ("indirect", "the trial lasted only three months", "Professor Daniel Ortiz of King’s College London", "noted"),
            ("indirect", "longer studies were needed to rule out liver problems, which have derailed similar drugs in the past", "Professor Daniel Ortiz of King’s College London", ("said", "in", "and said longer")),
            ("direct", "“We have been here before,”", ("Ortiz", "in", "Ortiz lamented"), "lamented"),
            ("direct", "“Two promising drugs in this class looked wonderful at this stage and were abandoned.”", ("Ortiz", "in", "Ortiz lamented"), "lamented"),
            ("mixed", "the company planned to apply for approval in Europe and the United States next year and expected the pill to be priced “in line with existing preventive treatments.”", "Norvik’s chief executive", "told"),
            ("indirect", "Migraine affects roughly one billion people worldwide and is a leading cause of disability among young adults", "the World Health Organization", ("according to", "in", "according to the World")),
        ],
        "ents": """
            CARDINAL: about half | more than 1,200 | 4.1 | 8.3 | 6.9 | Two | roughly one billion
            NORP: Danish
            ORG: Norvik Pharma | Norvik*2 | Copenhagen University Hospital | King’s College London | World Health Organization
            DATE: Monday | 12 weeks | every day | first week | three months | next year
            PRODUCT: NV-118
            GPE: Vienna | Copenhagen*1 | United States
            ORDINAL: first ~ the first time
            PERSON: Lena Holm | Holm*1 | Daniel Ortiz | Ortiz*1 | Jens Aagaard
            PERCENT: about 5% | 3% | 14%
            LOC: Europe
        """,
    }
)


# ---------------------------------------------------------------- 13 politics: Portuguese election (declared X Y)
ARTICLES.append(
    {
        "topic": "politics",
        "text": article(
            "Centre-left wins Portuguese election but falls short of majority",
            "LISBON, Portugal (Wire) — Portugal’s centre-left Socialist Party won Sunday’s snap election with about 34% of the vote but fell well short of a parliamentary majority, according to near-complete official results released early Monday.",
            "Party leader Inês Carvalho, a 47-year-old former finance minister, told cheering supporters in central Lisbon that voters had chosen “stability over anger.” She said she would begin talks with smaller parties on Tuesday.",
            "“The Portuguese people have given us a mandate to govern, not a blank cheque,” Carvalho said. “We will earn every vote in parliament, law by law.”",
            "The biggest gains went to the populist Renew party, which nearly doubled its share to 19%. Its leader, André Moutinho, declared the result “the end of the two-party system” and warned that his party would not support any government that did not cut fuel taxes.",
            "The centre-right Democratic Alliance, which had governed for the past two years, came second with 28%. Outgoing Prime Minister Rui Pacheco spoke to reporters shortly after midnight. “The voters have spoken, and I respect their decision,” he said, adding that he would remain as party leader “for now.”",
            "Turnout was 61%, the highest in a decade, the national electoral commission said. Analysts said the rise reflected anger among younger voters over housing costs in Lisbon and Porto.",
            "“Housing decided this election,” said Marta Leal, a political scientist at the University of Coimbra. “Whoever builds a coalition will have about six months to show results before the same voters lose patience.”",
            "Under the constitution, President Joaquim Serra must now invite a party leader to form a government. His office said he would meet all party leaders by the end of the week.",
        ),
        "quotes": [
            ("indirect", "Portugal’s centre-left Socialist Party won Sunday’s snap election with about 34% of the vote but fell well short of a parliamentary majority", "near-complete official results", "according to"),
            ("mixed", "voters had chosen “stability over anger.”", "Party leader Inês Carvalho", "told"),
            ("indirect", "she would begin talks with smaller parties on Tuesday", ("She", "in", "She said she would"), ("said", "in", "She said she would")),
            ("direct", "“The Portuguese people have given us a mandate to govern, not a blank cheque,”", ("Carvalho", "in", "Carvalho said"), ("said", "in", "Carvalho said")),
            ("direct", "“We will earn every vote in parliament, law by law.”", ("Carvalho", "in", "Carvalho said"), ("said", "in", "Carvalho said")),
            ("mixed", "the result “the end of the two-party system”", "Its leader", "declared"),
            ("indirect", "his party would not support any government that did not cut fuel taxes", "Its leader", "warned"),
            ("direct", "“The voters have spoken, and I respect their decision,”", ("he", "in", "decision,” he said"), ("said", "in", "decision,” he said")),
            ("mixed", "he would remain as party leader “for now.”", ("he", "in", "decision,” he said"), "adding"),
            ("indirect", "Turnout was 61%, the highest in a decade", "the national electoral commission", ("said", "in", "commission said")),
            ("indirect", "the rise reflected anger among younger voters over housing costs in Lisbon and Porto", "Analysts", ("said", "in", "Analysts said")),
            ("direct", "“Housing decided this election,”", "Marta Leal", ("said", "in", "said Marta")),
            ("direct", "“Whoever builds a coalition will have about six months to show results before the same voters lose patience.”", "Marta Leal", ("said", "in", "said Marta")),
            ("indirect", "he would meet all party leaders by the end of the week", "His office", ("said", "in", "office said")),
        ],
        "ents": """
            NORP: Portuguese*2
            GPE: LISBON | Portugal*2 | Lisbon*2 | Porto
            ORG: Wire | Socialist Party | Renew | Democratic Alliance | University of Coimbra
            DATE: Sunday | early Monday | Tuesday | 47-year-old | past two years | a decade | about six months | end of the week
            PERCENT: about 34% | 19% | 28% | 61%
            PERSON: Inês Carvalho | Carvalho*1 | André Moutinho | Rui Pacheco | Marta Leal | Joaquim Serra
            CARDINAL: two ~ the two-party
            ORDINAL: second
            TIME: midnight
        """,
    }
)

# ---------------------------------------------------------------- 14 business: central bank (signalled, interjected)
ARTICLES.append(
    {
        "topic": "business",
        "text": article(
            "Central bank holds rates, signals cut possible in autumn",
            "FRANKFURT (Wire) — The European Central Bank left its main interest rate unchanged at 3.25% on Thursday but signalled that it could begin cutting borrowing costs in the autumn if inflation continued to ease.",
            "ECB President Sofia Lindgren told a news conference that price pressures were “clearly fading” but that the bank needed to see more data on wages before acting. “We are not there yet,” she said. “But we can see the path.”",
            "Inflation in the 20 countries that use the euro fell to 2.6% in May, down from a peak of more than 10% in late 2022, according to Eurostat, the European Union’s statistics agency.",
            "Lindgren repeatedly declined to commit to a date. Asked whether September was realistic, she interjected before the question was finished: “I know what you want me to say, and I am not going to say it.”",
            "Several members of the bank’s governing council have pushed for an earlier move. Bank of Italy governor Paolo Ferri said last week that keeping rates high for too long risked “choking off” a fragile recovery.",
            "Others urge patience. Germany’s Bundesbank has argued that wage growth of more than 4% a year is incompatible with the bank’s 2% target.",
            "Markets took the message calmly. The euro was little changed against the dollar, and bond yields edged lower. “She gave them just enough,” said Tomas Berg, chief economist at Nordhavn Bank in Copenhagen. “A door left half open is still a door.”",
            "Lindgren reiterated that the decision in September would depend on the bank’s new forecasts. “Data, not dates,” she said, a phrase she has now used at three consecutive meetings.",
        ),
        "quotes": [
            ("indirect", "cut possible in autumn", "Central bank", "signals"),
            ("indirect", "it could begin cutting borrowing costs in the autumn if inflation continued to ease", "The European Central Bank", "signalled"),
            ("mixed", "price pressures were “clearly fading” but that the bank needed to see more data on wages before acting", "ECB President Sofia Lindgren", "told"),
            ("direct", "“We are not there yet,”", ("she", "in", "yet,” she said"), ("said", "in", "yet,” she said")),
            ("direct", "“But we can see the path.”", ("she", "in", "yet,” she said"), ("said", "in", "yet,” she said")),
            ("indirect", "Inflation in the 20 countries that use the euro fell to 2.6% in May, down from a peak of more than 10% in late 2022", "Eurostat", "according to"),
            ("direct", "“I know what you want me to say, and I am not going to say it.”", ("she", "in", "she interjected"), "interjected"),
            ("mixed", "keeping rates high for too long risked “choking off” a fragile recovery", "Bank of Italy governor Paolo Ferri", ("said", "in", "Ferri said")),
            ("indirect", "wage growth of more than 4% a year is incompatible with the bank’s 2% target", "Germany’s Bundesbank", "argued"),
            ("direct", "“She gave them just enough,”", "Tomas Berg", ("said", "in", "said Tomas")),
            ("direct", "“A door left half open is still a door.”", "Tomas Berg", ("said", "in", "said Tomas")),
            ("indirect", "the decision in September would depend on the bank’s new forecasts", ("Lindgren", "in", "Lindgren reiterated"), "reiterated"),
            ("direct", "“Data, not dates,”", ("she", "in", "dates,” she said"), ("said", "in", "dates,” she said")),
        ],
        "ents": """
            DATE: autumn*2 | Thursday | May | late 2022 | September*2 | last week
            GPE: FRANKFURT | Germany | Copenhagen
            ORG: Wire | European Central Bank | ECB | Eurostat | European Union | Bank of Italy | Bundesbank | Nordhavn Bank
            PERCENT: 3.25% | 2.6% | more than 10% | more than 4% | 2%
            PERSON: Sofia Lindgren | Lindgren*2 | Paolo Ferri | Tomas Berg
            CARDINAL: 20 | three
        """,
    }
)

# ---------------------------------------------------------------- 15 foreign affairs: regional summit (relative-clause cue, anonymous sources)
ARTICLES.append(
    {
        "topic": "foreign affairs",
        "text": article(
            "Southeast Asian leaders split over response to South China Sea clash",
            "JAKARTA, Indonesia — Southeast Asian leaders ended a two-day summit on Friday without agreeing on a joint statement about last week’s collision between Chinese and Philippine coast guard ships, diplomats said, exposing deep divisions within the regional bloc.",
            "The Philippines had pushed for language condemning what its foreign minister, Ramon Villanueva, called “dangerous and unlawful manoeuvres” by Chinese vessels near Second Thomas Shoal. Several members with close economic ties to Beijing objected, according to two diplomats who attended the closed-door sessions and spoke on condition of anonymity.",
            "Villanueva did not hide his frustration. “If we cannot agree that ramming a ship is wrong, what exactly can we agree on?” he said at a news conference. He added that Manila would raise the incident at the United Nations.",
            "Indonesian President Budi Santoso, the summit’s host, played down the dispute. He said the bloc remained united on “the big picture” and that differences over wording should not be exaggerated.",
            "“Family members argue about words. They are still family,” Santoso told reporters.",
            "China’s foreign ministry, responding to questions in Beijing, said the Philippine vessel had “deliberately provoked” the incident and urged Manila to stop “stirring up trouble” in the region.",
            "The summit did produce agreements on electricity trading and disaster relief, including a plan to link national power grids by 2035. Officials said the grid plan could cut the region’s energy costs by as much as 8%.",
            "The next summit is due to be held in Vientiane in October.",
        ),
        "quotes": [
            ("indirect", "Southeast Asian leaders ended a two-day summit on Friday without agreeing on a joint statement about last week’s collision between Chinese and Philippine coast guard ships", ("diplomats", "in", "diplomats said"), ("said", "in", "diplomats said")),
            ("direct", "“dangerous and unlawful manoeuvres”", "its foreign minister", "called"),
            ("indirect", "Several members with close economic ties to Beijing objected", "two diplomats", "according to"),
            ("direct", "“If we cannot agree that ramming a ship is wrong, what exactly can we agree on?”", ("he", "in", "on?” he said"), ("said", "in", "on?” he said")),
            ("indirect", "Manila would raise the incident at the United Nations", ("He", "in", "He added"), "added"),
            ("mixed", "the bloc remained united on “the big picture” and that differences over wording should not be exaggerated", ("He", "in", "He said the bloc"), ("said", "in", "He said the bloc")),
            ("direct", "“Family members argue about words. They are still family,”", ("Santoso", "in", "Santoso told"), "told"),
            ("mixed", "the Philippine vessel had “deliberately provoked” the incident", "China’s foreign ministry", ("said", "in", "Beijing, said")),
            ("mixed", "Manila to stop “stirring up trouble” in the region", "China’s foreign ministry", "urged"),
            ("indirect", "the grid plan could cut the region’s energy costs by as much as 8%", "Officials", ("said", "in", "Officials said")),
        ],
        "ents": """
            NORP: Southeast Asian*2 | Chinese*2 | Philippine*2 | Indonesian
            LOC: South China Sea | Second Thomas Shoal
            GPE: JAKARTA | Indonesia | Philippines | Beijing*2 | Manila*2 | China*1 | Vientiane
            DATE: two-day | Friday | last week | 2035 | October
            PERSON: Ramon Villanueva | Villanueva*1 | Budi Santoso | Santoso*1
            CARDINAL: two ~ to two diplomats
            ORG: United Nations
            PERCENT: as much as 8%
        """,
    }
)

# ---------------------------------------------------------------- 16 local: house fire rescue (insisted, wrote)
ARTICLES.append(
    {
        "topic": "local",
        "text": article(
            "Neighbours pull children from burning house in Riverside",
            "RIVERSIDE, Calif. — Two neighbours pulled three children from a burning house early Saturday before firefighters arrived, according to the Riverside Fire Department.",
            "The fire broke out around 2:30 a.m. in the kitchen of a single-storey home on Magnolia Avenue, Battalion Chief Renee Castillo said. The children, the youngest of them four years old, were treated for smoke inhalation and released from hospital on Sunday. Their mother, who was working a night shift, was not home.",
            "Marcus Reed, 29, said he was woken by the smell of smoke and ran outside to see flames in the kitchen window. He kicked in the back door with another neighbour, Luis Ortega.",
            "“I could hear the little one crying but I couldn’t see anything,” Reed said. “Luis had his phone light on, and we just followed the sound.”",
            "Ortega, a delivery driver, was more modest. “Anybody on this street would have done the same,” he insisted. “Marcus went in first. I just held the door.”",
            "Castillo said the two men had taken a serious risk and urged residents not to enter burning buildings, but she praised their quick thinking. “They were very brave and very lucky,” she said. “Those are not the same thing.”",
            "Investigators believe the fire was caused by a pan left on a stove, according to a post on the department’s Facebook page. A fundraising page set up by neighbours had raised more than $18,000 by Monday.",
            "The children’s mother, Keisha Dawson, said in a brief statement that she could never thank the two men enough. “My babies are alive because of them,” she wrote.",
        ),
        "quotes": [
            ("indirect", "Two neighbours pulled three children from a burning house early Saturday before firefighters arrived", "the Riverside Fire Department", ("according to", "in", "according to the Riverside")),
            ("indirect", "The fire broke out around 2:30 a.m. in the kitchen of a single-storey home on Magnolia Avenue", "Battalion Chief Renee Castillo", ("said", "in", "Castillo said.")),
            ("indirect", "he was woken by the smell of smoke and ran outside to see flames in the kitchen window", "Marcus Reed", ("said", "in", "29, said")),
            ("direct", "“I could hear the little one crying but I couldn’t see anything,”", ("Reed", "in", "Reed said"), ("said", "in", "Reed said")),
            ("direct", "“Luis had his phone light on, and we just followed the sound.”", ("Reed", "in", "Reed said"), ("said", "in", "Reed said")),
            ("direct", "“Anybody on this street would have done the same,”", ("he", "in", "he insisted"), "insisted"),
            ("direct", "“Marcus went in first. I just held the door.”", ("he", "in", "he insisted"), "insisted"),
            ("indirect", "the two men had taken a serious risk", ("Castillo", "in", "Castillo said the two"), ("said", "in", "Castillo said the two")),
            ("indirect", "residents not to enter burning buildings", ("Castillo", "in", "Castillo said the two"), "urged"),
            ("direct", "“They were very brave and very lucky,”", ("she", "in", "lucky,” she said"), ("said", "in", "lucky,” she said")),
            ("direct", "“Those are not the same thing.”", ("she", "in", "lucky,” she said"), ("said", "in", "lucky,” she said")),
            ("indirect", "Investigators believe the fire was caused by a pan left on a stove", "a post", ("according to", "in", "according to a post")),
            ("indirect", "she could never thank the two men enough", "The children’s mother", ("said", "in", "Dawson, said")),
            ("direct", "“My babies are alive because of them,”", ("she", "in", "she wrote"), "wrote"),
        ],
        "ents": """
            GPE: RIVERSIDE | Calif. | Riverside*1
            ORG: Riverside Fire Department | Facebook
            CARDINAL: Two | three | two*2
            DATE: early Saturday | four years old | Sunday | 29 | Monday
            TIME: around 2:30 a.m.
            FAC: Magnolia Avenue
            PERSON: Renee Castillo | Castillo*1 | Marcus Reed | Reed*1 | Luis Ortega | Ortega*1 | Luis ~ “Luis had | Marcus ~ “Marcus went | Keisha Dawson
            ORDINAL: first
            MONEY: more than $18,000
        """,
    }
)


# ---------------------------------------------------------------- 17 culture: bronzes returned (implored, fumed, title)
ARTICLES.append(
    {
        "topic": "culture",
        "text": article(
            "Museum agrees to return bronze sculptures to Nigeria",
            "BERLIN — The Ethnological Museum of Berlin will return 21 bronze sculptures taken from the Kingdom of Benin in 1897, its director announced on Wednesday, ending a decade-long dispute with Nigerian authorities.",
            "Director Helga Brandt said the museum had concluded, after two years of research with Nigerian historians, that the objects had been looted during a British military expedition and could not be kept “in good conscience.”",
            "“These are not our objects. They never were,” Brandt said at a ceremony attended by Nigeria’s culture minister. “The only question was how long we would keep pretending otherwise.”",
            "The minister, Adaeze Okonkwo-Bello, thanked the museum but implored other European institutions to follow its example. She said at least 3,000 objects from Benin were still held in collections in Britain, France and the United States.",
            "“Our grandchildren should not need a visa to see their own history,” Okonkwo-Bello said.",
            "The sculptures will go on display next year at a new museum in Benin City, the capital of Edo State. Not everyone in Germany has welcomed the decision. The conservative lawmaker Dieter Voss fumed on social media that the museum was “emptying its shelves to win applause” and called the handover “a dangerous precedent.”",
            "Brandt dismissed the criticism. Museums are not warehouses, she said. The museum will keep replicas made with Nigerian craftsmen, and a joint exhibition is planned for 2027 under the title “Return Journey.”",
            "The handover follows similar agreements by museums in London and Amsterdam, though the British Museum has said that a 1963 law prevents it from permanently giving up any part of its collection.",
        ),
        "quotes": [
            ("indirect", "The Ethnological Museum of Berlin will return 21 bronze sculptures taken from the Kingdom of Benin in 1897", "its director", "announced"),
            ("mixed", "the museum had concluded, after two years of research with Nigerian historians, that the objects had been looted during a British military expedition and could not be kept “in good conscience.”", "Director Helga Brandt", ("said", "in", "Brandt said the museum")),
            ("direct", "“These are not our objects. They never were,”", ("Brandt", "in", "Brandt said at"), ("said", "in", "Brandt said at")),
            ("direct", "“The only question was how long we would keep pretending otherwise.”", ("Brandt", "in", "Brandt said at"), ("said", "in", "Brandt said at")),
            ("indirect", "other European institutions to follow its example", "The minister", "implored"),
            ("indirect", "at least 3,000 objects from Benin were still held in collections in Britain, France and the United States", ("She", "in", "She said at least"), ("said", "in", "She said at least")),
            ("direct", "“Our grandchildren should not need a visa to see their own history,”", ("Okonkwo-Bello", "in", "Okonkwo-Bello said"), ("said", "in", "Okonkwo-Bello said")),
            ("mixed", "the museum was “emptying its shelves to win applause”", "The conservative lawmaker Dieter Voss", "fumed"),
            ("mixed", "the handover “a dangerous precedent.”", "The conservative lawmaker Dieter Voss", "called"),
            ("indirect", "Museums are not warehouses", ("she", "in", "warehouses, she said"), ("said", "in", "warehouses, she said")),
            ("indirect", "a 1963 law prevents it from permanently giving up any part of its collection", "the British Museum", ("said", "in", "has said that a 1963")),
        ],
        "ents": """
            GPE: Nigeria*2 | BERLIN | Kingdom of Benin | Benin*1 | Britain | France | United States | Benin City | Edo State | Germany | London | Amsterdam
            ORG: Ethnological Museum of Berlin | British Museum
            CARDINAL: 21 | at least 3,000
            DATE: 1897 | Wednesday | decade-long | two years | next year | 2027 | 1963
            NORP: Nigerian*3 | British*1 | European
            PERSON: Helga Brandt | Brandt*2 | Adaeze Okonkwo-Bello | Okonkwo-Bello*1 | Dieter Voss
            WORK_OF_ART: Return Journey
        """,
    }
)

# ---------------------------------------------------------------- 18 sports: marathon (all-caps dateline, nickname, joked)
ARTICLES.append(
    {
        "topic": "sports",
        "text": article(
            "Kenyan Wanjiru breaks course record in Boston",
            "BOSTON (Wire) — Kenya’s Grace Wanjiru broke the Boston Marathon course record on Monday, finishing in 2 hours, 17 minutes and 48 seconds in cool, windless conditions that had runners talking about fast times all week.",
            "Wanjiru, 27, who trains in the highland town of Iten, pulled away from Ethiopia’s Tigist Bekele on the Newton hills and won by more than a minute. Afterwards she described the race as “just another long run with more people watching.”",
            "“I did not look at the watch once,” she told reporters. “My coach told me to run by feel, so I ran by feel. When I saw the clock at the finish, I thought it was broken.”",
            "Her coach, the Italian Renato Sala, said he had expected a fast time but not a record. He called Wanjiru “the most disciplined athlete I have coached in thirty years.”",
            "In the men’s race, American Josh Tillman finished third, the best result by a U.S. man in Boston since 2014. The crowd along Boylston Street chanted his nickname, “Tilly,” as he crossed the line.",
            "“Hearing that was the best part of my life, and I include my wedding,” Tillman joked. His wife, watching from the grandstand, later told a local television station that she would “let it slide this once.”",
            "Race organisers said about 30,000 runners had started the race and that medical tents treated fewer patients than in recent years. The Boston Athletic Association chief executive, Mary Koenig, credited the weather. “We ordered this,” she said, “and for once someone delivered.”",
        ),
        "quotes": [
            ("mixed", "the race as “just another long run with more people watching.”", ("she", "in", "Afterwards she described"), "described"),
            ("direct", "“I did not look at the watch once,”", ("she", "in", "once,” she told"), ("told", "in", "once,” she told")),
            ("direct", "“My coach told me to run by feel, so I ran by feel. When I saw the clock at the finish, I thought it was broken.”", ("she", "in", "once,” she told"), ("told", "in", "once,” she told")),
            ("indirect", "he had expected a fast time but not a record", "Her coach", ("said", "in", "Sala, said")),
            ("mixed", "Wanjiru “the most disciplined athlete I have coached in thirty years.”", ("He", "in", "He called"), "called"),
            ("direct", "“Hearing that was the best part of my life, and I include my wedding,”", ("Tillman", "in", "Tillman joked"), "joked"),
            ("mixed", "she would “let it slide this once.”", "His wife", ("told", "in", "later told")),
            ("indirect", "about 30,000 runners had started the race and that medical tents treated fewer patients than in recent years", "Race organisers", ("said", "in", "organisers said")),
            ("direct", "“We ordered this,”", ("she", "in", "this,” she said"), ("said", "in", "this,” she said")),
            ("direct", "“and for once someone delivered.”", ("she", "in", "this,” she said"), ("said", "in", "this,” she said")),
        ],
        "ents": """
            NORP: Kenyan | Italian | American
            PERSON: Wanjiru*3 | Grace Wanjiru | Tigist Bekele | Renato Sala | Josh Tillman | Tillman*1 | Mary Koenig
            GPE: Boston*2 | BOSTON | Kenya | Iten | Ethiopia | Newton | U.S.
            ORG: Wire | Boston Athletic Association
            EVENT: Boston Marathon
            DATE: Monday | all week | 27 | thirty years | 2014 | recent years
            TIME: 2 hours, 17 minutes and 48 seconds | more than a minute
            ORDINAL: third
            FAC: Boylston Street
            CARDINAL: about 30,000
        """,
    }
)

# ---------------------------------------------------------------- 19 courts: bribery sentencing (ordered, according to court documents)
ARTICLES.append(
    {
        "topic": "courts",
        "text": article(
            "Former mayor sentenced to four years for bribery",
            "NEWARK, N.J. — A former mayor of Bayside was sentenced on Thursday to four years in federal prison for accepting more than $250,000 in bribes from developers seeking city contracts.",
            "Raymond Kessler, 63, who led the shore town for more than a decade, pleaded guilty in March to one count of honest-services fraud. According to court documents, he took cash, a used boat and kitchen renovations in exchange for steering contracts worth about $4 million to two companies.",
            "Before the sentence was read, Kessler stood and addressed the court. “I betrayed the people who trusted me,” he said, his voice barely audible. “I have no excuse. I only ask that my family not be punished for what I did.”",
            "U.S. District Judge Maria Santangelo told Kessler that his apology appeared sincere but that the damage to public trust in Bayside would “take a generation to repair.” She also ordered him to forfeit $265,000.",
            "Prosecutors had sought six years. In a sentencing memo, they argued that Kessler had “treated City Hall as a personal business” and had lied to investigators when questioned in 2021.",
            "His lawyer, Anthony Grasso, said Kessler would report to prison in January and would not appeal. “He has accepted responsibility from day one,” Grasso said outside the courthouse.",
            "Residents who attended the hearing were less forgiving. Donna Pirelli, who owns a bakery on Ocean Avenue, said the town had paid for Kessler’s boat “twice — once in bribes and once in higher taxes.”",
            "Two developers charged in the case are due to stand trial in the spring. Both have pleaded not guilty.",
        ),
        "quotes": [
            ("indirect", "he took cash, a used boat and kitchen renovations in exchange for steering contracts worth about $4 million to two companies", "court documents", "According to"),
            ("direct", "“I betrayed the people who trusted me,”", ("he", "in", "me,” he said"), ("said", "in", "me,” he said")),
            ("direct", "“I have no excuse. I only ask that my family not be punished for what I did.”", ("he", "in", "me,” he said"), ("said", "in", "me,” he said")),
            ("mixed", "his apology appeared sincere but that the damage to public trust in Bayside would “take a generation to repair.”", "U.S. District Judge Maria Santangelo", "told"),
            ("indirect", "him to forfeit $265,000", ("She", "in", "She also ordered"), "ordered"),
            ("mixed", "Kessler had “treated City Hall as a personal business” and had lied to investigators when questioned in 2021", ("they", "in", "they argued"), "argued"),
            ("indirect", "Kessler would report to prison in January and would not appeal", "His lawyer", ("said", "in", "Grasso, said")),
            ("direct", "“He has accepted responsibility from day one,”", ("Grasso", "in", "Grasso said"), ("said", "in", "Grasso said")),
            ("mixed", "the town had paid for Kessler’s boat “twice — once in bribes and once in higher taxes.”", "Donna Pirelli", ("said", "in", "Avenue, said")),
        ],
        "ents": """
            DATE: four years*2 | Thursday | 63 | more than a decade | March | six years | 2021 | January | day one | spring
            GPE: NEWARK | N.J. | Bayside*2 | U.S.
            MONEY: more than $250,000 | about $4 million | $265,000
            PERSON: Raymond Kessler | Kessler*5 | Maria Santangelo | Anthony Grasso | Grasso*1 | Donna Pirelli
            CARDINAL: one ~ to one count | two ~ to two companies | Two
            ORG: City Hall
            FAC: Ocean Avenue
        """,
    }
)

# ---------------------------------------------------------------- 20 interview: volcanologist (speaker earlier in the paragraph, no cue)
ARTICLES.append(
    {
        "topic": "interview",
        "text": article(
            "A conversation with volcanologist Ruth Okoro",
            "REYKJAVIK, Iceland — Ruth Okoro has spent most of the past two decades standing closer to erupting volcanoes than is strictly sensible. The British-Nigerian volcanologist, who now leads the eruption forecasting group at the University of Iceland, is unapologetic about it.",
            "“You cannot forecast something you have never watched closely,” she says. “The instruments tell you a lot. Standing there tells you the rest.”",
            "Her group made headlines last year when it warned, nine hours in advance, that a fissure would open near the fishing town of Grindavik. Okoro insists the forecast was a team effort and that luck played a part.",
            "She is blunter about the state of monitoring elsewhere. “There are volcanoes near big cities in Indonesia, in the Philippines, in Latin America, with one seismometer and a man who checks it on Tuesdays,” she says. “That is not a monitoring network. That is a hope.”",
            "Okoro is also frank about the emotional cost of the work. Two of her former colleagues died in 2014, when a volcano in Japan erupted without warning while they were collecting gas samples. “I think about them every time I put on the boots.”",
            "Asked whether she would encourage her own daughter to follow her into the field, she laughs, then turns serious. She would encourage it as long as the girl learned to respect the mountain first, she says.",
            "Her next project is a public one. Okoro is writing a book for teenagers, provisionally titled “Fire Underfoot,” and has joined the advisory board of the Icelandic Met Office, which she praises for “telling people the truth, even when the truth is boring.”",
            "Before we part, she offers a last piece of advice for anyone visiting an eruption site: “Stay upwind. Respect the rope. And if the scientists start running, do not stop to film it.”",
        ),
        "quotes": [
            ("direct", "“You cannot forecast something you have never watched closely,”", ("she", "in", "closely,” she says"), ("says", "in", "closely,” she says")),
            ("direct", "“The instruments tell you a lot. Standing there tells you the rest.”", ("she", "in", "closely,” she says"), ("says", "in", "closely,” she says")),
            ("indirect", "a fissure would open near the fishing town of Grindavik", ("it", "in", "when it warned"), "warned"),
            ("indirect", "the forecast was a team effort and that luck played a part", ("Okoro", "in", "Okoro insists"), "insists"),
            ("direct", "“There are volcanoes near big cities in Indonesia, in the Philippines, in Latin America, with one seismometer and a man who checks it on Tuesdays,”", ("she", "in", "Tuesdays,” she says"), ("says", "in", "Tuesdays,” she says")),
            ("direct", "“That is not a monitoring network. That is a hope.”", ("she", "in", "Tuesdays,” she says"), ("says", "in", "Tuesdays,” she says")),
            ("direct", "“I think about them every time I put on the boots.”", ("Okoro", "in", "Okoro is also frank"), None),
            ("indirect", "She would encourage it as long as the girl learned to respect the mountain first", ("she", "in", "first, she says"), ("says", "in", "first, she says")),
            ("direct", "“telling people the truth, even when the truth is boring.”", ("she", "in", "which she praises"), "praises"),
            ("direct", "“Stay upwind. Respect the rope. And if the scientists start running, do not stop to film it.”", ("she", "in", "part, she offers"), "offers"),
        ],
        "ents": """
            PERSON: Ruth Okoro*2 | Okoro*3
            GPE: REYKJAVIK | Iceland*1 | Grindavik | Indonesia | Philippines | Japan
            DATE: past two decades | last year | Tuesdays | 2014
            NORP: British | Nigerian
            ORG: University of Iceland | Icelandic Met Office
            TIME: nine hours
            LOC: Latin America
            CARDINAL: one ~ with one seismometer | Two
            WORK_OF_ART: Fire Underfoot
        """,
    }
)


# ---------------------------------------------------------------- 21 politics: foreign-buyer ban (wondered aloud why)
ARTICLES.append(
    {
        "topic": "politics",
        "text": article(
            "Australian lawmakers pass ban on foreign buyers of existing homes",
            "CANBERRA (Wire) — Australia’s parliament passed a two-year ban on foreign buyers purchasing existing homes on Wednesday, after the government argued that the measure would free up thousands of properties for young buyers.",
            "Housing Minister Claire O’Brien told the House of Representatives that foreign purchases had “distorted” prices in parts of Sydney and Melbourne. “This is not about nationality,” she said. “It is about whether a nurse in western Sydney can ever own the home she rents.”",
            "The opposition voted against the bill. Its housing spokesman, Peter Nguyen, argued that foreign buyers accounted for less than 1% of sales and that the ban was “a headline in search of a policy.” He wondered aloud why the government had not tackled zoning rules that block new apartments.",
            "Real estate groups warned of unintended consequences. The Property Council of Australia said in a statement that the ban could deter foreign developers who build new housing, and urged the government to exempt off-the-plan purchases.",
            "Economists were divided. “You will see a small effect at the very top of the market and almost none where young families are actually looking,” said Dr. Helen Zhou of the University of Melbourne.",
            "Others were more positive. Saul Abrams, an economist at Harbourside Capital, said the ban was “a reasonable experiment” as long as the government published data on its effects. “If it does not work, we will know within eighteen months,” he added.",
            "The ban will take effect on April 1 and expire after two years unless parliament extends it. According to the Australian Taxation Office, foreign buyers purchased about 5,400 existing homes in the last financial year.",
        ),
        "quotes": [
            ("indirect", "the measure would free up thousands of properties for young buyers", ("the government", "in", "the government argued"), ("argued", "in", "government argued")),
            ("mixed", "foreign purchases had “distorted” prices in parts of Sydney and Melbourne", "Housing Minister Claire O’Brien", "told"),
            ("direct", "“This is not about nationality,”", ("she", "in", "nationality,” she said"), ("said", "in", "nationality,” she said")),
            ("direct", "“It is about whether a nurse in western Sydney can ever own the home she rents.”", ("she", "in", "nationality,” she said"), ("said", "in", "nationality,” she said")),
            ("mixed", "foreign buyers accounted for less than 1% of sales and that the ban was “a headline in search of a policy.”", "Its housing spokesman", ("argued", "in", "Nguyen, argued")),
            ("indirect", "why the government had not tackled zoning rules that block new apartments", ("He", "in", "He wondered"), "wondered aloud"),
            ("indirect", "the ban could deter foreign developers who build new housing", "The Property Council of Australia", ("said", "in", "Australia said")),
            ("indirect", "the government to exempt off-the-plan purchases", "The Property Council of Australia", "urged"),
            ("direct", "“You will see a small effect at the very top of the market and almost none where young families are actually looking,”", "Dr. Helen Zhou of the University of Melbourne", ("said", "in", "said Dr.")),
            ("mixed", "the ban was “a reasonable experiment” as long as the government published data on its effects", "Saul Abrams", ("said", "in", "Capital, said")),
            ("direct", "“If it does not work, we will know within eighteen months,”", ("he", "in", "he added"), "added"),
            ("indirect", "foreign buyers purchased about 5,400 existing homes in the last financial year", "the Australian Taxation Office", "According to"),
        ],
        "ents": """
            NORP: Australian*1
            GPE: CANBERRA | Australia*1 | Sydney*2 | Melbourne*1
            ORG: Wire | House of Representatives | Property Council of Australia | University of Melbourne | Harbourside Capital | Australian Taxation Office
            DATE: two-year | Wednesday | eighteen months | April 1 | two years | last financial year
            PERSON: Claire O’Brien | Peter Nguyen | Helen Zhou | Saul Abrams
            PERCENT: less than 1%
            CARDINAL: about 5,400
        """,
    }
)

# ---------------------------------------------------------------- 22 business: pilots' strike vote (accused X of, company as speaker)
ARTICLES.append(
    {
        "topic": "business",
        "text": article(
            "Pilots at SkyLink Airways vote to strike over pay",
            "DUBLIN — Pilots at SkyLink Airways voted overwhelmingly to strike after talks on a new pay deal collapsed, their union said on Tuesday, raising the prospect of widespread cancellations during the summer.",
            "The Irish Airline Pilots’ Association said 94% of its members who voted backed industrial action. Its president, Captain Niamh Doyle, accused the airline of treating pilots “like a cost to be cut rather than people to be kept.”",
            "“Our pilots have not had a real pay rise since 2019,” Doyle said. “Fuel is up, fares are up, profits are up. The only thing that has gone down is the value of our salaries.”",
            "SkyLink, Ireland’s second-largest carrier, said it was “disappointed” by the vote and called the union’s demand for a 23% increase “simply unaffordable.” Chief executive Mark Delaney told RTÉ radio that the airline had offered 9% over two years and remained open to talks.",
            "“We cannot pay money we do not have,” Delaney said. “If they walk out in July, they are walking out on their own passengers.”",
            "The union has said it will give two weeks’ notice before any stoppage. Travel agents reported a surge of calls from worried customers on Tuesday, according to the Irish Travel Agents Association, which urged travellers not to cancel bookings yet.",
            "Transport Minister Eamon Flood urged both sides to return to the table and said the government would not intervene directly. “This is a dispute between an employer and its workers,” he said. “My job is to make sure the public is not the one paying for it.”",
        ),
        "quotes": [
            ("indirect", "Pilots at SkyLink Airways voted overwhelmingly to strike after talks on a new pay deal collapsed", "their union", ("said", "in", "union said on")),
            ("indirect", "94% of its members who voted backed industrial action", "The Irish Airline Pilots’ Association", ("said", "in", "Association said")),
            ("mixed", "the airline of treating pilots “like a cost to be cut rather than people to be kept.”", "Its president", "accused"),
            ("direct", "“Our pilots have not had a real pay rise since 2019,”", ("Doyle", "in", "Doyle said"), ("said", "in", "Doyle said")),
            ("direct", "“Fuel is up, fares are up, profits are up. The only thing that has gone down is the value of our salaries.”", ("Doyle", "in", "Doyle said"), ("said", "in", "Doyle said")),
            ("mixed", "it was “disappointed” by the vote", ("SkyLink", "in", "SkyLink, Ireland’s"), ("said", "in", "carrier, said")),
            ("mixed", "the union’s demand for a 23% increase “simply unaffordable.”", ("SkyLink", "in", "SkyLink, Ireland’s"), "called"),
            ("indirect", "the airline had offered 9% over two years and remained open to talks", "Chief executive Mark Delaney", "told"),
            ("direct", "“We cannot pay money we do not have,”", ("Delaney", "in", "Delaney said"), ("said", "in", "Delaney said")),
            ("direct", "“If they walk out in July, they are walking out on their own passengers.”", ("Delaney", "in", "Delaney said"), ("said", "in", "Delaney said")),
            ("indirect", "it will give two weeks’ notice before any stoppage", "The union", ("said", "in", "union has said")),
            ("indirect", "Travel agents reported a surge of calls from worried customers on Tuesday", "the Irish Travel Agents Association", "according to"),
            ("indirect", "travellers not to cancel bookings yet", "the Irish Travel Agents Association", ("urged", "in", "which urged")),
            ("indirect", "both sides to return to the table", "Transport Minister Eamon Flood", ("urged", "in", "Flood urged")),
            ("indirect", "the government would not intervene directly", "Transport Minister Eamon Flood", ("said", "in", "and said the government")),
            ("direct", "“This is a dispute between an employer and its workers,”", ("he", "in", "workers,” he said"), ("said", "in", "workers,” he said")),
            ("direct", "“My job is to make sure the public is not the one paying for it.”", ("he", "in", "workers,” he said"), ("said", "in", "workers,” he said")),
        ],
        "ents": """
            ORG: SkyLink Airways*2 | SkyLink*1 | Irish Airline Pilots’ Association | RTÉ | Irish Travel Agents Association
            GPE: DUBLIN | Ireland
            DATE: Tuesday*2 | summer | 2019 | two years | July | two weeks
            PERCENT: 94% | 23% | 9%
            PERSON: Niamh Doyle | Doyle*1 | Mark Delaney | Delaney*1 | Eamon Flood
            ORDINAL: second
        """,
    }
)

# ---------------------------------------------------------------- 23 science: lunar lander (announced, company as speaker)
ARTICLES.append(
    {
        "topic": "science",
        "text": article(
            "Private lunar lander touches down near Moon’s south pole",
            "HOUSTON — A lunar lander built by the Texas company Polaris Aerospace touched down near the Moon’s south pole on Saturday, becoming the first privately built spacecraft to land intact in the region, the company said.",
            "The robotic craft, named Kestrel, sent its first images back to Earth about 40 minutes after landing. “We are on the surface, we are upright and we are talking to the ground,” flight director Leila Haddad announced to cheers in mission control.",
            "The landing came after a tense final descent. Haddad said the lander’s guidance computer had briefly lost track of its position about two kilometres above the surface and switched to a backup system. “For about eleven seconds, nobody in this room breathed,” she said.",
            "Kestrel is carrying six instruments for NASA under a $118 million contract, including a drill that will search for water ice in the permanently shadowed soil. NASA Administrator Robert Elling called the landing “a historic day for commercial spaceflight” and said the agency hoped to use the data to plan crewed missions before 2030.",
            "Not every mission has been so lucky. Two earlier private landers, one from Japan and one from Israel, crashed on the surface, and a third tipped onto its side last year. Polaris chief executive Dana Morales said the company had learned from those failures. “Everyone in this business reads everyone else’s accident reports,” she said.",
            "The lander is expected to operate for about ten days, until the Sun sets at the landing site and temperatures fall below minus 170 degrees Celsius. Engineers do not expect it to survive the lunar night.",
            "Shares of Polaris, which listed on the Nasdaq in 2023, rose 31% in after-hours trading.",
        ),
        "quotes": [
            ("indirect", "A lunar lander built by the Texas company Polaris Aerospace touched down near the Moon’s south pole on Saturday, becoming the first privately built spacecraft to land intact in the region", ("the company", "in", "the company said"), ("said", "in", "the company said")),
            ("direct", "“We are on the surface, we are upright and we are talking to the ground,”", "flight director Leila Haddad", "announced"),
            ("indirect", "the lander’s guidance computer had briefly lost track of its position about two kilometres above the surface and switched to a backup system", ("Haddad", "in", "Haddad said"), ("said", "in", "Haddad said")),
            ("direct", "“For about eleven seconds, nobody in this room breathed,”", ("she", "in", "breathed,” she said"), ("said", "in", "breathed,” she said")),
            ("mixed", "the landing “a historic day for commercial spaceflight”", "NASA Administrator Robert Elling", "called"),
            ("indirect", "the agency hoped to use the data to plan crewed missions before 2030", "NASA Administrator Robert Elling", ("said", "in", "and said the agency")),
            ("indirect", "the company had learned from those failures", "Polaris chief executive Dana Morales", ("said", "in", "Morales said")),
            ("direct", "“Everyone in this business reads everyone else’s accident reports,”", ("she", "in", "reports,” she said"), ("said", "in", "reports,” she said")),
        ],
        "ents": """
            LOC: Moon*2 | Earth | Sun
            GPE: HOUSTON | Texas | Japan | Israel
            ORG: Polaris Aerospace | Polaris*2 | NASA*2 | Nasdaq
            DATE: Saturday | 2030 | last year | about ten days | 2023
            ORDINAL: first*2 | third
            PRODUCT: Kestrel*2
            TIME: about 40 minutes | about eleven seconds
            PERSON: Leila Haddad | Haddad*1 | Robert Elling | Dana Morales
            QUANTITY: about two kilometres | below minus 170 degrees Celsius
            CARDINAL: six | Two | one*2
            MONEY: $118 million
            PERCENT: 31%
        """,
    }
)

# ---------------------------------------------------------------- 24 local: skate park (quipped, noun cue "claim", relative "what one called")
ARTICLES.append(
    {
        "topic": "local",
        "text": article(
            "Planning board rejects skate park plan for Elm Grove",
            "ELM GROVE, Wis. — The village planning board voted 4-3 on Monday to reject a proposed skate park in Centennial Park after neighbours complained about noise, traffic and what one called “the inevitable graffiti.”",
            "The plan, pushed by a group of parents and teenagers for almost three years, would have built a concrete skate bowl on an unused tennis court. Supporters presented a petition with more than 1,100 signatures.",
            "Sixteen-year-old Maya Lindholm, who has skated since she was eight, pleaded with the board before the vote. “We are not asking for a mall,” she said. “We are asking for a place where nobody calls the police on us for doing a kickflip.”",
            "Board member Gerald Hoffman, who lives two streets from the park, said he supported “the idea of a skate park” but not in that location. He argued that the village had not studied parking and countered a supporter’s claim that the bowl would be silent. “Concrete and wheels are not silent,” he quipped. “I have grandchildren.”",
            "Parks director Rosa Menendez told the board that the bowl would cost about $180,000, most of it covered by a state grant that will now expire. She said the village would have to reapply next year if a new site was found.",
            "After the vote, Lindholm’s mother, Karen Lindholm, said the families would keep pushing. “They said no tonight,” she said. “They have not heard the last of these kids.”",
            "Village President Tom Barrett said he would ask staff to look at two other sites, including a parking lot behind the public library, before the board’s next meeting in June.",
        ),
        "quotes": [
            ("direct", "“the inevitable graffiti.”", ("one", "in", "what one called"), "called"),
            ("direct", "“We are not asking for a mall,”", ("she", "in", "mall,” she said"), ("said", "in", "mall,” she said")),
            ("direct", "“We are asking for a place where nobody calls the police on us for doing a kickflip.”", ("she", "in", "mall,” she said"), ("said", "in", "mall,” she said")),
            ("mixed", "he supported “the idea of a skate park” but not in that location", "Board member Gerald Hoffman", ("said", "in", "park, said he")),
            ("indirect", "the village had not studied parking", ("He", "in", "He argued"), "argued"),
            ("indirect", "the bowl would be silent", "a supporter", "claim"),
            ("direct", "“Concrete and wheels are not silent,”", ("he", "in", "he quipped"), "quipped"),
            ("direct", "“I have grandchildren.”", ("he", "in", "he quipped"), "quipped"),
            ("indirect", "the bowl would cost about $180,000, most of it covered by a state grant that will now expire", "Parks director Rosa Menendez", "told"),
            ("indirect", "the village would have to reapply next year if a new site was found", ("She", "in", "She said the village"), ("said", "in", "She said the village")),
            ("indirect", "the families would keep pushing", "Lindholm’s mother", ("said", "in", "Lindholm, said")),
            ("direct", "“They said no tonight,”", ("she", "in", "tonight,” she said"), ("said", "in", "tonight,” she said")),
            ("direct", "“They have not heard the last of these kids.”", ("she", "in", "tonight,” she said"), ("said", "in", "tonight,” she said")),
            ("indirect", "he would ask staff to look at two other sites, including a parking lot behind the public library, before the board’s next meeting in June", "Village President Tom Barrett", ("said", "in", "Barrett said")),
        ],
        "ents": """
            GPE: Elm Grove | ELM GROVE | Wis.
            CARDINAL: 4-3 | more than 1,100 | two*2
            DATE: Monday | almost three years | Sixteen-year-old | eight | next year | June
            FAC: Centennial Park
            PERSON: Maya Lindholm | Karen Lindholm | Lindholm*1 | Gerald Hoffman | Rosa Menendez | Tom Barrett
            MONEY: about $180,000
            TIME: tonight
        """,
    }
)


# ---------------------------------------------------------------- 25 foreign affairs: earthquake (wire, countries as speakers)
ARTICLES.append(
    {
        "topic": "foreign affairs",
        "text": article(
            "Aid pledges pour in after deadly Morocco earthquake",
            "MARRAKECH, Morocco (Wire) — Rescuers dug through collapsed mud-brick homes in the High Atlas mountains on Sunday as the death toll from Friday night’s earthquake rose to 412, Morocco’s interior ministry said.",
            "The magnitude 6.4 quake struck shortly before midnight about 70 kilometres southwest of Marrakech, according to the U.S. Geological Survey. Villages in the mountains, many reachable only by narrow dirt roads, bore the brunt of the damage.",
            "In the village of Tafeghaghte, Fatima Ait Lahcen, 52, said she had lost her husband and two grandsons. “The mountain came down on us,” she said, sitting beside a pile of rubble that had been her kitchen. “We waited all night for someone to come. Nobody came until the morning.”",
            "Government spokesman Youssef Bennani told reporters in Rabat that more than 3,000 soldiers and civil protection workers had been deployed. He rejected criticism that the response had been slow, saying that landslides had cut off many of the worst-hit villages.",
            "Foreign governments rushed to offer help. Spain said it had sent 56 rescuers and four search dogs, and France said it would send 5 million euros in emergency aid. The European Union’s crisis commissioner, Janez Mlakar, said the bloc stood “ready to do whatever is needed, for as long as it is needed.”",
            "Morocco has so far accepted offers from only four countries. Bennani said the government was “grateful for every offer” but that uncoordinated teams could “clog the roads that our own rescuers need.”",
            "The World Health Organization said hospitals in Marrakech were treating more than 1,000 injured people and warned that the risk of disease would rise if clean water did not reach the mountain villages within days.",
        ),
        "quotes": [
            ("indirect", "Rescuers dug through collapsed mud-brick homes in the High Atlas mountains on Sunday as the death toll from Friday night’s earthquake rose to 412", "Morocco’s interior ministry", ("said", "in", "ministry said")),
            ("indirect", "The magnitude 6.4 quake struck shortly before midnight about 70 kilometres southwest of Marrakech", "the U.S. Geological Survey", "according to"),
            ("indirect", "she had lost her husband and two grandsons", "Fatima Ait Lahcen", ("said", "in", "52, said")),
            ("direct", "“The mountain came down on us,”", ("she", "in", "us,” she said"), ("said", "in", "us,” she said")),
            ("direct", "“We waited all night for someone to come. Nobody came until the morning.”", ("she", "in", "us,” she said"), ("said", "in", "us,” she said")),
            ("indirect", "more than 3,000 soldiers and civil protection workers had been deployed", "Government spokesman Youssef Bennani", "told"),
            ("indirect", "landslides had cut off many of the worst-hit villages", ("He", "in", "He rejected"), "saying"),
            ("indirect", "it had sent 56 rescuers and four search dogs", "Spain", ("said", "in", "Spain said")),
            ("indirect", "it would send 5 million euros in emergency aid", "France", ("said", "in", "France said")),
            ("mixed", "the bloc stood “ready to do whatever is needed, for as long as it is needed.”", "The European Union’s crisis commissioner", ("said", "in", "Mlakar, said")),
            ("mixed", "the government was “grateful for every offer” but that uncoordinated teams could “clog the roads that our own rescuers need.”", ("Bennani", "in", "Bennani said"), ("said", "in", "Bennani said")),
            ("indirect", "hospitals in Marrakech were treating more than 1,000 injured people", "The World Health Organization", ("said", "in", "Organization said")),
            ("indirect", "the risk of disease would rise if clean water did not reach the mountain villages within days", "The World Health Organization", "warned"),
        ],
        "ents": """
            GPE: MARRAKECH | Morocco*4 | Marrakech*2 | Tafeghaghte | Rabat | Spain | France
            ORG: Wire | U.S. Geological Survey | European Union | World Health Organization
            LOC: High Atlas
            DATE: Sunday | 52 | days
            TIME: Friday night | midnight | all night | morning
            CARDINAL: 412 | 6.4 | two | more than 3,000 | 56 | four*2 | more than 1,000
            QUANTITY: about 70 kilometres
            PERSON: Fatima Ait Lahcen | Youssef Bennani | Bennani*1 | Janez Mlakar
            MONEY: 5 million euros
        """,
    }
)

# ---------------------------------------------------------------- 26 culture: film festival (colon attributions, titles, nickname)
ARTICLES.append(
    {
        "topic": "culture",
        "text": article(
            "Iranian drama wins top prize at Venice Film Festival",
            "VENICE, Italy — “Salt and Iron,” a slow-burning drama about two sisters running a failing pharmacy in Tabriz, won the Golden Lion at the Venice Film Festival on Saturday, capping a festival in which the jury’s choices were greeted with unusual warmth.",
            "Director Shirin Farahani, who was barred from leaving Iran for two years after her previous film, accepted the award in person. She dedicated it to “every woman who has been told to wait her turn” and said she had nearly abandoned the project three times.",
            "“There were days when I thought this film would only ever exist in my head,” Farahani told the audience, speaking in Farsi through an interpreter. “Thank you for letting it out.”",
            "Jury president Marco Bellandi said the decision had been unanimous. He praised the film’s two lead actresses, Leila Rahimi and Nasrin Tavakoli, who shared the prize for best actress, calling their performances “two halves of one heartbeat.”",
            "The critics, for once, agreed with the jury. Anna Reiss, Die Zeit: “A film that trusts silence more than any other in the competition.”",
            "Tom Hadley, The Film Quarterly: “Farahani does more with a cash register and a flickering light than most directors manage with a war.”",
            "The runner-up, the American director Paul Stroud’s three-hour epic “Dust Road,” was booed at its premiere. Stroud, nicknamed “the Last Cowboy” by the trade press, shrugged off the reaction, telling Variety that boos in Venice were “a badge of honour.”",
            "The winning film will be released in Italy and France in October, its distributor said. No release has yet been announced in Iran.",
        ),
        "quotes": [
            ("direct", "“every woman who has been told to wait her turn”", ("She", "in", "She dedicated"), "dedicated"),
            ("indirect", "she had nearly abandoned the project three times", ("She", "in", "She dedicated"), ("said", "in", "and said she had")),
            ("direct", "“There were days when I thought this film would only ever exist in my head,”", ("Farahani", "in", "Farahani told"), ("told", "in", "Farahani told")),
            ("direct", "“Thank you for letting it out.”", ("Farahani", "in", "Farahani told"), ("told", "in", "Farahani told")),
            ("indirect", "the decision had been unanimous", "Jury president Marco Bellandi", ("said", "in", "Bellandi said")),
            ("mixed", "their performances “two halves of one heartbeat.”", ("He", "in", "He praised"), "calling"),
            ("direct", "“A film that trusts silence more than any other in the competition.”", "Anna Reiss", None),
            ("direct", "“Farahani does more with a cash register and a flickering light than most directors manage with a war.”", "Tom Hadley", None),
            ("mixed", "boos in Venice were “a badge of honour.”", ("Stroud", "in", "Stroud, nicknamed"), "telling"),
            ("indirect", "The winning film will be released in Italy and France in October", "its distributor", ("said", "in", "distributor said")),
        ],
        "ents": """
            NORP: Iranian | American
            EVENT: Venice Film Festival*2
            GPE: VENICE | Italy*2 | Tabriz | Iran*2 | Venice*1 | France
            WORK_OF_ART: Salt and Iron | Golden Lion | Dust Road
            CARDINAL: two*3 | one
            DATE: Saturday | two years | days | October
            PERSON: Shirin Farahani | Farahani*2 | Marco Bellandi | Leila Rahimi | Nasrin Tavakoli | Anna Reiss | Tom Hadley | Paul Stroud | Stroud*1
            LANGUAGE: Farsi
            ORG: Die Zeit | Film Quarterly | Variety
            TIME: three-hour
        """,
    }
)

# ---------------------------------------------------------------- 27 sports: coach fired (posted, thanked X for “…”, people familiar)
ARTICLES.append(
    {
        "topic": "sports",
        "text": article(
            "Comets fire coach Reggie Dunn after eight straight losses",
            "COLUMBUS, Ohio — The Columbus Comets fired head coach Reggie Dunn on Tuesday after an eighth straight defeat left the team last in the Eastern Conference, the club announced.",
            "General manager Lisa Pryor said in a statement that the decision had been “painful but necessary” and that assistant coach Andre Mills would take over on an interim basis. She thanked Dunn for “four years of hard work and real dignity.”",
            "Dunn, 58, had led the Comets to the playoffs twice, but the team has won only 9 of its 31 games this season. According to two people familiar with the decision, owner Richard Coyle lost patience after a 40-point loss to Boston on Sunday.",
            "Dunn did not respond to messages on Tuesday, but he spoke briefly to ESPN outside his home. “I am disappointed, obviously,” he said. “But I understand the business. You lose eight in a row, somebody has to pay, and it is never the players.”",
            "Several players defended their former coach. Star guard Jalen Moss posted that Dunn was “the reason half of us are still in this league” and that the players had “let him down.” Center Tyler Okoye told reporters he was “shocked and a little angry.”",
            "Mills, 41, is a former Comets player who has been on the coaching staff since 2019. He told team radio that his message to the players would be simple. “Play hard, play together, and have some fun again,” he said. “We have forgotten the fun part.”",
        ),
        "quotes": [
            ("indirect", "The Columbus Comets fired head coach Reggie Dunn on Tuesday after an eighth straight defeat left the team last in the Eastern Conference", "the club", "announced"),
            ("mixed", "the decision had been “painful but necessary” and that assistant coach Andre Mills would take over on an interim basis", "General manager Lisa Pryor", ("said", "in", "Pryor said")),
            ("mixed", "Dunn for “four years of hard work and real dignity.”", ("She", "in", "She thanked"), "thanked"),
            ("indirect", "owner Richard Coyle lost patience after a 40-point loss to Boston on Sunday", "two people familiar with the decision", "According to"),
            ("direct", "“I am disappointed, obviously,”", ("he", "in", "obviously,” he said"), ("said", "in", "obviously,” he said")),
            ("direct", "“But I understand the business. You lose eight in a row, somebody has to pay, and it is never the players.”", ("he", "in", "obviously,” he said"), ("said", "in", "obviously,” he said")),
            ("mixed", "Dunn was “the reason half of us are still in this league” and that the players had “let him down.”", "Star guard Jalen Moss", "posted"),
            ("mixed", "he was “shocked and a little angry.”", "Center Tyler Okoye", ("told", "in", "Okoye told")),
            ("indirect", "his message to the players would be simple", ("He", "in", "He told team"), ("told", "in", "He told team")),
            ("direct", "“Play hard, play together, and have some fun again,”", ("he", "in", "again,” he said"), ("said", "in", "again,” he said")),
            ("direct", "“We have forgotten the fun part.”", ("he", "in", "again,” he said"), ("said", "in", "again,” he said")),
        ],
        "ents": """
            ORG: Comets*3 | Columbus Comets | Eastern Conference | Boston | ESPN
            PERSON: Reggie Dunn*2 | Dunn*4 | Lisa Pryor | Andre Mills | Mills*1 | Richard Coyle | Jalen Moss | Tyler Okoye
            CARDINAL: eight*2 | 9 | 31 | two | 40
            GPE: COLUMBUS | Ohio
            DATE: Tuesday*2 | four years | 58 | this season | Sunday | 41 | 2019
            ORDINAL: eighth
        """,
    }
)

# ---------------------------------------------------------------- 28 interview: chef (a quote running over three paragraphs)
ARTICLES.append(
    {
        "topic": "interview",
        "text": article(
            "The chef who turned a gas station into a destination",
            "MARFA, Texas — Rosa Ybarra’s restaurant still has the pumps out front. They have not worked since 1998, but she keeps them polished, and on weekends there are more cars parked around them than there ever were when the place sold gasoline.",
            "Ybarra, 45, bought the abandoned station in 2016 with a loan from her uncle and a menu of six dishes her grandmother cooked in Chihuahua. Today the restaurant, called Pump House, has a two-month waiting list.",
            "She tells the story of the first year without much sentiment. “I cried in the walk-in fridge most nights,” she says. “It is the only place in a restaurant where nobody can hear you.",
            "“Then one night a man from El Paso drove three hours because his cousin told him about my mole. He ate, he paid, and he left a note on the napkin that said: come back tomorrow, I am bringing my whole family.",
            "“I still have that napkin. It is framed in the kitchen.”",
            "Food critics have been less sentimental and more effusive. The Dallas Morning Star’s reviewer called her mole “the best argument yet for driving across an empty state,” and a national magazine named Pump House one of the ten best new restaurants in the country last year.",
            "Ybarra says the attention has not changed how she cooks, only how much. She now employs 14 people, most of them from Marfa, and insists on paying above the local average. Asked what she would tell someone thinking of opening a restaurant, she laughs for a long time. “Don’t,” she says finally. “Or do it somewhere nobody else wants to be.”",
        ),
        "quotes": [
            ("direct", "“I cried in the walk-in fridge most nights,”", ("she", "in", "nights,” she says"), ("says", "in", "nights,” she says")),
            ("direct", "“It is the only place in a restaurant where nobody can hear you.", ("she", "in", "nights,” she says"), ("says", "in", "nights,” she says")),
            ("direct", "“Then one night a man from El Paso drove three hours because his cousin told him about my mole. He ate, he paid, and he left a note on the napkin that said: come back tomorrow, I am bringing my whole family.", ("she", "in", "nights,” she says"), ("says", "in", "nights,” she says")),
            ("direct", "“I still have that napkin. It is framed in the kitchen.”", ("she", "in", "nights,” she says"), ("says", "in", "nights,” she says")),
            ("mixed", "her mole “the best argument yet for driving across an empty state,”", "The Dallas Morning Star’s reviewer", ("called", "in", "reviewer called")),
            ("indirect", "the attention has not changed how she cooks, only how much", ("Ybarra", "in", "Ybarra says"), ("says", "in", "Ybarra says")),
            ("indirect", "paying above the local average", ("She", "in", "She now employs"), "insists"),
            ("direct", "“Don’t,”", ("she", "in", "she says finally"), ("says", "in", "she says finally")),
            ("direct", "“Or do it somewhere nobody else wants to be.”", ("she", "in", "she says finally"), ("says", "in", "she says finally")),
        ],
        "ents": """
            GPE: MARFA | Texas | Chihuahua | El Paso | Marfa
            PERSON: Rosa Ybarra | Ybarra*2
            DATE: 1998 | weekends | 45 | 2016 | Today | two-month | first year | tomorrow | last year
            CARDINAL: six | ten | 14 | one ~ one of the ten
            ORG: Pump House*2 | Dallas Morning Star
            TIME: most nights | one night | three hours
        """,
    }
)


# ---------------------------------------------------------------- 29 politics: mayoral debate (boasted, fired back, interjected:)
ARTICLES.append(
    {
        "topic": "politics",
        "text": article(
            "Rivals trade barbs in final mayoral debate",
            "DENVER — The two leading candidates for mayor of Denver clashed over housing, policing and each other’s records on Thursday in their final televised debate before the June 6 runoff.",
            "City Councilwoman Alicia Romero, a former public defender, boasted that she had written the city’s tenant protection law and accused her opponent of “taking money from the landlords he now claims to regulate.”",
            "Businessman Derek Stanton, who has never held office, fired back that Romero had “spent eight years writing laws and zero years building anything.” He promised to add 25,000 homes within four years by cutting permit fees.",
            "The sharpest exchange came over policing. “My opponent wants to cut the police budget and call it reform,” Stanton said. Romero interjected before he had finished: “That is simply not true, and you know it.”",
            "Romero said she would move about $30 million from police overtime to mental health response teams, a plan she has described as “sending the right responder to the right call.” Stanton said the plan would leave residents waiting longer for help in emergencies.",
            "A poll released last week by Colorado Public Radio found the race essentially tied, with 44% backing Romero and 42% backing Stanton. About 12% of voters said they were undecided.",
            "After the debate, both campaigns declared victory. Romero’s spokesman, Eli Park, said she had shown “command of the issues,” while Stanton told reporters he was “just getting warmed up.”",
            "Early voting begins on May 22. The city clerk’s office said it expected turnout to exceed the 38% recorded in the first round, when neither candidate won a majority.",
        ),
        "quotes": [
            ("indirect", "she had written the city’s tenant protection law", "City Councilwoman Alicia Romero", "boasted"),
            ("mixed", "her opponent of “taking money from the landlords he now claims to regulate.”", "City Councilwoman Alicia Romero", "accused"),
            ("mixed", "Romero had “spent eight years writing laws and zero years building anything.”", "Businessman Derek Stanton", "fired back"),
            ("indirect", "to add 25,000 homes within four years by cutting permit fees", ("He", "in", "He promised"), "promised"),
            ("direct", "“My opponent wants to cut the police budget and call it reform,”", ("Stanton", "in", "Stanton said."), ("said", "in", "Stanton said.")),
            ("direct", "“That is simply not true, and you know it.”", ("Romero", "in", "Romero interjected"), "interjected"),
            ("indirect", "she would move about $30 million from police overtime to mental health response teams", ("Romero", "in", "Romero said she"), ("said", "in", "Romero said she")),
            ("mixed", "as “sending the right responder to the right call.”", ("she", "in", "plan she has described"), "described"),
            ("indirect", "the plan would leave residents waiting longer for help in emergencies", ("Stanton", "in", "Stanton said the plan"), ("said", "in", "Stanton said the plan")),
            ("indirect", "the race essentially tied, with 44% backing Romero and 42% backing Stanton", "A poll", "found"),
            ("indirect", "they were undecided", "About 12% of voters", ("said", "in", "voters said")),
            ("mixed", "she had shown “command of the issues,”", "Romero’s spokesman", ("said", "in", "Park, said")),
            ("mixed", "he was “just getting warmed up.”", ("Stanton", "in", "while Stanton told"), "told"),
            ("indirect", "it expected turnout to exceed the 38% recorded in the first round, when neither candidate won a majority", "The city clerk’s office", ("said", "in", "office said")),
        ],
        "ents": """
            CARDINAL: two | 25,000
            GPE: DENVER | Denver*1
            DATE: Thursday | June 6 | eight years | zero years | four years | last week | May 22
            PERSON: Alicia Romero | Romero*5 | Derek Stanton | Stanton*4 | Eli Park
            MONEY: about $30 million
            ORG: Colorado Public Radio
            PERCENT: 44% | 42% | About 12% | 38%
            ORDINAL: first
        """,
    }
)

# ---------------------------------------------------------------- 30 courts: surveillance ruling (coordinated speaker, ordered)
ARTICLES.append(
    {
        "topic": "courts",
        "text": article(
            "European court rules bulk phone surveillance violated privacy rights",
            "STRASBOURG, France (Wire) — The European Court of Human Rights ruled on Tuesday that Hungary had violated the right to privacy by collecting the phone records of millions of citizens without judicial oversight.",
            "The case was brought by a group of Hungarian journalists and the Budapest-based Civil Liberties Union, who argued that the surveillance programme had been used to identify reporters’ sources. In a unanimous judgment, the court’s seven judges found that the law behind the programme was “so broad as to be meaningless” as a safeguard.",
            "The court ordered Hungary to pay each of the 11 applicants 7,500 euros in damages and to amend the law within a year.",
            "“This is a victory for every journalist who has ever promised a source that their name would stay secret,” said Katalin Vass, one of the applicants, who works for an independent news site. “For years we were told we were paranoid. Now a court has said we were right.”",
            "Hungary’s justice ministry said in a statement that it respected the court but “strongly disagreed” with its reasoning, arguing that the programme had helped prevent at least two terrorist attacks. It did not say whether it would appeal to the court’s Grand Chamber.",
            "Lawyers said the ruling could affect similar programmes in Poland and Bulgaria. Professor Jan Kowal of the University of Warsaw predicted that governments would now “rush to rewrite their laws before they are next.”",
            "The European Commission, which has its own infringement case against Hungary over press freedom, welcomed the judgment. A spokesman said the Commission would “study it closely.”",
        ),
        "quotes": [
            ("indirect", "Hungary had violated the right to privacy by collecting the phone records of millions of citizens without judicial oversight", "The European Court of Human Rights", "ruled"),
            ("indirect", "the surveillance programme had been used to identify reporters’ sources", "a group of Hungarian journalists and the Budapest-based Civil Liberties Union", "argued"),
            ("mixed", "the law behind the programme was “so broad as to be meaningless” as a safeguard", "the court’s seven judges", "found"),
            ("indirect", "Hungary to pay each of the 11 applicants 7,500 euros in damages and to amend the law within a year", "The court", "ordered"),
            ("direct", "“This is a victory for every journalist who has ever promised a source that their name would stay secret,”", "Katalin Vass", ("said", "in", "said Katalin")),
            ("direct", "“For years we were told we were paranoid. Now a court has said we were right.”", "Katalin Vass", ("said", "in", "said Katalin")),
            ("mixed", "it respected the court but “strongly disagreed” with its reasoning", "Hungary’s justice ministry", ("said", "in", "ministry said")),
            ("indirect", "the programme had helped prevent at least two terrorist attacks", "Hungary’s justice ministry", "arguing"),
            ("indirect", "the ruling could affect similar programmes in Poland and Bulgaria", "Lawyers", ("said", "in", "Lawyers said")),
            ("mixed", "governments would now “rush to rewrite their laws before they are next.”", "Professor Jan Kowal of the University of Warsaw", "predicted"),
            ("mixed", "the Commission would “study it closely.”", "A spokesman", ("said", "in", "spokesman said")),
        ],
        "ents": """
            NORP: European*1 | Hungarian
            GPE: STRASBOURG | France | Hungary*4 | Budapest | Poland | Bulgaria
            ORG: Wire | European Court of Human Rights | Civil Liberties Union | Grand Chamber | University of Warsaw | European Commission | Commission*1
            DATE: Tuesday | a year | years
            CARDINAL: seven | 11 | at least two | one ~ one of the applicants
            MONEY: 7,500 euros
            PERSON: Katalin Vass | Jan Kowal
        """,
    }
)

# ---------------------------------------------------------------- 31 business: merger blocked (saying X “…”, relative "who had urged")
ARTICLES.append(
    {
        "topic": "business",
        "text": article(
            "Regulator blocks merger of two largest grocery chains",
            "WELLINGTON, New Zealand — New Zealand’s competition regulator on Monday blocked the proposed merger of the country’s two largest supermarket chains, saying the deal would leave shoppers with “no meaningful choice” in most towns.",
            "The Commerce Commission said a combined FreshMart and Kiwi Grocer would control about 78% of grocery sales and could raise prices without losing customers. Commission chair Anna Te Rangi told a news conference that the companies’ offer to sell 40 stores was “nowhere near enough.”",
            "“Families are already paying some of the highest food prices in the developed world,” Te Rangi said. “We are not going to approve a deal that makes that worse.”",
            "FreshMart chief executive Hamish Clarke said the company was “deeply disappointed” and was considering an appeal to the High Court. He argued that the merger would have allowed the combined group to cut costs and compete with Australian-owned rivals, and that the regulator had ignored savings of about NZ$200 million a year.",
            "Kiwi Grocer said in a brief statement that it would “review the decision carefully.” Its shares fell 6% on the NZX, while FreshMart’s slipped 2%.",
            "Consumer groups cheered. “This is the best news shoppers have had in years,” said Priya Lal of Consumer NZ, who had urged the commission to reject the deal. Farmers’ groups were more cautious; the Federated Farmers lobby warned that suppliers would still face “two giants instead of one.”",
            "The two chains agreed the deal in February. Under New Zealand law, they have 20 working days to lodge an appeal, and Clarke said the board would decide within a fortnight.",
        ),
        "quotes": [
            ("mixed", "the deal would leave shoppers with “no meaningful choice” in most towns", "New Zealand’s competition regulator", "saying"),
            ("indirect", "a combined FreshMart and Kiwi Grocer would control about 78% of grocery sales and could raise prices without losing customers", "The Commerce Commission", ("said", "in", "Commission said")),
            ("mixed", "the companies’ offer to sell 40 stores was “nowhere near enough.”", "Commission chair Anna Te Rangi", "told"),
            ("direct", "“Families are already paying some of the highest food prices in the developed world,”", ("Te Rangi", "in", "Te Rangi said"), ("said", "in", "Te Rangi said")),
            ("direct", "“We are not going to approve a deal that makes that worse.”", ("Te Rangi", "in", "Te Rangi said"), ("said", "in", "Te Rangi said")),
            ("mixed", "the company was “deeply disappointed” and was considering an appeal to the High Court", "FreshMart chief executive Hamish Clarke", ("said", "in", "Hamish Clarke said")),
            ("indirect", "the merger would have allowed the combined group to cut costs and compete with Australian-owned rivals, and that the regulator had ignored savings of about NZ$200 million a year", ("He", "in", "He argued"), "argued"),
            ("mixed", "it would “review the decision carefully.”", ("Kiwi Grocer", "in", "Kiwi Grocer said"), ("said", "in", "Kiwi Grocer said")),
            ("direct", "“This is the best news shoppers have had in years,”", "Priya Lal of Consumer NZ", ("said", "in", "said Priya")),
            ("indirect", "the commission to reject the deal", "Priya Lal of Consumer NZ", "urged"),
            ("mixed", "suppliers would still face “two giants instead of one.”", "the Federated Farmers lobby", "warned"),
            ("indirect", "the board would decide within a fortnight", ("Clarke", "in", "Clarke said the board"), ("said", "in", "Clarke said the board")),
        ],
        "ents": """
            CARDINAL: two*4 | one | 40
            GPE: WELLINGTON | New Zealand*3
            DATE: Monday | years | February | 20 working days | a fortnight
            ORG: Commerce Commission | Commission*1 | FreshMart*3 | Kiwi Grocer*2 | High Court | NZX | Consumer NZ | Federated Farmers
            PERCENT: about 78% | 6% | 2%
            PERSON: Anna Te Rangi | Te Rangi*1 | Hamish Clarke | Clarke*1 | Priya Lal
            NORP: Australian
            MONEY: about NZ$200 million
        """,
    }
)

# ---------------------------------------------------------------- 32 science/local: right whale (nickname, according to a count)
ARTICLES.append(
    {
        "topic": "science",
        "text": article(
            "Rare right whale and calf spotted off Cape Cod",
            "PROVINCETOWN, Mass. — A North Atlantic right whale and her newborn calf were spotted feeding in Cape Cod Bay on Sunday, researchers said, a rare sighting of one of the world’s most endangered whales.",
            "The pair was photographed by a survey team from the Center for Coastal Studies, which said the mother was a 21-year-old female that has been seen in the bay almost every spring since 2006. Whale watchers know her by the nickname “Ripple.”",
            "“Every calf matters when there are so few of them left,” said Dr. Hannah Price, who leads the center’s right whale research program. “This mother has now had five calves. She is doing more for her species than almost anyone.”",
            "Fewer than 370 North Atlantic right whales remain, according to the most recent count by the North Atlantic Right Whale Consortium. Collisions with ships and entanglement in fishing gear are the main causes of death, the consortium said.",
            "Federal rules require vessels longer than 65 feet to slow to 10 knots in the bay between January and May. Price urged recreational boaters, who are not covered by the rule, to follow it anyway. “A whale cannot get out of your way,” she said. “You have to get out of hers.”",
            "Fishermen in Provincetown said they supported protecting the whales but worried about new restrictions on lobster gear. “We want them around too,” said lobsterman Joe Medeiros, 61. “But every new rule lands on the little guy first.”",
            "The mother and calf were last seen heading north toward Stellwagen Bank on Monday.",
        ),
        "quotes": [
            ("indirect", "A North Atlantic right whale and her newborn calf were spotted feeding in Cape Cod Bay on Sunday", "researchers", ("said", "in", "researchers said")),
            ("indirect", "the mother was a 21-year-old female that has been seen in the bay almost every spring since 2006", "the Center for Coastal Studies", ("said", "in", "which said")),
            ("direct", "“Every calf matters when there are so few of them left,”", "Dr. Hannah Price", ("said", "in", "said Dr.")),
            ("direct", "“This mother has now had five calves. She is doing more for her species than almost anyone.”", "Dr. Hannah Price", ("said", "in", "said Dr.")),
            ("indirect", "Fewer than 370 North Atlantic right whales remain", "the most recent count by the North Atlantic Right Whale Consortium", "according to"),
            ("indirect", "Collisions with ships and entanglement in fishing gear are the main causes of death", "the consortium", ("said", "in", "consortium said")),
            ("indirect", "recreational boaters, who are not covered by the rule, to follow it anyway", ("Price", "in", "Price urged"), "urged"),
            ("direct", "“A whale cannot get out of your way,”", ("she", "in", "way,” she said"), ("said", "in", "way,” she said")),
            ("direct", "“You have to get out of hers.”", ("she", "in", "way,” she said"), ("said", "in", "way,” she said")),
            ("indirect", "they supported protecting the whales", "Fishermen in Provincetown", ("said", "in", "Provincetown said")),
            ("direct", "“We want them around too,”", "lobsterman Joe Medeiros", ("said", "in", "said lobsterman")),
            ("direct", "“But every new rule lands on the little guy first.”", "lobsterman Joe Medeiros", ("said", "in", "said lobsterman")),
        ],
        "ents": """
            LOC: Cape Cod*1 | Cape Cod Bay | North Atlantic*2 | Stellwagen Bank
            GPE: PROVINCETOWN | Mass. | Provincetown
            DATE: Sunday | 21-year-old | every spring | 2006 | between January and May | 61 | Monday
            CARDINAL: one | five | Fewer than 370
            ORG: Center for Coastal Studies | North Atlantic Right Whale Consortium
            PERSON: Hannah Price | Price*1 | Joe Medeiros
            QUANTITY: 65 feet | 10 knots
        """,
    }
)


# ---------------------------------------------------------------- 33 foreign affairs: plastics treaty (wire, "which it called", seen by)
ARTICLES.append(
    {
        "topic": "foreign affairs",
        "text": article(
            "Plastics treaty talks stall over production limits",
            "GENEVA (Wire) — Negotiators from more than 170 countries failed on Friday to agree on a global treaty to curb plastic pollution, after oil-producing states refused to accept any cap on the production of new plastic, delegates said.",
            "The chair of the talks, Ecuadorian diplomat Luis Vallejo, said the two-week session had produced “real progress on almost everything except the thing that matters most.” He said negotiators would meet again in Nairobi early next year.",
            "A coalition of about 100 countries, led by Rwanda and Norway, had pushed for a 40% cut in plastic production by 2040. Norway’s climate minister, Ingrid Solberg, fumed that a “small group of petrostates” had held the talks hostage. “We came here to turn off the tap,” she said. “They came here to argue about the size of the mop.”",
            "Saudi Arabia’s delegation rejected that description. Its lead negotiator, Faisal Al-Harbi, insisted that the treaty should focus on waste management and recycling rather than “punishing an industry that the whole world depends on.” Russia and Iran made similar arguments, according to a summary of the closed sessions seen by Wire.",
            "The world produces more than 400 million tonnes of plastic a year, and less than 10% of it is recycled, according to the United Nations Environment Programme.",
            "Environmental groups were scathing. “Two years, five rounds, and the plastic keeps coming,” said Tessa Kimura of Greenpeace. “The only thing these talks have produced at scale is more plastic name badges.”",
            "Industry representatives welcomed the outcome. The International Council of Chemical Associations said a treaty built around recycling would “deliver results faster” than production limits, which it called “a blunt instrument.”",
            "Vallejo conceded that a deal in Nairobi was far from certain. “I am an optimist by profession,” he said with a tired smile. “Ask me again in Nairobi.”",
        ),
        "quotes": [
            ("indirect", "Negotiators from more than 170 countries failed on Friday to agree on a global treaty to curb plastic pollution, after oil-producing states refused to accept any cap on the production of new plastic", "delegates", ("said", "in", "delegates said")),
            ("mixed", "the two-week session had produced “real progress on almost everything except the thing that matters most.”", "The chair of the talks", ("said", "in", "Vallejo, said")),
            ("indirect", "negotiators would meet again in Nairobi early next year", ("He", "in", "He said negotiators"), ("said", "in", "He said negotiators")),
            ("mixed", "a “small group of petrostates” had held the talks hostage", "Norway’s climate minister", "fumed"),
            ("direct", "“We came here to turn off the tap,”", ("she", "in", "tap,” she said"), ("said", "in", "tap,” she said")),
            ("direct", "“They came here to argue about the size of the mop.”", ("she", "in", "tap,” she said"), ("said", "in", "tap,” she said")),
            ("mixed", "the treaty should focus on waste management and recycling rather than “punishing an industry that the whole world depends on.”", "Its lead negotiator", "insisted"),
            ("indirect", "Russia and Iran made similar arguments", "a summary", ("according to", "in", "according to a summary")),
            ("indirect", "The world produces more than 400 million tonnes of plastic a year, and less than 10% of it is recycled", "the United Nations Environment Programme", ("according to", "in", "according to the United")),
            ("direct", "“Two years, five rounds, and the plastic keeps coming,”", "Tessa Kimura of Greenpeace", ("said", "in", "said Tessa")),
            ("direct", "“The only thing these talks have produced at scale is more plastic name badges.”", "Tessa Kimura of Greenpeace", ("said", "in", "said Tessa")),
            ("mixed", "a treaty built around recycling would “deliver results faster” than production limits", "The International Council of Chemical Associations", ("said", "in", "Associations said")),
            ("direct", "“a blunt instrument.”", ("it", "in", "which it called"), "called"),
            ("indirect", "a deal in Nairobi was far from certain", ("Vallejo", "in", "Vallejo conceded"), "conceded"),
            ("direct", "“I am an optimist by profession,”", ("he", "in", "profession,” he said"), ("said", "in", "profession,” he said")),
            ("direct", "“Ask me again in Nairobi.”", ("he", "in", "profession,” he said"), ("said", "in", "profession,” he said")),
        ],
        "ents": """
            GPE: GENEVA | Nairobi*3 | Rwanda | Norway*2 | Saudi Arabia | Russia | Iran
            ORG: Wire*2 | United Nations Environment Programme | Greenpeace | International Council of Chemical Associations
            CARDINAL: more than 170 | about 100 | five
            DATE: Friday | two-week | early next year | 2040 | Two years
            NORP: Ecuadorian
            PERSON: Luis Vallejo | Vallejo*1 | Ingrid Solberg | Faisal Al-Harbi | Tessa Kimura
            PERCENT: 40% | less than 10%
            QUANTITY: more than 400 million tonnes
        """,
    }
)

# ---------------------------------------------------------------- 34 culture/local: theatre reopens (so-called inside a mixed quote, titles)
ARTICLES.append(
    {
        "topic": "culture",
        "text": article(
            "Historic Orpheum theatre reopens after four-year restoration",
            "SPRINGFIELD, Ill. — The Orpheum, the 1920s vaudeville house that sat empty for most of the last four decades, reopened on Saturday with a sold-out performance of “Our Town,” the first show on its stage since 1981.",
            "Celia Barnwell, who led the $22 million restoration, gushed that the audience had “brought the building back to life in about thirty seconds.” She said volunteers had spent more than 60,000 hours scraping paint, rewiring lights and restoring the plaster ceiling.",
            "“When I first walked in here, there were pigeons in the balcony and a tree growing through the orchestra pit,” Barnwell said. “People told me to bring a bulldozer.”",
            "The restoration was not without controversy. Some residents objected to the city’s decision to contribute $6 million, and a local columnist called the project “a so-called cultural investment that will mostly benefit the people who already go to the theatre.”",
            "Mayor Frank Lutz said the theatre was already paying for itself. According to the city’s tourism office, hotel bookings for the opening weekend were up 18% on the same weekend last year.",
            "In the lobby after the show, retired teacher Margaret Olsen, 81, said she had seen her first film at the Orpheum in 1949. “I sat right there, in row F,” she said, pointing. “I was eight. I cried when the lights came up because I didn’t want it to be over.”",
            "The theatre’s next production, a musical adaptation of the novel “Prairie Lights,” opens in March. Barnwell said tickets for the first week had sold out within two hours.",
        ),
        "quotes": [
            ("mixed", "the audience had “brought the building back to life in about thirty seconds.”", "Celia Barnwell", "gushed"),
            ("indirect", "volunteers had spent more than 60,000 hours scraping paint, rewiring lights and restoring the plaster ceiling", ("She", "in", "She said volunteers"), ("said", "in", "She said volunteers")),
            ("direct", "“When I first walked in here, there were pigeons in the balcony and a tree growing through the orchestra pit,”", ("Barnwell", "in", "Barnwell said."), ("said", "in", "Barnwell said.")),
            ("direct", "“People told me to bring a bulldozer.”", ("Barnwell", "in", "Barnwell said."), ("said", "in", "Barnwell said.")),
            ("mixed", "the project “a so-called cultural investment that will mostly benefit the people who already go to the theatre.”", "a local columnist", ("called", "in", "columnist called")),
            ("indirect", "the theatre was already paying for itself", "Mayor Frank Lutz", ("said", "in", "Lutz said")),
            ("indirect", "hotel bookings for the opening weekend were up 18% on the same weekend last year", "the city’s tourism office", "According to"),
            ("indirect", "she had seen her first film at the Orpheum in 1949", "retired teacher Margaret Olsen", ("said", "in", "81, said")),
            ("direct", "“I sat right there, in row F,”", ("she", "in", "F,” she said"), ("said", "in", "F,” she said")),
            ("direct", "“I was eight. I cried when the lights came up because I didn’t want it to be over.”", ("she", "in", "F,” she said"), ("said", "in", "F,” she said")),
            ("indirect", "tickets for the first week had sold out within two hours", ("Barnwell", "in", "Barnwell said tickets"), ("said", "in", "Barnwell said tickets")),
        ],
        "ents": """
            FAC: Orpheum*3
            DATE: four-year | 1920s | last four decades | Saturday | 1981 | opening weekend | same weekend last year | 81 | 1949 | eight | March | first week
            GPE: SPRINGFIELD | Ill.
            WORK_OF_ART: Our Town | Prairie Lights
            ORDINAL: first ~ the first show | first ~ her first film
            PERSON: Celia Barnwell | Barnwell*2 | Frank Lutz | Margaret Olsen
            MONEY: $22 million | $6 million
            TIME: about thirty seconds | more than 60,000 hours | two hours
            PERCENT: 18%
        """,
    }
)


# ------------------------------------------------------------------------------ build


def _ent_items(spec: str) -> list[tuple[str, str]]:
    items = []
    for line in spec.strip().splitlines():
        label, _, rest = line.strip().partition(":")
        assert label in ENT_LABELS, label
        items += [(label, item.strip()) for item in rest.split("|")]
    return items


def entities(text: str, spec: str) -> list[tuple[int, int, str]]:
    placed: list[tuple[int, int, str]] = []
    star = []
    for label, item in _ent_items(spec):
        if m := re.fullmatch(r"(.+)\*(\d+)", item):
            star.append((label, m.group(1), int(m.group(2))))
            continue
        if m := re.fullmatch(r"(.+)#(\d+)", item):
            loc = (m.group(1), int(m.group(2)))
        elif " ~ " in item:
            target, ctx = item.split(" ~ ")
            loc = (target, "in", ctx)
        else:
            loc = item
        s, e, _ = locate(text, loc)
        placed.append((s, e, label))
    for label, target, n in sorted(star, key=lambda t: -len(t[1])):
        free = [
            o
            for o in _word_occurrences(text, target)
            if not any(s <= o and o + len(target) <= e for s, e, _ in placed)
        ]
        assert len(free) == n, f"{target!r}: {len(free)} free occurrences, not {n}"
        placed += [(o, o + len(target), label) for o in free]
    placed.sort()
    assert len(set(placed)) == len(placed), "an entity is given twice"
    for (s1, e1, l1), (s2, e2, l2) in itertools.pairwise(placed):
        assert e1 <= s2, f"entities overlap: {text[s1:e1]!r} {l1} / {text[s2:e2]!r} {l2}"
    return placed


def build(idx: int, art: dict) -> dict:
    text = art["text"]
    spans: dict[tuple[int, int, str], dict] = {}
    relations = []

    def add(loc, label, kind=None):
        s, e, t = locate(text, loc)
        span = {"start": s, "end": e, "label": label, "layer": "quotes"}
        if kind:
            span["kind"] = kind
        span["text"] = t
        key = (s, e, label)
        if key in spans:
            assert spans[key] == span, (spans[key], span)
        spans[key] = span
        return {"start": s, "end": e, "label": label}

    for kind, q, sp, cue in art["quotes"]:
        assert kind in ("direct", "indirect", "mixed"), kind
        qref = add(q, "QUOTE", kind)
        qt = text[qref["start"] : qref["end"]]
        marks = any(c in qt for c in OPEN + CLOSE)
        if kind == "direct":  # the whole quoted passage, marks included (a paragraph may
            # end inside a quote that the next paragraph continues)
            assert qt[0] in OPEN, qt
            assert qt[-1] in CLOSE or text[qref["end"]] == "\n", qt
        else:
            assert marks == (kind == "mixed"), (kind, qt)
            assert not qt.startswith("that "), qt  # the complementiser is left out
            assert qt[-1] not in ".,", qt  # final period / comma before the cue left out
        assert sp is not None, f"every quote here has a stated source: {qt!r}"
        relations.append({"label": "speaker", "head_span": qref, "child_span": add(sp, "SPEAKER")})
        if cue is not None:
            relations.append({"label": "cue", "head_span": qref, "child_span": add(cue, "CUE")})

    # quotes do not overlap each other; SPEAKER and CUE lie outside every QUOTE
    qs = sorted((s, e) for (s, e, lab) in spans if lab == "QUOTE")
    for (s1, e1), (s2, e2) in itertools.pairwise(qs):
        assert e1 <= s2, (text[s1:e1], text[s2:e2])
    for s, e, lab in spans:
        if lab != "QUOTE":
            assert all(e <= a or s >= b for a, b in qs), (lab, text[s:e])

    ents = [
        {"start": s, "end": e, "label": lab, "layer": "ents", "text": text[s:e]}
        for s, e, lab in entities(text, art["ents"])
    ]
    all_spans = ents + list(spans.values())
    for sp_ in all_spans:
        s, e = sp_["start"], sp_["end"]
        assert 0 <= s < e <= len(text) and text[s:e] == sp_["text"] == sp_["text"].strip()

    words = len(text.split())
    assert 250 <= words <= 600, (idx, words)
    return {
        "text": text,
        "meta": {
            "source": f"heldout_news/{idx:02d}",
            "topic": art["topic"],
            "license": "CC0-1.0",
            "layers": ["ents", "quotes"],
        },
        "spans": sorted(all_spans, key=lambda d: (d["start"], d["end"], d["layer"], d["label"])),
        "relations": relations,
        "answer": "accept",
        "_annotator_id": "gold",
    }


def main() -> None:
    rows = []
    for i, a in enumerate(ARTICLES, start=1):
        try:
            rows.append(build(i, a))
        except AssertionError as exc:
            raise SystemExit(f"article {i:02d}: {exc}") from exc
    assert len({r["text"] for r in rows}) == len(rows), "an article is given twice"
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds: Counter = Counter()
    labels: Counter = Counter()
    words = n_rel = no_cue = 0
    for row in rows:
        k = Counter(s["kind"] for s in row["spans"] if s["label"] == "QUOTE")
        e = sum(1 for s in row["spans"] if s["layer"] == "ents")
        print(f"{row['meta']['source']} {row['meta']['topic']:<16} {len(row['text'].split()):>4} words  {e:>3} entities  {dict(k)}")
        kinds += k
        labels += Counter(s["label"] for s in row["spans"])
        words += len(row["text"].split())
        n_rel += len(row["relations"])
        heads = {(r["head_span"]["start"], r["head_span"]["end"]) for r in row["relations"] if r["label"] == "cue"}
        no_cue += sum(1 for s in row["spans"] if s["label"] == "QUOTE" and (s["start"], s["end"]) not in heads)
    n_ents = sum(n for lab, n in labels.items() if lab in ENT_LABELS)
    print(f"\n{OUT.name}: {len(rows)} articles, {words} words")
    print(f"quotes: {sum(kinds.values())} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
          f"{labels['SPEAKER']} SPEAKER and {labels['CUE']} CUE spans, {n_rel} relations, {no_cue} quotes without a cue")
    print(f"entities: {n_ents} ({', '.join(f'{lab} {labels[lab]}' for lab in sorted(ENT_LABELS) if labels[lab])})")


if __name__ == "__main__":
    main()
