"""The terminal face of planbot (Typer + Rich), over the same service as Slack."""

from bot.cli import doctor, knowledge, plans, serve  # noqa: F401  (they register their commands on the app)
from bot.cli.app import app, errors, user_lang


def main() -> None:
    from bot.errors import KnowledgeFileError, UserError
    from bot.i18n import describe_error

    try:
        app()
    except KnowledgeFileError as error:
        errors.print(f"[red]Knowledge file error:[/] {error}")
        raise SystemExit(1) from None
    except UserError as error:
        errors.print(describe_error(error, user_lang()), markup=False, soft_wrap=True)
        findings = error.params.get("findings")
        if findings:
            from bot.cli.render import findings_table

            errors.print(findings_table(findings, user_lang()))
        raise SystemExit(1 if findings else 2) from None


__all__ = ["app", "main"]
