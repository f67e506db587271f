"""The terminal face of planbot (Typer + Rich), over the same service as Slack."""

import os

from bot.cli import backup, browse, doctor, knowledge, loop, plans, serve, team  # noqa: F401  (they register their commands on the app)
from bot.cli.app import app, errors, user_lang


def main() -> None:
    from pydantic import ValidationError

    from bot.errors import KnowledgeFileError, UserError, from_validation_error
    from bot.i18n import describe_error, t

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
    except ValidationError as error:  # a model built from what was typed (a brief, a card)
        errors.print(describe_error(from_validation_error(error), user_lang()), markup=False, soft_wrap=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as error:  # the last line of defence: one line, never a traceback
        if os.environ.get("PLANBOT_DEBUG"):
            raise
        errors.print(t("error.unexpected", user_lang(), kind=type(error).__name__), markup=False, soft_wrap=True)
        raise SystemExit(70) from None


__all__ = ["app", "main"]
