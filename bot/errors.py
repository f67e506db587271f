"""Errors a user can cause and fix, each with a code the faces turn into words in their language."""

from pydantic import ValidationError


class KnowledgeFileError(ValueError):
    """A knowledge file that cannot be read as an entry; the message names the file."""


class UserError(Exception):
    """Bad input: an unknown stage, a missing field, a transition that is not allowed…"""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return f"{self.code}: {self.params}"


def _field_name(location: tuple) -> str:
    return ".".join(str(part) for part in location if not isinstance(part, int)) or "plan"


def _common_error(first: dict, field: str) -> UserError | None:
    """The problems every form and file reports the same way: too long, not one of the allowed
    values, missing."""
    kind, context = first["type"], first.get("ctx") or {}
    if kind == "string_too_long":
        return UserError("too_long", field=field, limit=context.get("max_length"),
                         length=len(first.get("input") or ""))
    if kind == "enum":
        return UserError("unknown_value", field=field, value=first.get("input"),
                         allowed=context.get("expected", ""))
    if kind == "missing":
        return UserError("missing_field", field=field)
    return None


def from_validation_error(error: ValidationError) -> UserError:
    """The first problem pydantic found, as a UserError (one clear line beats a list)."""
    first = error.errors()[0]
    field = _field_name(first["loc"])
    return _common_error(first, field) or UserError("invalid_value", field=field, value=str(first.get("input"))[:80],
                                                    reason=first["msg"])


def _indexed_field(location: tuple, skip: set[str] = frozenset()) -> str:
    """``("segments", 1, "name")`` as ``segments[1].name``: a team file's reader needs the position.
    Parts in ``skip`` (the tags pydantic adds inside a union) are left out."""
    text = ""
    for part in (part for part in location if part not in skip):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_NUMBER_TYPES = {"float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"}


def from_team_validation_error(error: ValidationError, skip: set[str] = frozenset(),
                               whole: str = "profile") -> UserError:
    """The first problem in a team profile or teaching, naming the field by its place in the file
    (``whole`` when it is about the whole of it)."""
    from bot.domain.team import DuplicateName, TeachingKind, UnknownChannel

    first = error.errors()[0]
    field, kind = _indexed_field(first["loc"], skip), first["type"]
    context = first.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, DuplicateName):
        return UserError("team_duplicate_name", field=cause.field, name=cause.name)
    if isinstance(cause, UnknownChannel):
        return UserError("team_unknown_channel", field=cause.field or field, value=cause.name)
    if kind == "extra_forbidden":
        return UserError("team_unknown_key", field=field)
    if kind == "union_tag_invalid":
        return UserError("unknown_value", field=".".join(filter(None, [field, context.get("discriminator", "")
                                                                         .strip("'")])),
                         value=context.get("tag"), allowed=", ".join(kind.value for kind in TeachingKind))
    if kind == "union_tag_not_found":
        return UserError("missing_field", field=".".join(filter(None, [field, context.get("discriminator", "")
                                                                         .strip("'")])))
    if kind in _NUMBER_TYPES:
        return UserError("team_not_a_number", field=field, value=str(first.get("input"))[:80])
    return _common_error(first, field) or UserError("team_invalid", field=field or whole,
                                                    reason=str(cause) if cause else first["msg"])


def from_result_validation_error(error: ValidationError) -> UserError:
    """The first problem in a plan's results: a figure that is not a count, a negative one, or
    figures that contradict each other (more moved on than were reached)."""
    from bot.domain.results import ResultError

    first = error.errors()[0]
    field, kind = _field_name(first["loc"]), first["type"]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, ResultError):
        return UserError(f"results_{cause.problem.value}")
    if kind in _NUMBER_TYPES:
        return UserError("results_not_a_count", field=field, value=str(first.get("input"))[:80])
    if kind in ("greater_than_equal", "less_than_equal"):
        return UserError("results_out_of_range", field=field, value=str(first.get("input"))[:80])
    if kind.startswith("date"):
        return UserError("bad_date", value=str(first.get("input"))[:80])
    return from_validation_error(error)
