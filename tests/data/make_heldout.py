"""Build tests/data/heldout_quotes.jsonl: six original news-style articles (CC0-1.0)
with hand-made gold annotations of the quotes layer (QUOTE/SPEAKER/CUE + relations).

The articles were written for this file, before looking at the quote rules, so they can
serve as a held-out evaluation set. Annotation follows the quote scheme of docs/QUOTES.md
(resources/guidelines.md in short). Offsets are computed here and checked.

Run:  python tests/data/make_heldout.py
"""

# ruff: noqa: E501  (article paragraphs and gold spans are kept on one line each)
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

OUT = Path(__file__).with_name("heldout_quotes.jsonl")


def article(*paragraphs: str) -> str:
    return "\n".join(paragraphs) + "\n"


# A locator is either a string (must occur exactly once in the article), or a tuple
# (target, n) = the n-th (0-based) whole-word occurrence, or (target, "in", context) =
# the first occurrence of target inside the unique string context.

ARTICLES: list[dict] = []

# ---------------------------------------------------------------- 01 city council (straight)
ARTICLES.append(
    {
        "text": article(
            'Council approves bus lane plan after heated debate',
            'HARTWELL, Ohio (Wire) - The Hartwell City Council voted 5-2 on Tuesday night to convert two lanes of Main Street into dedicated bus lanes, ending months of argument over the so-called "war on cars."',
            'Mayor Denise Alvarez said the plan would cut commute times for thousands of residents who rely on public transit. "This is the most important vote this council has taken in a decade," Alvarez told reporters after the meeting. "We listened, we adjusted, and now we build."',
            'Councilman Robert Kessler, who voted against the measure, argued that small businesses on Main Street would lose customers who can no longer park in front of their shops. He said the city had failed to study the economic impact and called the public consultation "a box-ticking exercise."',
            '"Nobody asked the bakery owners," Kessler said. "Nobody asked the pharmacist who has been on that corner for thirty years."',
            "According to a city transportation department report, buses on the corridor currently carry about 11,000 riders a day, and travel times could fall by as much as 20% once the lanes open.",
            'The measure drew more than 80 speakers during the public comment period. Linda Osei, a nurse who commutes from the east side, said she spends nearly two hours a day on the bus. "If this saves me 15 minutes each way, that is time I get back with my kids," she said.',
            "Tom Becker, who owns Main Street Hardware, told the council that sales had already dropped during last year's road repairs and warned that some stores might not survive another construction season.",
            "A spokeswoman for the transportation department said construction would begin in March and would be completed before the end of the year. She added that temporary parking would be provided on two side streets.",
            'Alvarez, asked whether the city would revisit the decision if businesses closed, said the council would review traffic and sales data after twelve months. "We are not blind to the risks," she said, "but doing nothing has risks too."',
            'The plan, known at City Hall as "Main Street Moves," is expected to cost $14 million, most of it covered by a federal grant.',
        ),
        "quotes": [
            ("indirect", "the plan would cut commute times for thousands of residents who rely on public transit", "Mayor Denise Alvarez", ("said", 0)),
            ("direct", '"This is the most important vote this council has taken in a decade,"', ("Alvarez", 1), "told reporters"),
            ("direct", '"We listened, we adjusted, and now we build."', ("Alvarez", 1), "told reporters"),
            ("indirect", "small businesses on Main Street would lose customers who can no longer park in front of their shops", "Councilman Robert Kessler", "argued"),
            ("indirect", "the city had failed to study the economic impact", ("He", 0), ("said", "in", "He said the city")),
            ("mixed", 'the public consultation "a box-ticking exercise."', ("He", 0), ("called", "in", "and called the public")),
            ("direct", '"Nobody asked the bakery owners,"', ("Kessler", 1), ("said", "in", 'Kessler said. "Nobody')),
            ("direct", '"Nobody asked the pharmacist who has been on that corner for thirty years."', ("Kessler", 1), ("said", "in", 'Kessler said. "Nobody')),
            ("indirect", "buses on the corridor currently carry about 11,000 riders a day, and travel times could fall by as much as 20% once the lanes open", "a city transportation department report", "According to"),
            ("indirect", "she spends nearly two hours a day on the bus", "Linda Osei", ("said", "in", "side, said she")),
            ("direct", '"If this saves me 15 minutes each way, that is time I get back with my kids,"', ("she", "in", 'kids," she said'), ("said", "in", 'kids," she said')),
            ("indirect", "sales had already dropped during last year's road repairs", "Tom Becker", ("told", "in", "Hardware, told the council")),
            ("indirect", "some stores might not survive another construction season", "Tom Becker", "warned"),
            ("indirect", "construction would begin in March and would be completed before the end of the year", "A spokeswoman for the transportation department", ("said", "in", "department said construction")),
            ("indirect", "temporary parking would be provided on two side streets", "She", "added"),
            ("indirect", "the council would review traffic and sales data after twelve months", ("Alvarez", "in", "Alvarez, asked"), ("said", "in", "closed, said the council")),
            ("direct", '"We are not blind to the risks,"', ("she", "in", 'risks," she said'), ("said", "in", 'risks," she said')),
            ("direct", '"but doing nothing has risks too."', ("she", "in", 'risks," she said'), ("said", "in", 'risks," she said')),
        ],
    }
)

# ---------------------------------------------------------------- 02 sports transfer (curly)
ARTICLES.append(
    {
        "text": article(
            "Rovers sign Brazilian striker Lucas Ferreira in record deal",
            "LONDON (Wire) — Northbridge Rovers have signed Brazilian striker Lucas Ferreira from Porto for a club-record fee of 48 million pounds, the Premier League side announced on Friday.",
            "The 23-year-old, who scored 27 goals in all competitions last season, has agreed a five-year contract with an option for a further year, the club said in a statement.",
            "“Lucas is exactly the kind of forward we have been chasing for two years,” said manager Graham Whitlock. “He is quick, he is brave and he finishes with both feet.”",
            "Whitlock told reporters at the club’s training ground that Ferreira would travel with the squad for next week’s match against Everton but was unlikely to start. He described the fee as “the going rate for a striker of his age” and said the club had not overpaid.",
            "Ferreira, speaking through an interpreter, said he had dreamed of playing in England since he was a boy watching matches with his father in Recife.",
            "“My father is crying today,” he said. “For him this is bigger than the World Cup.”",
            "According to people familiar with the negotiations, Porto initially asked for 60 million pounds and only lowered their demand after Ferreira told the Portuguese club he wanted to leave.",
            "Porto president Andre Vilas said the club had received “a fair price” for a player it had developed since the age of 14. He insisted that the sale would not weaken Porto’s title challenge.",
            "The transfer makes Ferreira the most expensive signing in Rovers’ history, surpassing the 41 million pounds paid for midfielder Sam Okafor in 2021. Okafor, nicknamed “the Engine” by supporters, posted a welcome message on social media within minutes of the announcement.",
            "Analysts were divided. Former Rovers captain Ian Dorsey, now a television pundit, warned that the club was spending heavily on attack while its defence remained “a mess.”",
            "“You can score three goals a game and still finish tenth,” Dorsey said.",
            "Ferreira’s arrival will feature in the second season of the club’s documentary series “Inside the Blue Wall,” which is due to air in the spring.",
        ),
        "quotes": [
            ("indirect", "Northbridge Rovers have signed Brazilian striker Lucas Ferreira from Porto for a club-record fee of 48 million pounds", "the Premier League side", "announced"),
            ("indirect", "The 23-year-old, who scored 27 goals in all competitions last season, has agreed a five-year contract with an option for a further year", ("the club", "in", "the club said in a statement"), ("said", "in", "the club said in a statement")),
            ("direct", "“Lucas is exactly the kind of forward we have been chasing for two years,”", "manager Graham Whitlock", ("said", "in", "said manager")),
            ("direct", "“He is quick, he is brave and he finishes with both feet.”", "manager Graham Whitlock", ("said", "in", "said manager")),
            ("indirect", "Ferreira would travel with the squad for next week’s match against Everton but was unlikely to start", ("Whitlock", "in", "Whitlock told"), "told reporters"),
            ("mixed", "the fee as “the going rate for a striker of his age”", ("He", "in", "He described"), "described"),
            ("indirect", "the club had not overpaid", ("He", "in", "He described"), ("said", "in", "and said the club")),
            ("indirect", "he had dreamed of playing in England since he was a boy watching matches with his father in Recife", ("Ferreira", "in", "Ferreira, speaking"), ("said", "in", "interpreter, said")),
            ("direct", "“My father is crying today,”", ("he", "in", "today,” he said"), ("said", "in", "today,” he said")),
            ("direct", "“For him this is bigger than the World Cup.”", ("he", "in", "today,” he said"), ("said", "in", "today,” he said")),
            ("indirect", "Porto initially asked for 60 million pounds and only lowered their demand after Ferreira told the Portuguese club he wanted to leave", "people familiar with the negotiations", "According to"),
            ("mixed", "the club had received “a fair price” for a player it had developed since the age of 14", "Porto president Andre Vilas", ("said", "in", "Vilas said")),
            ("indirect", "the sale would not weaken Porto’s title challenge", ("He", "in", "He insisted"), "insisted"),
            ("mixed", "the club was spending heavily on attack while its defence remained “a mess.”", "Former Rovers captain Ian Dorsey", "warned"),
            ("direct", "“You can score three goals a game and still finish tenth,”", ("Dorsey", "in", "Dorsey said"), ("said", "in", "Dorsey said")),
        ],
    }
)

# ---------------------------------------------------------------- 03 court ruling (curly, colon)
ARTICLES.append(
    {
        "text": article(
            "Appeals court strikes down California ban on ride-share drivers’ union",
            "SACRAMENTO, Calif. (Wire) — A federal appeals court on Wednesday struck down a California law that barred ride-share drivers from forming a union, ruling that the state had overstepped its authority under federal labor law.",
            "In a 2-1 decision, the Ninth Circuit panel found that the 2022 statute conflicted with the National Labor Relations Act. Writing for the majority, Judge Helen Marsh said the state “cannot regulate by the back door what Congress has reserved for the front.”",
            "Judge Carlos Ibarra dissented. He wrote that the majority had read federal law too broadly and warned that the ruling would leave hundreds of thousands of workers without any path to collective bargaining.",
            "The case was brought by the Drivers Alliance of California, which represents about 30,000 app-based drivers. Alliance president Maria Delgado said: “Today the court told us that we exist. We have been fighting for this for six years, and we are not stopping now.”",
            "Lawyers for the state had argued that the law protected consumers from sudden fare increases. A spokeswoman for the California attorney general’s office said the state was reviewing the decision and had not decided whether to seek a rehearing before the full court.",
            "“We respect the court’s process,” the spokeswoman said, “and we will consider every option available to us.”",
            "Industry groups reacted with caution. A spokesman for the App Transport Coalition, which lobbied for the law, called the ruling “a step backward for riders and drivers alike.”",
            "Legal experts said the decision could reach the Supreme Court. According to Professor Alan Whitfield of Stanford Law School, the ruling “sets up a clean conflict” with a 2019 decision from the Fifth Circuit.",
            "“When two circuits disagree this sharply, the justices tend to pay attention,” Whitfield said in an interview. He added that a final decision was unlikely before 2026.",
            "Drivers gathered outside the courthouse in the afternoon, some carrying signs with the slogan “Union Now.” Delgado told the crowd that the fight was “far from over” and urged drivers to sign membership cards before the end of the month.",
        ),
        "quotes": [
            ("indirect", "the state had overstepped its authority under federal labor law", "A federal appeals court", ("ruling", "in", "union, ruling that")),
            ("indirect", "the 2022 statute conflicted with the National Labor Relations Act", "the Ninth Circuit panel", "found"),
            ("mixed", "the state “cannot regulate by the back door what Congress has reserved for the front.”", "Judge Helen Marsh", ("said", "in", "Marsh said")),
            ("indirect", "the majority had read federal law too broadly", ("He", "in", "He wrote"), "wrote"),
            ("indirect", "the ruling would leave hundreds of thousands of workers without any path to collective bargaining", ("He", "in", "He wrote"), "warned"),
            ("direct", "“Today the court told us that we exist. We have been fighting for this for six years, and we are not stopping now.”", "Alliance president Maria Delgado", ("said", "in", "Delgado said:")),
            ("indirect", "the law protected consumers from sudden fare increases", "Lawyers for the state", "argued"),
            ("indirect", "the state was reviewing the decision and had not decided whether to seek a rehearing before the full court", "A spokeswoman for the California attorney general’s office", ("said", "in", "office said")),
            ("direct", "“We respect the court’s process,”", "the spokeswoman", ("said", "in", "the spokeswoman said")),
            ("direct", "“and we will consider every option available to us.”", "the spokeswoman", ("said", "in", "the spokeswoman said")),
            ("mixed", "the ruling “a step backward for riders and drivers alike.”", "A spokesman for the App Transport Coalition", "called"),
            ("indirect", "the decision could reach the Supreme Court", "Legal experts", ("said", "in", "experts said")),
            ("mixed", "the ruling “sets up a clean conflict” with a 2019 decision from the Fifth Circuit", "Professor Alan Whitfield of Stanford Law School", "According to"),
            ("direct", "“When two circuits disagree this sharply, the justices tend to pay attention,”", ("Whitfield", "in", "Whitfield said in"), ("said", "in", "Whitfield said in")),
            ("indirect", "a final decision was unlikely before 2026", ("He", "in", "He added"), "added"),
            ("mixed", "the fight was “far from over”", ("Delgado", "in", "Delgado told"), ("told", "in", "Delgado told")),
            ("indirect", "drivers to sign membership cards before the end of the month", ("Delgado", "in", "Delgado told"), "urged"),
        ],
    }
)

# ---------------------------------------------------------------- 04 earnings call (straight)
ARTICLES.append(
    {
        "text": article(
            "Halvorsen Foods beats profit forecasts as price increases stick",
            "MINNEAPOLIS (Wire) - Halvorsen Foods Inc. on Thursday posted third-quarter profit that beat Wall Street expectations, as higher prices for its frozen meals and snacks offset a slight decline in sales volumes.",
            "Net income rose 12% to $318 million, or $1.42 a share, from $284 million a year earlier. Analysts polled by FactSet had expected $1.31 a share. Revenue was flat at $4.1 billion.",
            '"We asked a lot of our consumers this year, and they stayed with us," Chief Executive Karen Lindqvist told analysts on a conference call. "That loyalty is something we do not take for granted."',
            "Lindqvist said the company would hold prices steady through the holiday season and would put more money into promotions in the fourth quarter. She acknowledged that volumes in the frozen aisle had fallen for a third straight quarter as shoppers switched to cheaper store brands.",
            'Chief Financial Officer Mark Osterberg said the company now expects full-year earnings of $5.60 to $5.70 a share, up from a previous forecast of $5.45 to $5.60. He told analysts that cost savings from the closure of two plants in Iowa were arriving "faster than planned."',
            'Asked about the impact of weight-loss drugs on demand for snacks, Osterberg said it was "too early to draw conclusions." "We see some shifts in basket size," he said. "We do not yet see a trend."',
            "Shares of Halvorsen rose 4.6% in afternoon trading in New York.",
            "According to Jefferies analyst Priya Raman, the results show that the company's \"premium push\" is working, although she cautioned that promotional spending would weigh on margins next year.",
            'Not everyone was convinced. "They are buying growth with discounts," said Daniel Cho, a portfolio manager at Brightwater Capital, which holds a small stake in the company. "At some point the bill arrives."',
            'The company also confirmed that a new line of high-protein meals would launch in Canada in January. The meals will be sold under the "Better Bowl" brand. Halvorsen will hold its annual investor day in March, it said.',
        ),
        "quotes": [
            ("direct", '"We asked a lot of our consumers this year, and they stayed with us,"', "Chief Executive Karen Lindqvist", ("told", "in", "Lindqvist told analysts")),
            ("direct", '"That loyalty is something we do not take for granted."', "Chief Executive Karen Lindqvist", ("told", "in", "Lindqvist told analysts")),
            ("indirect", "the company would hold prices steady through the holiday season and would put more money into promotions in the fourth quarter", ("Lindqvist", "in", "Lindqvist said"), ("said", "in", "Lindqvist said")),
            ("indirect", "volumes in the frozen aisle had fallen for a third straight quarter as shoppers switched to cheaper store brands", ("She", "in", "She acknowledged"), "acknowledged"),
            ("indirect", "the company now expects full-year earnings of $5.60 to $5.70 a share, up from a previous forecast of $5.45 to $5.60", "Chief Financial Officer Mark Osterberg", ("said", "in", "Osterberg said the company")),
            ("mixed", 'cost savings from the closure of two plants in Iowa were arriving "faster than planned."', ("He", "in", "He told analysts"), ("told", "in", "He told analysts")),
            ("mixed", 'it was "too early to draw conclusions."', ("Osterberg", "in", "Osterberg said it"), ("said", "in", "Osterberg said it")),
            ("direct", '"We see some shifts in basket size,"', ("he", "in", 'size," he said'), ("said", "in", 'size," he said')),
            ("direct", '"We do not yet see a trend."', ("he", "in", 'size," he said'), ("said", "in", 'size," he said')),
            ("mixed", 'the results show that the company\'s "premium push" is working', "Jefferies analyst Priya Raman", "According to"),
            ("indirect", "promotional spending would weigh on margins next year", ("she", "in", "she cautioned"), "cautioned"),
            ("direct", '"They are buying growth with discounts,"', "Daniel Cho", ("said", "in", "said Daniel Cho")),
            ("direct", '"At some point the bill arrives."', "Daniel Cho", ("said", "in", "said Daniel Cho")),
            ("indirect", "a new line of high-protein meals would launch in Canada in January", ("The company", "in", "The company also confirmed"), "confirmed"),
            ("indirect", "Halvorsen will hold its annual investor day in March", ("it", "in", "March, it said"), ("said", "in", "March, it said")),
        ],
    }
)

# ---------------------------------------------------------------- 05 weather disaster (curly, multi-paragraph)
ARTICLES.append(
    {
        "text": article(
            "Flash floods kill at least 14 in northern Vellmar province",
            "RIVERTON (Wire) — Flash floods triggered by two days of torrential rain have killed at least 14 people and forced more than 9,000 from their homes in the northern province of Vellmar, officials said on Sunday.",
            "A spokeswoman for the national disaster agency told reporters that rescue teams were still searching for at least 20 people reported missing in the hill villages east of Riverton, where landslides had cut the main road.",
            "“Some of these villages can only be reached by helicopter at the moment,” she said. “We have two aircraft in the area and a third arriving tonight.”",
            "The weather service said more than 310 millimetres of rain had fallen in 48 hours, nearly twice the monthly average, and warned that further storms were expected on Tuesday.",
            "Provincial governor Aidan Roche, who visited an evacuation centre in a school gymnasium, described the damage as “the worst this province has seen in living memory.” He said the provincial government would release emergency funds on Monday.",
            "Residents said a wall of water swept through the lower town shortly after midnight. Marta Kelso, 61, said she woke up to find water up to her knees in the bedroom.",
            "“I grabbed my grandson and my phone and nothing else,” Kelso said. “By the time we got up the hill, the street had become a river.",
            "“Our neighbours lost their car, their furniture, everything. They were lucky to get out alive.",
            "“I don’t know when we will be able to go home.”",
            "According to the Red Cross, about 1,200 people were sleeping in temporary shelters on Sunday night, and supplies of clean water were running low.",
            "Environmental groups said the disaster showed the need for better flood defences. The province’s so-called “green dykes” programme, launched in 2019, has been delayed by funding disputes.",
            "Critics have questioned the government’s preparations. Opposition lawmaker Sunita Baird said the flood maps used by planners were ten years out of date and called the delays “a scandal.”",
            "Officials at the agency rejected the criticism. “This was an extreme event by any measure, and our teams responded within the hour,” they said in a written statement.",
        ),
        "quotes": [
            ("indirect", "Flash floods triggered by two days of torrential rain have killed at least 14 people and forced more than 9,000 from their homes in the northern province of Vellmar", "officials", ("said", "in", "officials said")),
            ("indirect", "rescue teams were still searching for at least 20 people reported missing in the hill villages east of Riverton, where landslides had cut the main road", "A spokeswoman for the national disaster agency", "told reporters"),
            ("direct", "“Some of these villages can only be reached by helicopter at the moment,”", ("she", "in", "moment,” she said"), ("said", "in", "moment,” she said")),
            ("direct", "“We have two aircraft in the area and a third arriving tonight.”", ("she", "in", "moment,” she said"), ("said", "in", "moment,” she said")),
            ("indirect", "more than 310 millimetres of rain had fallen in 48 hours, nearly twice the monthly average", "The weather service", ("said", "in", "service said")),
            ("indirect", "further storms were expected on Tuesday", "The weather service", "warned"),
            ("mixed", "the damage as “the worst this province has seen in living memory.”", "Provincial governor Aidan Roche", "described"),
            ("indirect", "the provincial government would release emergency funds on Monday", ("He", "in", "He said the provincial"), ("said", "in", "He said the provincial")),
            ("indirect", "a wall of water swept through the lower town shortly after midnight", "Residents", ("said", "in", "Residents said")),
            ("indirect", "she woke up to find water up to her knees in the bedroom", "Marta Kelso", ("said", "in", "61, said")),
            ("direct", "“I grabbed my grandson and my phone and nothing else,”", ("Kelso", "in", "Kelso said. “By"), ("said", "in", "Kelso said. “By")),
            ("direct", "“By the time we got up the hill, the street had become a river.", ("Kelso", "in", "Kelso said. “By"), ("said", "in", "Kelso said. “By")),
            ("direct", "“Our neighbours lost their car, their furniture, everything. They were lucky to get out alive.", ("Kelso", "in", "Kelso said. “By"), ("said", "in", "Kelso said. “By")),
            ("direct", "“I don’t know when we will be able to go home.”", ("Kelso", "in", "Kelso said. “By"), ("said", "in", "Kelso said. “By")),
            ("indirect", "about 1,200 people were sleeping in temporary shelters on Sunday night, and supplies of clean water were running low", "the Red Cross", "According to"),
            ("indirect", "the disaster showed the need for better flood defences", "Environmental groups", ("said", "in", "groups said")),
            ("indirect", "the flood maps used by planners were ten years out of date", "Opposition lawmaker Sunita Baird", ("said", "in", "Baird said")),
            ("mixed", "the delays “a scandal.”", "Opposition lawmaker Sunita Baird", ("called", "in", "called the delays")),
            ("direct", "“This was an extreme event by any measure, and our teams responded within the hour,”", ("they", "in", "they said in a written"), ("said", "in", "they said in a written")),
        ],
    }
)

# ---------------------------------------------------------------- 06 science discovery (curly)
ARTICLES.append(
    {
        "text": article(
            "Astronomers detect water vapour on a temperate rocky exoplanet",
            "GENEVA (Wire) — An international team of astronomers has detected water vapour in the atmosphere of a rocky planet orbiting a nearby red dwarf star, a finding the researchers said could reshape the search for habitable worlds.",
            "The planet, known as TOI-2231 b, is about 1.4 times the size of Earth and lies 48 light-years away in the constellation Lyra. The results were published on Wednesday in the journal Nature Astronomy under the title “A humid atmosphere on a temperate super-Earth.”",
            "“We were honestly not expecting to see such a clear signal,” said Dr. Ines Moreau, an astrophysicist at the University of Geneva who led the study. “When the first spectrum came in, we checked it three times before we told anyone.”",
            "The team used the James Webb Space Telescope to observe the planet as it passed in front of its star on four occasions. According to the paper, the water signal was detected with a confidence of more than 99.9%.",
            "Moreau cautioned that the presence of water vapour did not mean the planet was habitable, let alone inhabited. The surface could still be too hot, she said, depending on how thick the atmosphere turned out to be.",
            "“Water is a necessary ingredient, not a sufficient one,” she said.",
            "Other scientists welcomed the discovery but urged caution. Professor Kenji Sato of the University of Tokyo, who was not involved in the research, called the detection “a genuine milestone” but said that stellar activity could mimic some of the features in the data.",
            "“Red dwarfs are noisy neighbours,” Sato said. “Their flares and starspots can leave fingerprints that look a lot like an atmosphere.”",
            "The authors wrote that they had modelled the effect of starspots and found it could not explain the signal on its own.",
            "The discovery comes as space agencies debate the design of the proposed “Habitable Worlds Observatory,” a telescope that would search for signs of life around Sun-like stars in the 2040s. A NASA spokesman said the agency was “following the result with great interest” and that it would help shape the observatory’s science goals.",
            "Moreau said her team had already requested more observing time for next year. “If the signal holds up,” she said, “this planet becomes the first place we look.”",
        ),
        "quotes": [
            ("indirect", "could reshape the search for habitable worlds", "the researchers", ("said", "in", "researchers said")),
            ("direct", "“We were honestly not expecting to see such a clear signal,”", "Dr. Ines Moreau", ("said", "in", "said Dr.")),
            ("direct", "“When the first spectrum came in, we checked it three times before we told anyone.”", "Dr. Ines Moreau", ("said", "in", "said Dr.")),
            ("indirect", "the water signal was detected with a confidence of more than 99.9%", "the paper", "According to"),
            ("indirect", "the presence of water vapour did not mean the planet was habitable, let alone inhabited", ("Moreau", "in", "Moreau cautioned"), "cautioned"),
            ("indirect", "The surface could still be too hot", ("she", "in", "hot, she said"), ("said", "in", "hot, she said")),
            ("indirect", "depending on how thick the atmosphere turned out to be", ("she", "in", "hot, she said"), ("said", "in", "hot, she said")),
            ("direct", "“Water is a necessary ingredient, not a sufficient one,”", ("she", "in", "one,” she said"), ("said", "in", "one,” she said")),
            ("mixed", "the detection “a genuine milestone”", "Professor Kenji Sato of the University of Tokyo", "called"),
            ("indirect", "stellar activity could mimic some of the features in the data", "Professor Kenji Sato of the University of Tokyo", ("said", "in", "but said that stellar")),
            ("direct", "“Red dwarfs are noisy neighbours,”", ("Sato", "in", "Sato said"), ("said", "in", "Sato said")),
            ("direct", "“Their flares and starspots can leave fingerprints that look a lot like an atmosphere.”", ("Sato", "in", "Sato said"), ("said", "in", "Sato said")),
            ("indirect", "they had modelled the effect of starspots and found it could not explain the signal on its own", "The authors", "wrote"),
            ("mixed", "the agency was “following the result with great interest” and that it would help shape the observatory’s science goals", "A NASA spokesman", ("said", "in", "spokesman said")),
            ("indirect", "her team had already requested more observing time for next year", ("Moreau", "in", "Moreau said her"), ("said", "in", "Moreau said her")),
            ("direct", "“If the signal holds up,”", ("she", "in", "up,” she said"), ("said", "in", "up,” she said")),
            ("direct", "“this planet becomes the first place we look.”", ("she", "in", "up,” she said"), ("said", "in", "up,” she said")),
        ],
    }
)


def _word_occurrences(text: str, target: str) -> list[int]:
    pat = re.escape(target)
    if target[0].isalnum():
        pat = r"(?<!\w)" + pat
    if target[-1].isalnum():
        pat = pat + r"(?!\w)"
    return [m.start() for m in re.finditer(pat, text)]


def locate(text: str, loc) -> tuple[int, int, str]:
    if isinstance(loc, str):
        occ = _word_occurrences(text, loc)
        assert len(occ) == 1, f"{loc!r} occurs {len(occ)} times; give an occurrence"
        start, target = occ[0], loc
    elif len(loc) == 2:
        target, n = loc
        start = _word_occurrences(text, target)[n]
    else:
        target, _, ctx = loc
        assert text.count(ctx) == 1, f"context {ctx!r} occurs {text.count(ctx)} times"
        start = text.index(ctx) + _word_occurrences(ctx, target)[0]
    end = start + len(target)
    assert text[start:end] == target
    assert target == target.strip()
    return start, end, target


def build(idx: int, art: dict) -> dict:
    text = art["text"]
    spans: dict[tuple[int, int, str], dict] = {}
    relations = []

    def add(loc, label, kind=None):
        s, e, t = locate(text, loc)
        key = (s, e, label)
        span = {"start": s, "end": e, "label": label, "layer": "quotes"}
        if kind:
            span["kind"] = kind
        span["text"] = t
        if key in spans:
            assert spans[key] == span, (spans[key], span)
        spans[key] = span
        return {"start": s, "end": e, "label": label}

    for kind, q, sp, cue in art["quotes"]:
        assert kind in ("direct", "indirect", "mixed")
        qref = add(q, "QUOTE", kind)
        qt = text[qref["start"] : qref["end"]]
        has_marks = any(c in qt for c in "\"“”")
        if kind == "direct":
            assert qt[0] in "\"“", qt
        else:
            assert has_marks == (kind == "mixed"), qt
        relations.append({"label": "speaker", "head_span": qref, "child_span": add(sp, "SPEAKER")})
        relations.append({"label": "cue", "head_span": qref, "child_span": add(cue, "CUE")})

    # quotes must not overlap each other; SPEAKER/CUE must lie outside all QUOTEs
    qs = sorted((s, e) for (s, e, lab) in spans if lab == "QUOTE")
    for (s1, e1), (s2, e2) in itertools.pairwise(qs):
        assert e1 <= s2, (text[s1:e1], text[s2:e2])
    for s, e, lab in spans:
        if lab != "QUOTE":
            assert all(e <= qs_ or s >= qe for qs_, qe in qs), (lab, text[s:e])

    words = len(text.split())
    assert 250 <= words <= 450, (idx, words)
    return {
        "text": text,
        "meta": {"source": f"heldout/{idx:02d}", "license": "CC0-1.0", "layers": ["quotes"]},
        "spans": sorted(spans.values(), key=lambda d: (d["start"], d["end"], d["label"])),
        "relations": relations,
        "answer": "accept",
        "_annotator_id": "gold",
    }


def main() -> None:
    rows = [build(i, a) for i, a in enumerate(ARTICLES, start=1)]
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    for row in rows:
        kinds = {}
        for s in row["spans"]:
            if s["label"] == "QUOTE":
                kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
        print(row["meta"]["source"], len(row["text"].split()), "words", kinds)


if __name__ == "__main__":
    main()
