"""A team's own knowledge: the files of its knowledge folder, and its teachings as documents of
the knowledge store (signals the stage router compares questions with, rules that are cited).

A team knowledge file is YAML::

    workspace: T0123ABC        # optional: only this Slack workspace ("local" is the terminal's)
    teachings:
      - kind: channel_rule
        channel: 小红书
        image_count: {min: 6, max: 9}
        word_count: {max: 1000}
        note: our notes are swiped, not read
      - kind: signal
        stage: act
        signal: 客户开始问发票抬头和对公转账

A file with a mistake is refused whole, with a message naming the file and the field.
"""

from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from bot.domain.knowledge_ids import entry_id
from bot.domain.language import Lang
from bot.domain.team import Teaching, TeachingKind, TeamChannelRule, TeamCta, TeamMapping, TeamSignal
from bot.errors import UserError, from_team_validation_error
from bot.files import MAX_YAML_BYTES, parse_yaml, read_text
from bot.knowledge.store import TeamRuleDoc, TeamSignalDoc
from bot.language import detect_language, to_simplified

TEACHING = TypeAdapter(Teaching)
FILE_KEYS = {"workspace", "teachings"}


def teaching_key(teaching: Teaching) -> str:
    """What identifies a teaching within its team: teaching the same thing again replaces it."""
    return f"{teaching.kind.value}:{teaching.key}"


@dataclass(frozen=True)
class TeamFile:
    path: Path
    workspace: str | None  # None: every workspace
    teachings: list[Teaching]

    def applies_to(self, workspace: str) -> bool:
        return self.workspace is None or self.workspace == workspace


def read_teachings(data: object, where: str) -> list[Teaching]:
    if not isinstance(data, list):
        raise UserError("team_file_shape", path=where)
    return [read_teaching(item, f"teachings[{position}]") for position, item in enumerate(data)]


def read_teaching(data: object, field: str = "") -> Teaching:
    """One teaching; a problem is named by its field, inside ``field`` (its place in a file)."""
    if not isinstance(data, dict):
        raise UserError("team_invalid", field=field or "teaching", reason="a mapping with a kind")
    try:
        return TEACHING.validate_python(data)
    except ValidationError as error:
        problem = from_team_validation_error(error, skip=set(TeachingKind), whole="teaching")
        inner = str(problem.params.get("field", ""))
        inside = inner if inner != "teaching" else ""
        raise UserError(problem.code, **(problem.params | {"field": ".".join(filter(None, [field, inside]))
                                                           or "teaching"})) from None


def read_team_file(path: Path) -> TeamFile:
    where = str(path)
    data = parse_yaml(read_text(path, MAX_YAML_BYTES), where)
    if not isinstance(data, dict):
        raise UserError("team_file_shape", path=where)
    if unknown := sorted(set(map(str, data)) - FILE_KEYS):
        raise UserError("team_unknown_key", field=unknown[0])
    workspace = data.get("workspace")
    if workspace is not None and not isinstance(workspace, str):
        raise UserError("team_invalid", field="workspace", reason="a workspace id, e.g. T0123ABC")
    return TeamFile(path, workspace, read_teachings(data.get("teachings") or [], where))


def read_team_folder(folder: Path | None) -> tuple[list[TeamFile], list[tuple[Path, UserError]]]:
    """Every readable file of the folder (``*.yaml``, ``*.yml``), and the refused ones with why."""
    if folder is None or not folder.is_dir():
        return [], []
    files, refused = [], []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            files.append(read_team_file(path))
        except UserError as error:
            refused.append((path, error))
    return files, refused


def signal_lang(signal: TeamSignal) -> Lang:
    """The language a taught signal is written in."""
    return signal.language or detect_language(signal.signal)


def team_documents(team: str, teachings: list[Teaching], rule_text) -> tuple[list[TeamSignalDoc], list[TeamRuleDoc]]:
    """The store documents of a team's teachings; ``rule_text(teaching)`` words a rule for search."""
    signals, rules = [], []
    for teaching in teachings:
        key = teaching_key(teaching)
        if isinstance(teaching, TeamSignal):
            # Compared with questions in the language the knowledge base is written in (Traditional
            # Chinese questions are searched in Simplified).
            lang = signal_lang(teaching)
            text = to_simplified(teaching.signal) if lang is Lang.ZH_HANT else teaching.signal
            signals.append(TeamSignalDoc(f"{entry_id(teaching.stage)}@{lang.content_lang.value}", text, key))
        elif isinstance(teaching, TeamChannelRule | TeamCta | TeamMapping):
            rules.append(TeamRuleDoc(f"team-{team}:{key}", rule_text(teaching), key))
    return signals, rules
