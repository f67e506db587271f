"""Korean particles that depend on the word before them: 은/는, 이/가, 을/를, 과/와, (으)로.

Catalogue messages write the double form after a placeholder ("{channel}은(는)"); once the
placeholder is filled, the form that fits the filled-in word's last sound is kept. Where that
sound cannot be known (a symbol, nothing before it), the double form stays, which Korean
readers accept.
"""

import re

_PAIRS = {"은(는)": ("은", "는"), "이(가)": ("이", "가"), "을(를)": ("을", "를"), "과(와)": ("과", "와")}
_DOUBLE_FORM = re.compile(r"은\(는\)|이\(가\)|을\(를\)|과\(와\)|\(으\)로")
# What may stand between a word and its particle: closing quotes and Markdown emphasis.
_WRAPPING = "”’\"'*_`»」』"
_PARENTHESISED_END = re.compile(r"\([^()]*\)$")
# Digits and Latin letters as Korean reads them: does the sound end in a consonant, and is it ㄹ.
_DIGITS_WITH_FINAL = set("013678")
_DIGITS_WITH_RIEUL = set("178")
_LETTERS_WITH_FINAL = set("bcdgklmnpt")


def _final_sound(text: str) -> tuple[bool, bool] | None:
    """(ends in a consonant, that consonant is ㄹ) for the last word of ``text``, if knowable."""
    text = text.rstrip(_WRAPPING)
    # "호감(Appeal)" is read as 호감: a parenthesised gloss does not change the particle.
    while _PARENTHESISED_END.search(text) and not text.startswith("("):
        text = _PARENTHESISED_END.sub("", text).rstrip(_WRAPPING)
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return final != 0, final == 8
    if last.isdigit():
        return last in _DIGITS_WITH_FINAL, last in _DIGITS_WITH_RIEUL
    if last.isascii() and last.isalpha():
        return last.lower() in _LETTERS_WITH_FINAL, last.lower() == "l"
    return None


def attach_particles(text: str) -> str:
    """``text`` with each double-form particle resolved against the word before it."""
    def resolve(match: re.Match) -> str:
        sound = _final_sound(text[:match.start()])
        if sound is None:
            return match.group(0)
        has_final, is_rieul = sound
        if match.group(0) == "(으)로":
            return "으로" if has_final and not is_rieul else "로"
        with_final, without_final = _PAIRS[match.group(0)]
        return with_final if has_final else without_final

    return _DOUBLE_FORM.sub(resolve, text)
