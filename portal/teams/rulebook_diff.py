"""What changed between two versions of a rulebook, readable by everyone.

Each version is read as three texts (the public rules, the escalation ladder one step a line,
the team's procedures) and compared line by line with difflib; a line changed in a few words
is shown once, with those words marked. Every change is marked with <del>/<ins> *and* words
("Removed:", "Added:", "Changed:"), so it does not depend on colour, nor on a screen reader
announcing <ins>. Long runs of unchanged lines fold into "12 unchanged lines". The HTML is
written by the template (templates/teams/rulebook/includes/diff.html); this builds the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from portal.teams.models import RulebookVersion

# Unchanged lines kept around a change, for context.
CONTEXT = 2
# Below this similarity a replaced line reads better as one removed and one added.
WORD_DIFF_AT = 0.5

_WORDS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "ins" or "del"
    text: str


@dataclass
class DiffLine:
    kind: str  # "same", "added", "removed", "changed" or "skipped"
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0


@dataclass
class SectionDiff:
    title: str
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.kind not in ("same", "skipped") for line in self.lines)


def version_texts(version: RulebookVersion | None) -> dict[str, list[str]]:
    """The version's three texts as lines; steps must be prefetched or are read once."""
    if version is None:
        return {"Public rules": [], "Escalation ladder": [], "Team procedures": []}
    ladder = [f"{step.position}. {step.what}: {step.earns_it}" for step in version.steps.all()]
    if version.ladder_is_public and ladder:
        ladder.append("(shown with the public rules)")
    return {
        "Public rules": version.public_rules.splitlines(),
        "Escalation ladder": ladder,
        "Team procedures": version.team_rules.splitlines(),
    }


def _words(old: str, new: str) -> list[Segment]:
    a, b = _WORDS.split(old), _WORDS.split(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("del", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("ins", "".join(b[j1:j2])))
    return segments


def lines_diff(old: list[str], new: list[str]) -> list[DiffLine]:
    """Every line of ``new`` against ``old``, unchanged runs folded to their context."""
    full: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            full += [DiffLine("same", [Segment("same", line)]) for line in old[i1:i2]]
            continue
        removed, added = old[i1:i2], new[j1:j2]
        pairs = min(len(removed), len(added)) if tag == "replace" else 0
        for before, after in zip(removed[:pairs], added[:pairs], strict=True):
            if SequenceMatcher(None, before, after).ratio() >= WORD_DIFF_AT:
                full.append(DiffLine("changed", _words(before, after)))
            else:
                full.append(DiffLine("removed", [Segment("del", before)]))
                full.append(DiffLine("added", [Segment("ins", after)]))
        full += [DiffLine("removed", [Segment("del", line)]) for line in removed[pairs:]]
        full += [DiffLine("added", [Segment("ins", line)]) for line in added[pairs:]]
    return _fold(full)


def _fold(lines: list[DiffLine]) -> list[DiffLine]:
    near = set()
    for index, line in enumerate(lines):
        if line.kind != "same":
            near.update(range(index - CONTEXT, index + CONTEXT + 1))
    folded: list[DiffLine] = []
    for index, line in enumerate(lines):
        if line.kind != "same" or index in near:
            folded.append(line)
        elif folded and folded[-1].kind == "skipped":
            folded[-1].skipped += 1
        else:
            folded.append(DiffLine("skipped", skipped=1))
    return folded


def versions_diff(old: RulebookVersion | None, new: RulebookVersion) -> list[SectionDiff]:
    """What changed from ``old`` (None: an empty rulebook) to ``new``, section by section."""
    before, after = version_texts(old), version_texts(new)
    return [SectionDiff(title, lines_diff(before[title], after[title])) for title in after]
