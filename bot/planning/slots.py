"""Filling a knowledge template's slots ({product}, {segment}) so that the sentence reads well
whether or not a slot has a value.

Templates are written so that a slot sits where any noun phrase reads well ("… for {segment}",
"{segment}的…", "{segment}의 …"). A part that only reads well with a value is bracketed:
``[ with {product}]`` is dropped when there is no product, and ``[{product}|the product]`` falls
back to the text after the bar. No placeholder such as "our product" is ever filled in.
"""

import re
import string

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def _slots(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def fill(template: str, **values: str) -> str:
    """``template`` with its optional parts resolved and its slots filled from ``values``
    (an empty value counts as missing)."""
    given = {name for name, value in values.items() if value}

    def resolve(match: re.Match) -> str:
        for alternative in match.group(1).split("|"):
            if _slots(alternative) <= given:
                return alternative
        return ""

    text = _OPTIONAL.sub(resolve, template)
    return text.format(**{name: values.get(name) or "" for name in _slots(text)}).strip()


def template_slots(template: str) -> set[str]:
    """Every slot a template may fill, inside optional parts too."""
    return _slots(template.replace("[", "").replace("]", "").replace("|", " "))
