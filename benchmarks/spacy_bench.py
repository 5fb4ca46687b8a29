"""Does spaCy earn its place in extraction? Two uses measured against the rules alone, on the same documents.

1. **Agencies**: a spaCy ``PhraseMatcher`` over the alias table (every spelling of every canonical agency)
   against the regular expression ``vnplan.normalizers.agencies.find_agencies`` builds from the same table:
   the mentions each finds in the documents' text, and the time each takes.
2. **Is this item a task?**: a spaCy text classifier (bag of words and bigrams) trained on the annotated
   documents to keep or drop the items the rules take as tasks, scored leave-one-document-out: each
   document's items are judged by a classifier trained on all the other documents. An item is a task
   when it matches a gold task (the scorer's syllable Dice >= 0.5). Task precision, recall and F1 of the
   rules alone and of rules + classifier are reported side by side.

The documents: the corpus documents with gold in shared/gold (as text files) and the real documents
annotated in benchmarks/gold except the held-back four.

    python benchmarks/spacy_bench.py [--shared ../shared] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher
from spacy.training import Example

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import write_json  # noqa: E402
from vnplan.extractors import extract  # noqa: E402
from vnplan.extractors.passages import passages  # noqa: E402
from vnplan.models.errors import InputError  # noqa: E402
from vnplan.normalizers.agencies import ALIASES, find_agencies  # noqa: E402
from vnplan.normalizers.text import fold  # noqa: E402
from vnplan.pipeline.read import read  # noqa: E402
from vnplan.pipeline.repair import repair  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold"
DICE = 0.5
EPOCHS = 12
SEED = 7


def syllables(text: str) -> Counter:
    """The scorer's view of a text: its words, case-folded."""
    return Counter(w.casefold() for w in text.split() if any(c.isalnum() for c in w))


def dice(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def documents(shared: Path) -> list[tuple[str, Path, list[str]]]:
    """(name, source, gold task texts) of every development document."""
    held = set((GOLD / "holdout.txt").read_text(encoding="utf-8").split())
    docs = []
    for gold in sorted((shared / "gold").glob("*.json")):
        record = json.loads(gold.read_text(encoding="utf-8"))
        docs.append((gold.stem, shared / "corpus" / f"{gold.stem}.txt", [t["text"] for t in record["tasks"]]))
    for gold in sorted(GOLD.glob("*.json")):
        record = json.loads(gold.read_text(encoding="utf-8"))
        if record["doc"] not in held:
            source = shared / "real" / record["source"].split("real/", 1)[1]
            docs.append((record["doc"], source, [t["text"] for t in record["tasks"]]))
    return docs


def labelled_items(texts: list[str], gold: list[str]) -> list[bool]:
    """For each predicted task text, whether it matches a gold task (greedy one-to-one, best pairs first)."""
    pairs = sorted(
        ((dice(syllables(p), syllables(g)), i, j) for i, p in enumerate(texts) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p, used_g, hit = set(), set(), [False] * len(texts)
    for score, i, j in pairs:
        if score < DICE:
            break
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            hit[i] = True
    return hit


def f1(kept: list[bool], hits: list[bool], n_gold: int) -> tuple[float, float, float]:
    tp = sum(k and h for k, h in zip(kept, hits, strict=True))
    predicted = sum(kept)
    p = tp / predicted if predicted else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def train(items: list[tuple[str, bool]]) -> spacy.language.Language:
    """A bag-of-words classifier: TASK or NOT for an item's text."""
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": 2,
                "no_output_layer": False,
            }
        },
    )
    textcat.add_label("TASK")
    textcat.add_label("NOT")
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {"TASK": float(y), "NOT": float(not y)}}) for t, y in items]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(examples)
        for start in range(0, len(examples), 16):
            nlp.update(examples[start : start + 16], sgd=optimizer, drop=0.2)
    return nlp


def agency_matchers(texts: list[str]) -> dict:
    """Mentions and seconds of the rules' regular expression and of a spaCy PhraseMatcher over the same aliases."""
    nlp = spacy.blank("xx")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("AGENCY", list(nlp.tokenizer.pipe(sorted(ALIASES))))
    started = time.perf_counter()
    by_rules = Counter(m.name for t in texts for m in find_agencies(t))
    rules_s = time.perf_counter() - started
    started = time.perf_counter()
    by_spacy: Counter[str] = Counter()
    for doc in nlp.tokenizer.pipe(fold(t) for t in texts):
        spans = spacy.util.filter_spans([doc[s:e] for _, s, e in matcher(doc)])
        by_spacy.update(ALIASES.get(" ".join(span.text.split()), span.text) for span in spans)
    spacy_s = time.perf_counter() - started
    return {
        "rules_mentions": sum(by_rules.values()),
        "spacy_mentions": sum(by_spacy.values()),
        "found_by_both": sum((by_rules & by_spacy).values()),
        "rules_seconds": round(rules_s, 3),
        "spacy_seconds": round(spacy_s, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    items: dict[str, tuple[list[str], list[bool], int]] = {}
    texts: list[str] = []
    for name, source, gold in documents(args.shared):
        try:
            document = repair(read(source))
        except InputError as exc:
            print(f"  {name}: cannot read ({exc}), left out")
            continue
        texts += [p.text for p in passages(document)]
        predicted = [t.text for t in extract(document).tasks]
        items[name] = (predicted, labelled_items(predicted, gold), len(gold))
    agencies = agency_matchers(texts)
    print(
        f"agencies: rules {agencies['rules_mentions']} mentions in {agencies['rules_seconds']} s; spaCy PhraseMatcher "
        f"{agencies['spacy_mentions']} in {agencies['spacy_seconds']} s; {agencies['found_by_both']} found by both"
    )
    rules_kept, cls_kept, all_hits, n_gold = [], [], [], 0
    for name, (predicted, hits, gold_n) in items.items():
        others = [(t, h) for other, (p, hs, _) in items.items() if other != name for t, h in zip(p, hs, strict=True)]
        nlp = train(others)
        keep = [doc.cats["TASK"] >= 0.5 for doc in nlp.pipe(predicted)]
        rules_kept += [True] * len(predicted)
        cls_kept += keep
        all_hits += hits
        n_gold += gold_n
    rules = f1(rules_kept, all_hits, n_gold)
    classified = f1(cls_kept, all_hits, n_gold)
    print(f"tasks over {len(items)} documents ({n_gold} gold tasks), leave-one-document-out:")
    print(f"  rules alone          precision {rules[0]:.4f}  recall {rules[1]:.4f}  F1 {rules[2]:.4f}")
    print(f"  rules + spaCy textcat precision {classified[0]:.4f}  recall {classified[1]:.4f}  F1 {classified[2]:.4f}")
    write_json({"agencies": agencies, "tasks_rules": rules, "tasks_rules_textcat": classified}, args.json)


if __name__ == "__main__":
    main()
