"""Vietnamese NLP for the extractors: underthesea's part-of-speech tagger (works offline).

Used to tell an agency that acts ("Văn phòng UBND tỉnh cập nhật …": the subject of
a verb) from one that is only named. underthesea keeps its models under
``~/.underthesea``, so HOME must be writable.
"""

from __future__ import annotations

import re
from functools import lru_cache

CLAUSE_END = re.compile(r"[.;:(]")
#: Words of a clause after its subject given to the tagger.
CLAUSE_WORDS = 30


@lru_cache(maxsize=8192)
def verb_follows(sentence: str, start: int) -> bool:
    """True when the clause that ``sentence`` opens has a verb at or after character ``start``.

    The whole clause is tagged, subject included: the tagger needs it to read "cập nhật" as a verb.
    """
    from underthesea import pos_tag  # loaded on first use: 0.4 s, then about 1 ms a clause

    cut = CLAUSE_END.search(sentence, start)
    clause = sentence[: cut.start() if cut else len(sentence)]
    clause = clause[:start] + " ".join(clause[start:].split(" ")[:CLAUSE_WORDS])  # the subject, then the words after it
    position = 0
    for word, tag in pos_tag(clause):
        found = clause.find(word, position)
        position = found + len(word) if found >= 0 else position
        if tag == "V" and found >= start:
            return True
    return False
