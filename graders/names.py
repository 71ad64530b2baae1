"""Which file is which day. `day3.py` is Day 3; so are `Day3.py`, `day03.py`, `day3 (1).py` (how
a browser names a second download) and, for Day 6, the curriculum's own `neural_net.py`, when
no other file claims the day. Names that only look like a day file (`dayone.py`, `day1.txt`,
`day1.py.txt`) are never graded, but a missing day names them. Every way in (`make grade`, a
class's folders and zips, Gradescope) decides with `resolve`.

A notebook, `day3.ipynb`, is a day file too (submission.py reads it); beside a `.py` of the
same rank, the `.py` is graded.
"""
import re
from dataclasses import dataclass, field

from graders import escaping

DAYS = range(1, 8)
EXTENSIONS = (".py", ".ipynb")  # the kinds of day file graded, the first the kit's own
ALIASES = {"neural_net": 6}  # the curriculum's names for a day's file
WORDS = ("one", "two", "three", "four", "five", "six", "seven")
COPY = r"(?:\s*\(\d{1,3}\))?"  # ` (1)`: a second download of the same name
LOOSE = re.compile(rf"day[\s_-]?0*(?P<day>[1-7]){COPY}", re.IGNORECASE)
ALIAS = re.compile(rf"(?P<alias>{'|'.join(ALIASES)}){COPY}", re.IGNORECASE)
NEAR = re.compile(rf"day[\s_-]*(?:0*(?P<day>[1-7])(?!\d)|(?P<word>{'|'.join(WORDS)}))"
                  rf"|(?P<alias>{'|'.join(ALIASES)})", re.IGNORECASE)
RANKS = ("exact", "loose")  # the kinds of name that are graded, best first; then "near"


def canonical(day):
    """day3 -> 'day3.py', the kit's name for a day's file."""
    return f"day{day}{EXTENSIONS[0]}"


def day_of(name):
    """(day, how) for a file name: how is `exact` (day3.py), `loose` (graded as day3.py) or
    `near` (looks like day 3, never graded); None for any other name."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem and f".{ext.lower()}" in EXTENSIONS:
        if re.fullmatch(r"day[1-7]", stem) and f".{ext}" in EXTENSIONS:
            return int(stem[3]), "exact"
        if m := LOOSE.fullmatch(stem):
            return int(m["day"]), "loose"
        if m := ALIAS.fullmatch(stem):
            return ALIASES[m["alias"].lower()], "loose"
    if m := NEAR.match(name):
        if m["alias"]:
            return ALIASES[m["alias"].lower()], "near"
        return (int(m["day"]) if m["day"] else WORDS.index(m["word"].lower()) + 1), "near"
    return None


@dataclass
class Choice:
    """What a folder holds for one day: the file graded as the day's (`name`, as it is named,
    or None), and the other files that look like that day's, with their kind of name."""
    day: int
    name: str | None = None
    others: dict = field(default_factory=dict)  # {file name: "exact" | "loose" | "near"}

    @property
    def canonical(self):
        return canonical(self.day)

    def notice(self):
        """What the learner is told when a name was taken loosely or another file left out;
        None when the day's file is simply `dayN.py`."""
        if self.name is None:
            return None
        left = [n for n, how in self.others.items() if how in RANKS]
        said = []
        if day_of(self.name)[1] != "exact":  # day3.ipynb is exact too; Day3.ipynb is not
            ext = next((e for e in EXTENSIONS if self.name.lower().endswith(e)), EXTENSIONS[0])
            want = f"day{self.day}{ext}"
            said.append(f"Graded {shown(self.name)} as {want}, the kit's name for "
                        f"Day {self.day}: rename it to {want}.")
        if left:
            said.append(f"Graded {shown(self.name)}; {listed(left)} "
                        f"{'is' if len(left) == 1 else 'are'} not graded: move what you need "
                        f"into {shown(self.name)} and delete {'it' if len(left) == 1 else 'them'}.")
        return " ".join(said) or None

    def missing(self, said=None):
        """`day1.py is missing; found Day1.py and day1 (1).py: keep one and name it day1.py.`:
        no file is graded as this day's, and what was found instead (`said` replaces the
        words up to the semicolon)."""
        said = said or f"{self.canonical} is missing"
        ranked = [n for n, how in self.others.items() if how in RANKS]
        if ranked:
            return f"{said}; found {listed(ranked)}: keep one and name it {self.canonical}."
        near = list(self.others)
        if near:
            which = "it" if len(near) == 1 else "the one to grade"
            return f"{said}; found {listed(near)}: rename {which} to {self.canonical}."
        return f"{said}."


def resolve(names):
    """{day: Choice} for every day from a folder's file names. The day's file is the one
    exact name (`day3.py`), else its one loose name; two candidates of the same rank make the
    day missing (the message names both), and a loose name never overrides an exact one."""
    found = {day: {} for day in DAYS}
    for name in sorted(names):
        if (hit := day_of(name)) is not None:
            found[hit[0]][name] = hit[1]
    choices = {}
    for day, files in found.items():
        choice = choices[day] = Choice(day, others=files)
        for rank in RANKS:
            best = [n for n, how in files.items() if how == rank]
            first = [n for n in best if n.lower().endswith(EXTENSIONS[0])]
            best = first if len(first) == 1 else best  # day3.py before day3.ipynb
            if best:
                if len(best) == 1:
                    choice.name = best[0]
                    choice.others = {n: h for n, h in files.items() if n != best[0]}
                break
    return choices


def shown(name):
    """A file name as a message shows it: learner text, escaped."""
    return escaping.printable(name)[:100]


def listed(names):
    """'a.py', 'a.py and b.py', 'a.py, b.py and c.py'."""
    names = [shown(n) for n in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
