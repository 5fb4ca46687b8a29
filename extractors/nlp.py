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


#: Tags of the words a body's name goes on with after its capitalised first words: nouns and numbers.
NAME_TAGS = {"N", "Np", "Nc", "Ny", "Nu", "M"}


@lru_cache(maxsize=8192)
def leading_name_end(sentence: str) -> int:
    """Where the name of a body that opens ``sentence`` ends ("Trung tâm Quản lý chất lượng | thực hiện …").

    The name goes on over capitalised words and over the nouns and numbers after them, and stops at the
    first lower-case word of another kind (the clause's verb) or at punctuation.
    """
    from underthesea import pos_tag

    clause = " ".join(sentence.split(" ")[:CLAUSE_WORDS])
    position, end = 0, 0
    for word, tag in pos_tag(clause):
        found = clause.find(word, position)
        if found < 0 or tag == "CH" or (not word[:1].isupper() and tag not in NAME_TAGS):
            break
        position = end = found + len(word)
    return end
