"""Team commands: the workspace's profile (show, edit, import, export), channel defaults and the
team's own guidance (teach, knowledge, forget)."""

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import JsonOption, app, console, current_user, errors, open_service, print_json, user_lang

team_app = typer.Typer(help="The team's own context: products, segments, channels, defaults and rules.")
app.add_typer(team_app, name="team")

WorkspaceOption = Annotated[
    str | None, typer.Option("--workspace", help="Whose profile: a Slack team id (T0123…); default PLANBOT_WORKSPACE "
                             "or 'local'.")]
Assignments = Annotated[list[str], typer.Argument(help='KEY=VALUE pairs, dotted for parts: kind=channel_rule '
                                                  'channel=小红书 image_count.min=6 image_count.max=9 '
                                                  'word_count.max=1000 note="…"')]


def _workspace(service, workspace: str | None) -> str:
    return workspace or service.settings.workspace


@team_app.command("show")
def team_show(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Show the profile, the channel defaults and what the team has taught."""
    from bot.cli.render import taught_table
    from bot.i18n import t

    service = open_service()
    workspace = _workspace(service, workspace)
    view, taught = service.team_profile(workspace), service.team_teachings(workspace)
    if as_json:
        print_json(view.model_dump(mode="json") | {"teachings": [item.model_dump(mode="json") for item in taught]})
        return
    lang = user_lang()
    if view.version:
        console.print(t("cli.team_version", lang, workspace=workspace, version=view.version, who=view.saved_by,
                        at=f"{view.saved_at:%Y-%m-%d %H:%M}"), markup=False)
        console.print(service.team_profile_yaml(workspace), markup=False, highlight=False)
    else:
        console.print(t("cli.team_empty", lang, workspace=workspace), markup=False)
    if taught:
        console.print(taught_table(taught, lang))
    for path, problem in service.team_file_problems():
        from bot.i18n import describe_error

        errors.print(f"{path.name}: {describe_error(problem, lang)}", markup=False, soft_wrap=True)


@team_app.command("export")
def team_export(
    workspace: WorkspaceOption = None,
    output: Annotated[Path | None, typer.Option(help="File to write (default: standard output).")] = None,
) -> None:
    """The profile as YAML, to edit and import again."""
    service = open_service()
    text = service.team_profile_yaml(_workspace(service, workspace))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@team_app.command("import")
def team_import(
    file: Annotated[Path, typer.Argument(help="A profile in YAML (the form `planbot team export` writes).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Replace the profile with the file's, whole or not at all."""
    from bot.i18n import t

    service = open_service()
    view = service.import_team_profile(_workspace(service, workspace), file, current_user())
    console.print(t("cli.team_saved", user_lang(), version=view.version), markup=False)


@team_app.command("edit")
def team_edit(workspace: WorkspaceOption = None) -> None:
    """Edit the profile in $EDITOR; saved only if no one else saved it meanwhile."""
    from bot.errors import UserError
    from bot.i18n import describe_error, t

    service = open_service()
    workspace = _workspace(service, workspace)
    view = service.team_profile(workspace)
    edited = typer.edit(service.team_profile_yaml(workspace), extension=".yaml")
    if edited is None:
        return
    try:
        saved = service.save_team_profile(workspace, service.parse_team_profile(edited), current_user(),
                                          base_version=view.version)
    except UserError as error:
        # What was typed is kept: a mistake in one line must not cost the whole edit.
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", prefix="planbot-team-", delete=False,
                                         encoding="utf-8") as kept:
            kept.write(edited)
        errors.print(describe_error(error, user_lang()), markup=False, soft_wrap=True)
        errors.print(t("cli.team_kept_copy", user_lang(), path=kept.name), markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    console.print(t("cli.team_saved", user_lang(), version=saved.version), markup=False)


@team_app.command("defaults")
def team_defaults(
    channel: Annotated[str, typer.Option("--channel", help="The Slack channel id (C0123…).")],
    assignments: Annotated[list[str] | None, typer.Argument(help="product=… segment=… language=…; none to "
                                                                 "show, product= segment= to clear")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show or set what questions and drafts in a Slack channel are about unless they say otherwise."""
    service = open_service()
    workspace = _workspace(service, workspace)
    current = service.channel_defaults(workspace, channel)
    if assignments:
        changes = _assignments(assignments)
        current = service.set_channel_defaults(workspace, channel, current.model_dump(mode="json") | changes,
                                               current_user())
    if as_json:
        print_json(current.model_dump(mode="json"))
    else:
        console.print(current.model_dump(mode="json"), highlight=False)


@team_app.command("teach")
def team_teach(assignments: Assignments, workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Add the team's own guidance: a channel rule, a CTA for a stage, a signal for a stage, or
    which 5A stage a funnel stage pairs with. Teaching the same thing again replaces it."""
    from bot.cli.render import taught_table

    service = open_service()
    taught = service.teach(_workspace(service, workspace), _nested(_assignments(assignments)), current_user())
    if as_json:
        print_json(taught.model_dump(mode="json"))
    else:
        console.print(taught_table([taught], user_lang()))


@team_app.command("forget")
def team_forget(key: Annotated[str, typer.Argument(help="The key `planbot team show` lists.")],
                workspace: WorkspaceOption = None) -> None:
    """Remove a piece of guidance the team taught (kept in its history)."""
    service = open_service()
    service.forget(_workspace(service, workspace), key, current_user())


def _assignments(words: list[str]) -> dict[str, str]:
    pairs = {}
    for word in words:
        key, sign, value = word.partition("=")
        if not sign or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {word!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def _nested(pairs: dict[str, str]) -> dict:
    """``image_count.min=6`` as ``{"image_count": {"min": "6"}}``; an empty value leaves a key out."""
    data: dict = {}
    for dotted, value in pairs.items():
        if value == "":
            continue
        *parents, last = dotted.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise typer.BadParameter(f"{dotted!r} sets a part of {part!r}, which has a value already")
        node[last] = value
    return data


@team_app.command("roles")
def team_roles(
    assignment: Annotated[list[str] | None, typer.Argument(help="USER ROLE (member, editor, approver, admin) to give "
                                                                "a role; none to list them")] = None,
    self_approval: Annotated[bool | None, typer.Option("--self-approval/--no-self-approval",
                                                       help="May approvers approve their own plans?")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """List or give the workspace's roles (the command line acts as an admin)."""
    service = open_service()
    workspace = _workspace(service, workspace)
    if assignment:
        if len(assignment) != 2:
            raise typer.BadParameter("give a USER and a ROLE, e.g. U0123ABC editor")
        service.set_role(workspace, assignment[0], assignment[1])
    if self_approval is not None:
        service.allow_self_approval(workspace, self_approval)
    roles = {user: role.value for user, role in service.roles(workspace).items()}
    if as_json:
        print_json(roles)
    else:
        for user, role in sorted(roles.items()):
            console.print(f"{user}\t{role}", markup=False, highlight=False)
