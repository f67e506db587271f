"""Who may do what in a shared workspace: roles, the plan actions they allow, and which plans a
person may see from where.

A plan has an owner (its author unless handed over) and a home: the channel it was made in, or
"" (the owner's DMs, the command line). Everyone may draft and save plans; what happens to a saved
plan depends on the role and on whose it is. A plan made in a private channel is seen only there.
"""

from enum import StrEnum

from pydantic import BaseModel

from bot.domain.plan import PlanStatus


class Role(StrEnum):
    MEMBER = "member"
    EDITOR = "editor"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: "Role") -> bool:
        return self.rank >= other.rank


class PlanAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    SUBMIT = "submit"        # to in review, or back to draft
    APPROVE = "approve"      # to approved or published
    ARCHIVE = "archive"      # to archived, or back from it
    HAND_OVER = "hand_over"  # give the plan another owner


class TeamAction(StrEnum):
    SET_ROLES = "set_roles"
    EDIT_PROFILE = "edit_profile"
    TEACH = "teach"
    SET_DEFAULTS = "set_defaults"
    SET_DIGEST = "set_digest"


# The least role a team action needs.
TEAM_ACTION_ROLES: dict[TeamAction, Role] = {
    TeamAction.SET_ROLES: Role.ADMIN,
    TeamAction.EDIT_PROFILE: Role.EDITOR,
    TeamAction.TEACH: Role.EDITOR,
    TeamAction.SET_DEFAULTS: Role.EDITOR,
    TeamAction.SET_DIGEST: Role.EDITOR,
}

# Who may take a plan action on a plan: its owner (any role), and from which role anyone.
_OWNER_MAY = {PlanAction.VIEW, PlanAction.EDIT, PlanAction.SUBMIT, PlanAction.ARCHIVE, PlanAction.HAND_OVER}
PLAN_ACTION_ROLES: dict[PlanAction, Role] = {
    PlanAction.VIEW: Role.MEMBER,
    PlanAction.EDIT: Role.EDITOR,
    PlanAction.SUBMIT: Role.EDITOR,
    PlanAction.APPROVE: Role.APPROVER,
    PlanAction.ARCHIVE: Role.APPROVER,
    PlanAction.HAND_OVER: Role.ADMIN,
}


def status_action(current: PlanStatus, wanted: PlanStatus) -> PlanAction:
    """The action a status change is: approving, archiving (or restoring), or submitting."""
    if wanted in (PlanStatus.APPROVED, PlanStatus.PUBLISHED):
        return PlanAction.APPROVE
    if PlanStatus.ARCHIVED in (current, wanted):
        return PlanAction.ARCHIVE
    return PlanAction.SUBMIT


class Actor(BaseModel):
    """Who asks, with which role, from where (the channel of the request; "" for DMs and the CLI)."""

    user: str
    role: Role = Role.MEMBER
    workspace: str = ""
    channel: str = ""
    channel_private: bool = False
    # The command line is run by whoever runs the server: it is trusted with every plan.
    operator: bool = False
    # planbot serves this one workspace, so plans saved before it knew workspaces are its own;
    # installed into many workspaces, those plans are no workspace's (only the operator's).
    one_workspace: bool = True

    @property
    def home(self) -> str:
        """Where a plan made now lives: this channel, or nowhere for a direct message (its owner's)."""
        return "" if self.channel.startswith("D") else self.channel


class PlanPlace(BaseModel):
    """Whose a plan is and where it lives, as far as access is concerned."""

    owner: str = ""
    workspace: str = ""
    home: str = ""
    home_private: bool = False


class Refusal(BaseModel):
    """Why an action is not allowed: who may take it instead."""

    action: PlanAction | TeamAction
    role: Role           # the least role that may
    owner: str = ""      # the plan's owner, who may too (for actions an owner may take)
    own_plan: bool = False  # refused because it is the actor's own plan (approving one's own)


def same_workspace(actor: Actor, workspace: str) -> bool:
    """Whether something of ``workspace`` ("" when saved before workspaces) is the actor's team's."""
    if not actor.one_workspace:
        return bool(actor.workspace) and workspace == actor.workspace
    return not workspace or not actor.workspace or workspace == actor.workspace


def can_see(actor: Actor, place: PlanPlace) -> bool:
    """A plan is seen in its home channel, and by its owner anywhere except outside a private home."""
    if actor.operator:
        return True
    if not same_workspace(actor, place.workspace):
        return False
    if place.home and place.home == actor.channel:
        return True
    return place.owner == actor.user and (not place.home_private or place.home == actor.channel)


def plan_refusal(actor: Actor, action: PlanAction, place: PlanPlace, self_approval: bool = False) -> Refusal | None:
    """None when ``actor`` may take ``action`` on a plan at ``place``; else who may."""
    if actor.operator:
        return None
    needed = PLAN_ACTION_ROLES[action]
    owner_may = action in _OWNER_MAY
    if not can_see(actor, place):
        return Refusal(action=PlanAction.VIEW, role=Role.MEMBER, owner=place.owner)
    own = place.owner == actor.user
    if action is PlanAction.APPROVE and own and not self_approval:
        return Refusal(action=action, role=needed, own_plan=True)
    if actor.role.at_least(needed) or (owner_may and own):
        return None
    return Refusal(action=action, role=needed, owner=place.owner if owner_may else "")


def team_refusal(actor: Actor, action: TeamAction) -> Refusal | None:
    needed = TEAM_ACTION_ROLES[action]
    if actor.operator or actor.role.at_least(needed):
        return None
    return Refusal(action=action, role=needed)
