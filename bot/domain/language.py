"""The languages planbot speaks."""

from enum import StrEnum


class Lang(StrEnum):
    ZH_HANS = "zh-Hans"
    ZH_HANT = "zh-Hant"
    EN = "en"
    KO = "ko"

    @property
    def content_lang(self) -> "Lang":
        """The language the knowledge base is written in for this language.

        Traditional Chinese is served by converting the Simplified entries.
        """
        return Lang.ZH_HANS if self is Lang.ZH_HANT else self
