"""Knowledge entries: Markdown files with YAML front matter, one per entry and language."""

import hashlib
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from bot.domain.channels import Channel, ChannelRule
from bot.domain.language import Lang
from bot.domain.negation import is_negated
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.errors import KnowledgeFileError

# libyaml's loader when the wheel has it: parsing every file at each start is then ~5x faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EntryKind(StrEnum):
    STAGE = "stage"
    FUNNEL = "funnel"
    BANT = "bant"
    CHANNEL_RULE = "channel_rule"
    CTA = "cta"
    METHOD = "method"
    PERSONA = "persona"
    CONCEPT = "concept"
    # What planbot does not answer (lunch, expenses, code errors…): its signals let the router
    # tell an off-topic question from one that merely shares a word with the knowledge base.
    OFF_TOPIC = "off_topic"


class ContentIdea(BaseModel):
    """A content idea for one channel; the title may hold {product} and {segment}. Its CTA is
    the next step that this piece asks for, so that title, description and action agree."""

    channel: Channel
    title: str
    description: str = ""
    cta: str = ""


class KnowledgeEntry(BaseModel):
    id: str
    kind: EntryKind
    lang: Lang
    title: str
    summary: str
    stage: AwarenessStage | None = None
    funnel: FunnelStage | None = None
    channel: Channel | None = None
    channels: list[Channel] = Field(default_factory=list)
    stages: list[AwarenessStage] = Field(default_factory=list)
    rule: ChannelRule | None = None
    points: list[str] = Field(default_factory=list)
    content_types: list[str] = Field(default_factory=list)
    touchpoints: list[str] = Field(default_factory=list)
    ctas: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list)
    # A method entry (metrics, CTA guidance…) answers a question instead of its stage only when the
    # question has one of these words; signals alone would let "what goes into a welcome email?"
    # reach the CTA guidance rather than the Act stage.
    keywords: list[str] = Field(default_factory=list)
    # Phrases that place a prospect at this entry's stage whatever else the question says
    # ("never heard of us" is Aware, "asked for a quote" is Ask): a question with one leans to it
    # when its signals are close to another's.
    cues: list[str] = Field(default_factory=list)
    ideas: list[ContentIdea] = Field(default_factory=list)
    understandings: list[str] = Field(default_factory=list)
    feelings: list[str] = Field(default_factory=list)
    body: str = ""
    digest: str = ""

    @property
    def doc_id(self) -> str:
        """The entry's id in the vector store: one document per entry and language."""
        return f"{self.id}@{self.lang}"

    def admits(self, question: str) -> bool:
        """Whether a question may be answered by this entry rather than by its stage."""
        return not self.keywords or bool(_keyword_pattern(tuple(self.keywords)).search(question.lower()))

    def cued_by(self, question: str) -> bool:
        """Whether the question has one of this entry's cues, and does not negate it ("not
        comparing vendors yet" is no cue for comparing vendors)."""
        if not self.cues:
            return False
        text = _without_hyphens(question.lower())
        return any(not is_negated(text, found.start(), found.end())
                   for found in _keyword_pattern(tuple(_without_hyphens(cue) for cue in self.cues)).finditer(text))

    def search_text(self) -> str:
        """Everything a question may match: title, summary, lists and body."""
        lists = [self.signals, self.points, self.content_types, self.touchpoints, self.ctas]
        lines = [self.title, self.summary, *(item for items in lists for item in items), self.body]
        return "\n".join(lines)

    def focus_text(self) -> str:
        """The short text the dense embedding is made of; a whole body would blur it."""
        lists = [self.signals, self.content_types, self.points]
        return "\n".join([self.title, self.summary, *(item for items in lists for item in items)])


def _without_hyphens(text: str) -> str:
    """"side-by-side" and "side by side" are one cue."""
    return text.replace("-", " ")


@lru_cache(maxsize=128)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern:
    """Any of ``keywords``; a Latin one only where a word starts."""
    return re.compile("|".join(rf"(?<![a-z]){re.escape(word.lower())}" if word.isascii() else re.escape(word)
                               for word in keywords))


def parse_entry(path: Path, text: str) -> KnowledgeEntry:
    if not text.startswith("---\n"):
        raise KnowledgeFileError(f"{path}: no YAML front matter")
    try:
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=YAML_LOADER) or {}
        entry = KnowledgeEntry(
            **meta, body=body.strip(), digest=hashlib.sha256(text.encode()).hexdigest()
        )
    except (ValueError, yaml.YAMLError) as error:
        raise KnowledgeFileError(f"{path}: {error}") from error
    if entry.lang.value != path.parent.name or entry.id != path.stem:
        raise KnowledgeFileError(f"{path}: id and lang must match the file's name and folder")
    return entry


def _entry_paths(knowledge_dir: Path) -> list[Path]:
    return sorted(knowledge_dir.glob("*/*.md"))


def load_entries(knowledge_dir: Path) -> list[KnowledgeEntry]:
    """Every entry under ``knowledge_dir/<lang>/*.md``, in a stable order."""
    return [parse_entry(path, path.read_text(encoding="utf-8")) for path in _entry_paths(knowledge_dir)]


def files_fingerprint(knowledge_dir: Path) -> str:
    """A digest of which entry files there are, with their sizes and modification times: equal
    fingerprints mean nothing to parse again (the way make decides)."""
    listing = [f"{path.relative_to(knowledge_dir)}\x00{stat.st_size}\x00{stat.st_mtime_ns}"
               for path in _entry_paths(knowledge_dir) for stat in [path.stat()]]
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()
