"""A workspace's team records: its profile, its channels' defaults and what it has taught, read
and written through the team log, with the teachings kept in step with the knowledge store.

Every write is validated whole before anything is stored, so a file or a form with one mistake
saves nothing.
"""

import logging
import threading
from pathlib import Path

from pydantic import ValidationError

from bot.domain.access import Role
from bot.domain.language import Lang
from bot.domain.team import (
    ChannelDefaults,
    Teaching,
    TeamChannelRule,
    TeamKnowledge,
    TeamProfile,
    UnknownChannel,
    resolve_channel,
)
from bot.errors import UserError, from_team_validation_error
from bot.files import MAX_YAML_BYTES, parse_yaml, read_text
from bot.i18n import teaching_text
from bot.knowledge.store import KnowledgeStore, SignalVectors
from bot.knowledge.team import TeamFile, read_teaching, read_team_folder, teaching_key, team_documents
from bot.models import Taught, TeamProfileView
from bot.planning.team import TeamContext
from bot.storage.team_log import RecordKind, StaleRecord, TeamLog

log = logging.getLogger(__name__)

# The YAML a profile is exported as and imported from has these keys at its top.
PROFILE_KEYS = set(TeamProfile.model_fields)
# A notice given once per workspace: the first answer offers to set up the team profile.
SETUP_OFFERED = "setup_offered"
# Whether an approver may approve their own plan (off unless an admin allows it).
SELF_APPROVAL = "self_approval"


def parse_profile(data: object, where: str) -> TeamProfile:
    if data is None:
        return TeamProfile()
    if not isinstance(data, dict):
        raise UserError("team_file_shape", path=where)
    try:
        return TeamProfile.model_validate(data)
    except ValidationError as error:
        raise from_team_validation_error(error) from None


def read_profile_file(path: Path) -> TeamProfile:
    return parse_profile(parse_yaml(read_text(path, MAX_YAML_BYTES), str(path)), str(path))


def profile_yaml(profile: TeamProfile) -> str:
    """The profile as YAML a person edits and imports again (empty parts left out)."""
    import yaml

    data = profile.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _folder_signature(folder: Path | None) -> tuple:
    """Each file's name, modification time and size: what tells that the folder changed."""
    if folder is None or not folder.is_dir():
        return ()
    signature = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            stat = path.stat()
        except OSError:  # removed meanwhile: read again next time
            signature.append((path.name, -1, -1))
            continue
        signature.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


class TeamRecords:
    def __init__(self, log_path: Path, store: KnowledgeStore, knowledge_dir: Path | None):
        self.team_log = TeamLog(log_path)
        self.store = store
        self.knowledge_dir = knowledge_dir
        self._signals: dict[str, tuple[tuple, SignalVectors]] = {}
        self._folder: tuple[tuple, list[TeamFile]] | None = None
        self._lock = threading.Lock()

    # -- the profile --

    def profile(self, workspace: str) -> TeamProfileView:
        record = self.team_log.current(workspace, RecordKind.PROFILE)
        if record is None or record.body is None:
            return TeamProfileView(workspace=workspace)
        return TeamProfileView(workspace=workspace, profile=TeamProfile.model_validate(record.body),
                               version=record.version, saved_by=record.who, saved_at=record.at)

    def save_profile(self, workspace: str, profile: TeamProfile, who: str,
                     base_version: int | None = None) -> TeamProfileView:
        try:
            self.team_log.write(workspace, RecordKind.PROFILE, "", profile.model_dump(mode="json"), who, base_version)
        except StaleRecord as stale:
            raise UserError("stale_team_profile", who=stale.current.who) from None
        return self.profile(workspace)

    # -- channel defaults --

    def defaults(self, workspace: str, channel: str) -> ChannelDefaults:
        record = self.team_log.current(workspace, RecordKind.CHANNEL_DEFAULTS, channel)
        return ChannelDefaults.model_validate(record.body) if record and record.body else ChannelDefaults()

    def set_defaults(self, workspace: str, channel: str, defaults: ChannelDefaults, who: str) -> ChannelDefaults:
        """A channel's defaults; a product or segment must be the profile's when it describes any
        (a typo would otherwise silently stop the profile from applying)."""
        if not channel:
            raise UserError("team_invalid", field="channel", reason="defaults belong to a channel")
        profile = self.profile(workspace).profile
        for field, name, known in (("product", defaults.product, profile.products),
                                   ("segment", defaults.segment, profile.segments)):
            if name and known and not any(item.name.casefold() == name.casefold() for item in known):
                raise UserError("team_unknown_name", field=field, value=name,
                                allowed=", ".join(item.name for item in known))
        body = None if defaults.is_empty else defaults.model_dump(mode="json")
        self.team_log.write(workspace, RecordKind.CHANNEL_DEFAULTS, channel, body, who)
        return defaults

    # -- teachings --

    def teachings(self, workspace: str) -> list[Taught]:
        """What the workspace has taught, and what the team knowledge folder teaches it."""
        taught = [Taught(key=record.key, teaching=record.body, version=record.version, taught_by=record.who,
                         taught_at=record.at)
                  for record in self.team_log.all_current(workspace, RecordKind.TEACHING)]
        for team_file in self._files():
            if team_file.applies_to(workspace):
                taught += [Taught(key=teaching_key(teaching), teaching=teaching, file=team_file.path.name)
                           for teaching in team_file.teachings]
        # Taught in Slack or the CLI wins over a file teaching the same thing.
        return list({item.key: item for item in reversed(taught)}.values())[::-1]

    def teach(self, workspace: str, teaching: dict | Teaching, who: str) -> Taught:
        teaching = read_teaching(teaching if isinstance(teaching, dict) else teaching.model_dump(mode="json"))
        if isinstance(teaching, TeamChannelRule):
            try:
                resolve_channel(teaching.channel, self.profile(workspace).profile.channels)
            except UnknownChannel:
                raise UserError("team_unknown_channel", field="channel", value=teaching.channel) from None
        key = teaching_key(teaching)
        record = self.team_log.write(workspace, RecordKind.TEACHING, key, teaching.model_dump(mode="json"), who)
        self.signals(workspace)
        return Taught(key=key, teaching=teaching, version=record.version, taught_by=who, taught_at=record.at)

    def forget(self, workspace: str, key: str, who: str) -> None:
        record = self.team_log.current(workspace, RecordKind.TEACHING, key)
        if record is None or record.body is None:
            raise UserError("team_not_taught", key=key)
        self.team_log.write(workspace, RecordKind.TEACHING, key, None, who)
        self.signals(workspace)

    def refused_files(self) -> list[tuple[Path, UserError]]:
        return read_team_folder(self.knowledge_dir)[1]

    def _files(self) -> list[TeamFile]:
        """The folder's files, read again only when one of them changed (every request asks)."""
        signature = _folder_signature(self.knowledge_dir)
        if self._folder is None or self._folder[0] != signature:
            files, refused = read_team_folder(self.knowledge_dir)
            for path, error in refused:
                log.warning("team knowledge file %s is not used: %s", path.name, error)
            self._folder = signature, files
        return self._folder[1]

    def signals(self, workspace: str, teachings: list[Teaching] | None = None) -> SignalVectors | None:
        """The team's taught signals (of ``teachings``, else read now), embedded: synced into the
        store when the teachings changed."""
        if teachings is None:
            teachings = [item.teaching for item in self.teachings(workspace)]
        signature = tuple(sorted(teaching.model_dump_json() for teaching in teachings))
        with self._lock:
            cached = self._signals.get(workspace)
            if cached and cached[0] == signature:
                return cached[1] if cached[1].texts else None
            signal_docs, rule_docs = team_documents(workspace, teachings,
                                                   lambda teaching: teaching_text(teaching, Lang.EN))
            self.store.sync_team(workspace, signal_docs, rule_docs)
            vectors = self.store.team_signal_vectors(workspace)
            self._signals[workspace] = signature, vectors
        return vectors if vectors.texts else None

    # -- the whole context of one request --

    def context(self, workspace: str, channel: str = "") -> TeamContext:
        if not workspace:
            return TeamContext()
        taught = self.teachings(workspace)
        return TeamContext(workspace=workspace, profile=self.profile(workspace).profile,
                           knowledge=TeamKnowledge(teachings=[item.teaching for item in taught]),
                           defaults=self.defaults(workspace, channel) if channel else ChannelDefaults())

    # -- roles --

    def role(self, workspace: str, user: str) -> Role | None:
        record = self.team_log.current(workspace, RecordKind.ROLE, user)
        return Role(record.body["role"]) if record and record.body else None

    def roles(self, workspace: str) -> dict[str, Role]:
        return {record.key: Role(record.body["role"]) for record in self.team_log.all_current(workspace,
                                                                                              RecordKind.ROLE)}

    def set_role(self, workspace: str, user: str, role: Role, who: str) -> None:
        body = None if role is Role.MEMBER else {"role": role.value}
        self.team_log.write(workspace, RecordKind.ROLE, user, body, who)

    def self_approval(self, workspace: str) -> bool:
        record = self.team_log.current(workspace, RecordKind.SETTING, SELF_APPROVAL)
        return bool(record and record.body and record.body.get("allowed"))

    def set_self_approval(self, workspace: str, allowed: bool, who: str) -> None:
        self.team_log.write(workspace, RecordKind.SETTING, SELF_APPROVAL, {"allowed": allowed}, who)

    # -- digests --

    def set_digest(self, workspace: str, channel: str, schedule: dict | None, who: str) -> None:
        self.team_log.write(workspace, RecordKind.DIGEST, channel, schedule, who)

    def digests(self) -> list[tuple[str, str, dict]]:
        """Every channel's digest schedule: (workspace, channel, schedule)."""
        return [(workspace, record.key, record.body)
                for workspace, record in self.team_log.everywhere(RecordKind.DIGEST)]

    def offer_setup_once(self, workspace: str) -> bool:
        """True the first time a workspace with no profile is answered (then never again)."""
        if not workspace or self.team_log.current(workspace, RecordKind.NOTICE, SETUP_OFFERED) is not None \
                or not self.profile(workspace).profile.is_empty:
            return False
        try:  # two first answers at once: one offers
            self.team_log.write(workspace, RecordKind.NOTICE, SETUP_OFFERED, {"offered": True}, "planbot",
                                base_version=0)
        except StaleRecord:
            return False
        return True
