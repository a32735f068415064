"""Look for answer cues in question sets (CONTENT.md rule 6) and print what is found.

Run from the repository root:

    .venv/bin/python docs/content/cue_check.py            # the shipped article sets
    .venv/bin/python docs/content/cue_check.py some.toml  # any set files

For each set it reports: absolute words in keys against wrong options; the split of
true/false keys; key positions; how often the key is the longest or the most hedged
option; items where the most hedged option is wrong and items whose key is "very
sure"; what a test-wise student who never read the article would score with common
strategies, against chance; and phrases from one question's answer that appear in
another question's text. It reads the files with tomllib only, so it runs without the
app. It is a report, not a gate: read the numbers, then read the items.
"""

from __future__ import annotations

import itertools
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = sorted((ROOT / "questions").glob("russia-troops-*.toml"))

ABSOLUTE = re.compile(
    r"\b(always|never|must|proves?|proof|fake|tricks?|lies?|lying|propaganda|worthless|"
    r"settles?|settled|all|none|only|cannot|can't|nothing|nobody|no one|every|everything|"
    r"anything|certainly|definitely|exactly|completely|entirely|impossible|whatever)\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"\b(may|might|could|perhaps|probably|possibly|likely|unclear|uncertain|not yet|"
    r"at most|some|partly|suggests?|seems?|appears?|not necessarily|unless|until|"
    r"fairly|roughly|about|still to|to be checked|open)\b",
    re.IGNORECASE,
)
CHOICE = ("single", "cer")  # one keyed option among several texts
NGRAM = 5


def absolutes(text: str) -> int:
    return len(ABSOLUTE.findall(text))


def hedges(text: str) -> int:
    return len(HEDGE.findall(text))


def options(q: dict) -> list[dict]:
    return [o for o in q["options"] if "text" in o]


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({round(100 * part / whole) if whole else 0}%)"


def absolute_report(questions: list[dict]) -> list[str]:
    """Compare absolute words in keyed options and in wrong options (and T/F stems)."""
    keys = wrong = keys_abs = wrong_abs = 0
    tf = {"true": [0, 0], "false": [0, 0]}
    for q in questions:
        if q["type"] == "true_false":
            tf[q["key"][0]][0] += 1
            tf[q["key"][0]][1] += absolutes(q["stem"]) > 0
            continue
        if q["type"] in ("order", "passage"):
            continue
        for o in options(q):
            hit = absolutes(o["text"]) > 0
            if o["id"] in q["key"]:
                keys, keys_abs = keys + 1, keys_abs + hit
            else:
                wrong, wrong_abs = wrong + 1, wrong_abs + hit
    return [
        f"absolute words in keyed options: {share(keys_abs, keys)}; "
        f"in wrong options: {share(wrong_abs, wrong)}",
        f"true/false stems with an absolute word: keyed True {share(*tf['true'][::-1])}, "
        f"keyed False {share(*tf['false'][::-1])}",
    ]


def key_report(questions: list[dict]) -> list[str]:
    """Report true/false balance, key positions, longest and most hedged keys."""
    out = []
    tf = [q["key"][0] for q in questions if q["type"] == "true_false"]
    out.append(f"true/false keys: {tf.count('true')} True, {tf.count('false')} False")
    singles = [q for q in questions if q["type"] in CHOICE]
    positions: dict[int, int] = {}
    longest = hedged = 0
    cautious_wrong = []
    for q in singles:
        opts = options(q)
        ids = [o["id"] for o in opts]
        pos = ids.index(q["key"][0]) + 1
        positions[pos] = positions.get(pos, 0) + 1
        lengths = [len(o["text"]) for o in opts]
        key = next(o for o in opts if o["id"] == q["key"][0])
        longest += len(key["text"]) == max(lengths)
        most = max(hedges(o["text"]) for o in opts)
        hedged += most > 0 and hedges(key["text"]) == most
        top = [o for o in opts if most and hedges(o["text"]) == most]
        if top and all(o["id"] not in q["key"] for o in top):
            cautious_wrong.append(q["id"])
    spread = ", ".join(f"{p}: {n}" for p, n in sorted(positions.items()))
    out.append(f"single/cer key positions (1 = first option): {spread}")
    multi = [q for q in questions if q["type"] in ("multiple", "passage")]
    if multi:
        places = [[o["id"] for o in q["options"]].index(k) + 1 for q in multi for k in q["key"]]
        counts = {p: places.count(p) for p in sorted(set(places))}
        out.append(f"multiple/passage keyed positions: {counts}")
    out.append(f"key is the longest option: {share(longest, len(singles))} of single/cer")
    out.append(f"key is (one of) the most hedged options: {share(hedged, len(singles))}")
    out.append(
        f"most hedged option is wrong (over-caution loses): {len(cautious_wrong)} {cautious_wrong}"
    )
    sure = [
        q["id"]
        for q in questions
        for o in options(q)
        if o["id"] in q["key"] and o["text"].lower().startswith("very sure")
    ]
    out.append(f"keyed “very sure”: {sure}")
    return out


def best(opts: list[dict], score) -> list[dict]:
    top = max(score(o) for o in opts)
    return [o for o in opts if score(o) == top]


def pick_expectation(q: dict, strategy) -> float:
    """Expected score of a strategy that returns the options it picks among (ties)."""
    if q["type"] == "true_false":
        chosen = strategy(q, q["options"])
    else:
        chosen = strategy(q, options(q))
    return sum(o["id"] in q["key"] for o in chosen) / len(chosen)


def no_absolutes(opts: list[dict]) -> list[dict]:
    kept = [o for o in opts if not absolutes(o["text"])]
    return kept or opts


def tf_text(q: dict, o: dict) -> str:
    return q["stem"] if q["type"] == "true_false" else o["text"]


STRATEGIES = {
    "pick the longest option": lambda q, opts: best(opts, lambda o: len(o["text"])),
    "pick the shortest option": lambda q, opts: best(opts, lambda o: -len(o["text"])),
    "strike the longest, then guess": lambda q, opts: (
        [o for o in opts if len(o["text"]) < max(len(x["text"]) for x in opts)] or opts
    ),
    "strike absolutes, then the longest": lambda q, opts: best(
        no_absolutes(opts), lambda o: len(o["text"])
    ),
    "strike absolutes, then the most hedged": lambda q, opts: best(
        no_absolutes(opts), lambda o: hedges(o["text"])
    ),
    "strike absolutes, then guess": lambda q, opts: no_absolutes(opts),
    "pick an option with an absolute word": lambda q, opts: (
        [o for o in opts if absolutes(o["text"])] or opts
    ),
}


def true_false_strategies(q: dict) -> dict[str, float]:
    key = q["key"][0]
    says_absolute = absolutes(q["stem"]) > 0
    return {
        "always answer False": float(key == "false"),
        "always answer True": float(key == "true"),
        "False if the statement has an absolute word, else True": float(
            key == ("false" if says_absolute else "true")
        ),
    }


def testwise_report(questions: list[dict]) -> list[str]:
    """Score strategies that need no reading against chance, on single, cer and T/F."""
    choice = [q for q in questions if q["type"] in CHOICE]
    tf = [q for q in questions if q["type"] == "true_false"]
    out = []
    if choice:
        chance = sum(1 / len(options(q)) for q in choice) / len(choice)
        out.append(f"single/cer ({len(choice)} items): chance {chance:.0%}")
        for name, strategy in STRATEGIES.items():
            mean = sum(pick_expectation(q, strategy) for q in choice) / len(choice)
            out.append(f"  {name}: {mean:.0%}")
    if tf:
        out.append(f"true/false ({len(tf)} items): chance 50%")
        totals: dict[str, float] = {}
        for q in tf:
            for name, value in true_false_strategies(q).items():
                totals[name] = totals.get(name, 0) + value
        for name, total in totals.items():
            out.append(f"  {name}: {total / len(tf):.0%}")
    multi = [q for q in questions if q["type"] == "multiple"]
    if multi:
        out.append(f"select-all ({len(multi)} items), mean score:")
        out.append(f"  tick at random: {sum(random_subset(q) for q in multi) / len(multi):.0%}")
        ticks = {
            "tick every option": lambda q: [o["id"] for o in q["options"]],
            "tick the options without absolutes": lambda q: [
                o["id"] for o in no_absolutes(options(q))
            ],
        }
        for name, rule in ticks.items():
            mean = sum(multiple_score(q, rule(q)) for q in multi) / len(multi)
            out.append(f"  {name}: {mean:.0%}")
    return out


def multiple_score(q: dict, ticked: list[str]) -> float:
    right = sum(t in q["key"] for t in ticked)
    return max(0.0, (right - (len(ticked) - right)) / len(q["key"]))


def random_subset(q: dict) -> float:
    ids = [o["id"] for o in q["options"]]
    subsets = [s for n in range(1, len(ids) + 1) for s in itertools.combinations(ids, n)]
    return sum(multiple_score(q, list(s)) for s in subsets) / len(subsets)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9’']+", text.lower())


def grams(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1)}


def leak_report(questions: list[dict], article: list[str]) -> list[str]:
    """List phrases of one question's key (not quoted from the article) in another's text."""
    quoted = set().union(*(grams(p) for p in article))
    out = []
    for q in questions:
        keyed = " ".join(o.get("text", "") for o in q["options"] if o["id"] in q["key"])
        mine = grams(keyed) - quoted
        for p in questions:
            if p is q:
                continue
            shown = " ".join([p["stem"], *(o.get("text", "") for o in p["options"])])
            common = mine & grams(shown)
            if common:
                sample = " ".join(sorted(common)[0])
                out.append(f"  {p['id']} shows words of {q['id']}'s key: “{sample}”")
    return out or ["  none found"]


def evidence_passages(data: dict) -> set[int]:
    """Return the numbers of the passages a set uses as evidence (quotes and keyed passages)."""
    passages = data["article"]["passages"]
    used: set[int] = set()
    for q in data["questions"]:
        for quote in q.get("evidence", []):
            used |= {n for n, text in enumerate(passages, start=1) if quote in text}
        used |= set(q.get("evidence_key", []))
        if q["type"] == "passage":
            used |= {o["passage"] for o in q["options"] if o["id"] in q["key"]}
    return used


def overlap_report(paths: list[Path]) -> list[str]:
    """Show which passages each set rests on, and where a check form shares them."""
    sets = {p.name: tomllib.loads(p.read_text(encoding="utf-8")) for p in paths}
    used = {name: evidence_passages(data) for name, data in sets.items()}
    out = ["== evidence passages per set"]
    for name, numbers in used.items():
        out.append(f"{name}: {sorted(numbers)}")
    mains = [n for n, d in sets.items() if d.get("kind", "main") == "main"]
    checks = [n for n, d in sets.items() if d.get("kind") == "check"]
    for check in checks:
        for main in mains:
            shared = sorted(used[check] & used[main])
            out.append(f"{check} shares with {main}: {shared or 'nothing'}")
    for a, b in itertools.combinations(checks, 2):
        out.append(f"{a} shares with {b}: {sorted(used[a] & used[b]) or 'nothing'}")
    return out


def report(path: Path) -> list[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    questions = data["questions"]
    lines = [f"== {path.name}: {len(questions)} questions"]
    for part in (absolute_report, key_report, testwise_report):
        lines += part(questions)
    lines.append(f"one question's text repeating another's key ({NGRAM}-word phrases):")
    lines += leak_report(questions, data["article"]["passages"])
    return lines


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULT
    for path in paths:
        sys.stdout.write("\n".join(report(path)) + "\n\n")
    sys.stdout.write("\n".join(overlap_report(paths)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
