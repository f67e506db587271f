"""The team modals: the profile (`/content setup`) and a piece of the team's own guidance
(`/content teach`), built and read back.

A profile is written one line per product, segment and channel, parts split by "|", so that a
team with five segments fills one modal rather than five; a mistake is shown on its line.
"""

import re

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.blocks.basic_components import MarkdownTextObject
from slack_sdk.models.views import View

from bot.errors import UserError
from bot.i18n import describe_error, label, t
from bot.models import AwarenessStage, FunnelStage, Lang, Range, TeachingKind, TeamProfile

TEAM_SETUP, TEAM_TEACH = "team_setup", "team_teach"
VALUE = "value"
PROFILE_BLOCKS = ("products", "segments", "channels", "language")
TEACH_BLOCKS = ("kind", "channel", "stage", "funnel_stage", "duration", "words", "images", "image_share", "text",
                "note")
# The teaching field each teach block fills (the text is a CTA's or a signal's, by kind).
_TEACH_FIELDS = {"duration_seconds": "duration", "word_count": "words", "image_count": "images",
                 "min_image_share": "image_share", "cta": "text", "signal": "text"}
# Each input's label and hint in the catalogue.
_LABELS = {
    "products": ("team_form.products", "team_form.products_hint"),
    "segments": ("team_form.segments", "team_form.segments_hint"),
    "channels": ("team_form.channels", "team_form.channels_hint"),
    "channel": ("team_form.channel", "team_form.channel_hint"),
    "duration": ("team_form.duration", "team_form.duration_hint"),
    "words": ("team_form.words", "team_form.words_hint"),
    "images": ("team_form.images", "team_form.images_hint"),
    "image_share": ("team_form.image_share", "team_form.image_share_hint"),
    "text": ("team_form.text", "team_form.text_hint"),
    "note": ("team_form.note", "team_form.note_hint"),
}
_KIND_LABELS = {TeachingKind.CHANNEL_RULE: "team_form.kind_channel_rule", TeachingKind.CTA: "team_form.kind_cta",
                TeachingKind.SIGNAL: "team_form.kind_signal", TeachingKind.MAPPING: "team_form.kind_mapping"}
_LINES_LIMIT = 3000
_SEPARATOR = re.compile(r"\s*[|｜]\s*")
_LIST_SEPARATOR = re.compile(r"\s*[;；]\s*")
_ALIAS_SEPARATOR = re.compile(r"\s*/\s*")
_CHANNEL_SEPARATOR = re.compile(r"\s*[,，、]\s*")
_WITH_INDICATOR = re.compile(r"^(?P<motivation>.+?)\s*[(（](?P<indicator>[^()（）]+)[)）]$")


class TeamFormMetadata(BaseModel):
    lang: Lang = Lang.EN
    channel: str | None = None   # where the modal was opened, for the confirmation
    version: int = 0             # the profile's version when the modal opened


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=text[:75]))


def _select(options: list[Option], current: str | None) -> StaticSelectElement:
    initial = next((option for option in options if option.value == current), None)
    return StaticSelectElement(action_id=VALUE, options=options, initial_option=initial)


def _lines_input(block_id: str, lines: list[str], lang: Lang) -> InputBlock:
    label_key, hint_key = _LABELS[block_id]
    return InputBlock(block_id=block_id, label=t(label_key, lang), optional=True, hint=t(hint_key, lang),
                      element=PlainTextInputElement(action_id=VALUE, multiline=True, max_length=_LINES_LIMIT,
                                                    initial_value="\n".join(lines)[:_LINES_LIMIT] or None))


def setup_view(profile: TeamProfile, lang: Lang, metadata: TeamFormMetadata) -> dict:
    """The profile modal, filled with what the profile holds."""
    products = [" | ".join([_named(p), p.value, p.problem, p.category]).rstrip(" |") for p in profile.products]
    segments = [" | ".join([_named(s), s.role, "; ".join(s.pains),
                            "; ".join(f"{m.motivation} ({m.indicator})" if m.indicator else m.motivation
                                      for m in s.motivations),
                            ", ".join(s.channels), s.language.value if s.language else ""]).rstrip(" |")
                for s in profile.segments]
    channels = [c.name if c.name.casefold() == c.kind.value else f"{c.name} | {c.kind.value}" for c in profile.channels]
    languages = [_option(value.value, value.value) for value in Lang]
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=t("team_form.intro", lang))),
        _lines_input("products", products, lang),
        _lines_input("segments", segments, lang),
        _lines_input("channels", channels, lang),
        InputBlock(block_id="language", label=t("team_form.language", lang), optional=True,
                   element=_select(languages, profile.language.value if profile.language else None)),
    ]
    view = View(type="modal", callback_id=TEAM_SETUP, title=t("team_form.title", lang)[:24],
                submit=t("form_save", lang), close=t("form_cancel", lang), blocks=blocks,
                private_metadata=metadata.model_dump_json())
    return view.to_dict()


def _named(item) -> str:
    """A name and its aliases, as the first part of a line: "工厂厂长 / 厂长 / plant managers"."""
    return " / ".join([item.name, *item.aliases])


def _with_aliases(part: dict) -> dict:
    names = [name for name in _ALIAS_SEPARATOR.split(part.get("name", "")) if name]
    if len(names) > 1:
        part |= {"name": names[0], "aliases": names[1:]}
    return part


def _values(view: dict) -> dict[str, str | None]:
    values = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for action in (actions or {}).values():
            if not isinstance(action, dict):
                continue
            selected = action.get("selected_option")
            values[block_id] = (selected or {}).get("value") if action.get("type") == "static_select" \
                else action.get("value")
    return values


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _parts(line: str, names: tuple[str, ...], block: str, position: int) -> dict:
    parts = _SEPARATOR.split(line)
    if len(parts) > len(names):
        raise UserError("team_invalid", field=f"{block}[{position}]",
                        reason=f"{len(parts)} parts; a line has at most {len(names)}: {' | '.join(names)}")
    return {name: part for name, part in zip(names, parts, strict=False) if part}


def _motivation(text: str) -> dict:
    match = _WITH_INDICATOR.match(text)
    return {"motivation": match["motivation"], "indicator": match["indicator"]} if match else {"motivation": text}


def profile_data(view: dict) -> dict:
    """The profile the modal holds, as the data the service validates."""
    values = _values(view)
    products = [_with_aliases(_parts(line, ("name", "value", "problem", "category"), "products", position))
                for position, line in enumerate(_lines(values.get("products")))]
    segments = []
    for position, line in enumerate(_lines(values.get("segments"))):
        segment = _with_aliases(_parts(line, ("name", "role", "pains", "motivations", "channels", "language"),
                                       "segments", position))
        if "pains" in segment:
            segment["pains"] = _LIST_SEPARATOR.split(segment["pains"])
        if "motivations" in segment:
            segment["motivations"] = [_motivation(item) for item in _LIST_SEPARATOR.split(segment["motivations"])]
        if "channels" in segment:
            segment["channels"] = _CHANNEL_SEPARATOR.split(segment["channels"])
        segments.append(segment)
    channels = []
    for position, line in enumerate(_lines(values.get("channels"))):
        channel = _parts(line, ("name", "kind"), "channels", position)
        channels.append(channel if "kind" in channel else channel.get("name", ""))
    data = {"products": products, "segments": segments, "channels": channels}
    if values.get("language"):
        data["language"] = values["language"]
    return data


def profile_errors(error: UserError, lang: Lang) -> dict[str, str]:
    """A refused profile as inline errors: on the block it is about, naming the line."""
    field = str(error.params.get("field", ""))
    block = field.split("[", 1)[0].split(".", 1)[0]
    line = re.match(r"^\w+\[(\d+)\]", field)
    message = describe_error(error, lang)
    if line:
        message = t("team_form.on_line", lang, line=int(line[1]) + 1, problem=message)
    return {block if block in PROFILE_BLOCKS else "products": message[:2000]}


def teach_view(lang: Lang, metadata: TeamFormMetadata) -> dict:
    kinds = [_option(kind.value, t(_KIND_LABELS[kind], lang)) for kind in TeachingKind]
    stages = [_option(stage.value, label(stage, lang)) for stage in AwarenessStage]
    funnels = [_option(funnel.value, label(funnel, lang)) for funnel in FunnelStage]

    def text_input(block_id: str, limit: int = 300) -> InputBlock:
        label_key, hint_key = _LABELS[block_id]
        return InputBlock(block_id=block_id, label=t(label_key, lang), optional=True, hint=t(hint_key, lang),
                          element=PlainTextInputElement(action_id=VALUE, max_length=limit))

    blocks = [
        SectionBlock(text=MarkdownTextObject(text=t("team_form.teach_intro", lang))),
        InputBlock(block_id="kind", label=t("team_form.kind", lang), element=_select(kinds, None)),
        text_input("channel", 100),
        InputBlock(block_id="stage", label=t("team_form.stage", lang), optional=True, element=_select(stages, None)),
        InputBlock(block_id="funnel_stage", label=t("team_form.funnel_stage", lang), optional=True,
                   element=_select(funnels, None)),
        text_input("duration", 30), text_input("words", 30), text_input("images", 30), text_input("image_share", 10),
        text_input("text"), text_input("note"),
    ]
    view = View(type="modal", callback_id=TEAM_TEACH, title=t("team_form.teach_title", lang)[:24],
                submit=t("form_save", lang), close=t("form_cancel", lang), blocks=blocks,
                private_metadata=metadata.model_dump_json())
    return view.to_dict()


def teaching_data(view: dict) -> dict:
    """The teaching the modal holds, as the data the service validates. Ranges are read as people
    write them ("6–9", "≤1000"); a share is in percent."""
    values = _values(view)
    kind = values.get("kind") or ""
    data: dict = {"kind": kind}
    if values.get("note"):
        data["note"] = values["note"]
    if kind == TeachingKind.CHANNEL_RULE.value:
        data["channel"] = values.get("channel") or ""
        for field, block in (("duration_seconds", "duration"), ("word_count", "words"), ("image_count", "images")):
            try:
                span = Range.written(values.get(block) or "")
            except ValueError:
                raise UserError("team_not_a_number", field=field, value=values.get(block)) from None
            if span is not None:
                data[field] = span.model_dump(exclude_none=True)
        if share := (values.get("image_share") or "").strip().rstrip("%"):
            try:
                data["min_image_share"] = float(share) / 100
            except ValueError:
                raise UserError("team_not_a_number", field="min_image_share", value=share) from None
    elif kind in (TeachingKind.CTA.value, TeachingKind.SIGNAL.value):
        data |= {"stage": values.get("stage") or "", kind: values.get("text") or ""}
    elif kind == TeachingKind.MAPPING.value:
        data |= {"funnel_stage": values.get("funnel_stage") or "", "stage": values.get("stage") or ""}
    return data


def teach_errors(error: UserError, lang: Lang) -> dict[str, str]:
    field = str(error.params.get("field", "")).split(".", 1)[0]
    block = _TEACH_FIELDS.get(field, field)
    return {block if block in TEACH_BLOCKS else "kind": describe_error(error, lang)[:2000]}


def metadata_of(view: dict) -> TeamFormMetadata:
    try:
        return TeamFormMetadata.model_validate_json(view.get("private_metadata") or "{}")
    except ValueError:
        return TeamFormMetadata()

