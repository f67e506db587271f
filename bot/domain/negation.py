"""Whether a phrase found in a question is negated where it stands: "not comparing vendors yet",
"还没在比较", "비교 검토는 안 해요".

Chinese and English put the negation before what it negates, within a few words; Korean puts
it after, as a verb ending. A phrase that carries its own negation ("never heard of us") is
judged by the words around it, not by its own.
"""

import re

# Before the phrase, in the same clause.
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:not|no|never|nobody|none|zero|without|neither|nor)\b|n't\b|\byet to\b"
    r"|没有|沒有|还没|還沒|没|沒|未|不|别|別|无|無|아직 안|안 |못 )[^,.;:!?，。；：！？\n]{0,12}$",
    re.IGNORECASE,
)
# After the phrase (Korean): "비교 검토는 안 해요", "비교하지 않아요", "문의는 없어요".
_NEGATION_AFTER = re.compile(r"^[^,.;:!?，。；：！？\n]{0,6}?(?:안 |않|없|못 |아니)")
# Words that only look negative: "不少客户在比较" is many customers comparing.
_NOT_NEGATIONS = re.compile(r"不错|不錯|不少|不同|不断|不斷|不久|不管|不论|不論|无论|無論|不仅|不僅|不得不"
                            r"|没问题|沒問題|\bno (?:problem|issue|doubt)\b|\bnot only\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,.;:!?，。；：！？\n]|\bbut\b|但是|但|可是|不过|不過|지만|는데")


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is negated by the words just before it (or, in Korean, after
    it) in its clause."""
    before = text[max(0, start - 24):start]
    clause_starts = [found.end() for found in _CLAUSE_START.finditer(before)]
    before = _NOT_NEGATIONS.sub(" ", before[clause_starts[-1]:] if clause_starts else before)
    after = text[end:end + 12]
    is_hangul = any("\uac00" <= char <= "\ud7a3" for char in text[start:end])
    return bool(_NEGATION_BEFORE.search(before)) or (is_hangul and bool(_NEGATION_AFTER.search(after)))
