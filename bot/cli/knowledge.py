"""Knowledge commands: sync, search, ask, chat, eval; and the default (no command) start."""

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from bot.cli.app import (
    LangOption,
    app,
    console,
    errors,
    open_service,
    parse_lang,
    print_json,
)
from bot.cli.render import evaluation_renderables

kb_app = typer.Typer(help="The knowledge base: sync it from knowledge/ and search it.")
app.add_typer(kb_app, name="kb")


@app.callback(invoke_without_command=True)
def start(ctx: typer.Context) -> None:
    """With no command: run in Slack when its tokens are set, else chat in the terminal."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.config import Settings

    settings = Settings()
    if settings.slack_configured:
        from bot.cli.serve import run_slack

        # Socket Mode when an app token is set, else HTTP (the signing secret is set then).
        run_slack(http=settings.slack_app_token is None or settings.many_workspaces, host="0.0.0.0", port=settings.port)
        return
    chat()


@kb_app.command("sync")
def kb_sync() -> None:
    """Load knowledge/ into the vector store; only changed files are re-embedded."""
    from bot.service import PlanBotService

    report = PlanBotService().sync_knowledge()
    for label, ids, style in (("added", report.added, "green"), ("updated", report.updated, "yellow"),
                              ("removed", report.removed, "red")):
        for doc_id in ids:
            console.print(f"[{style}]{label:>8}[/] {doc_id}")
    console.print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
        f"{report.unchanged} unchanged."
    )


@kb_app.command("search")
def kb_search(
    query: str,
    lang: LangOption = None,
    k: Annotated[int, typer.Option(help="How many entries to show.")] = 8,
) -> None:
    """Show the knowledge entries that best match QUERY."""
    hits = open_service().search_knowledge(query, parse_lang(lang), k=k)
    table = Table("score")
    table.add_column("id", no_wrap=True)
    for name in ("kind", "stage", "channel"):
        table.add_column(name)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=48)
    for hit in hits:
        table.add_row(f"{hit.score:.4f}", hit.doc_id, hit.kind, hit.stage or "", hit.channel or "", hit.title)
    console.print(table)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per answer.")] = False,
    batch: Annotated[
        Path | None, typer.Option(help="A JSON-lines file whose lines have a 'q' field.")
    ] = None,
    lang: LangOption = None,
    full: Annotated[bool, typer.Option("--full", help="Also show the whole stage entry behind the answer.")] = False,
) -> None:
    """Answer a question from the knowledge base, in the asker's language."""
    if (question is None) == (batch is None):
        errors.print("Give a QUESTION or --batch FILE (one of the two).")
        raise typer.Exit(2)
    service = open_service()
    questions = service.questions_in(batch) if batch else [question]
    for text in questions:
        answer = service.ask(text, parse_lang(lang), workspace=service.settings.workspace)
        if as_json:
            print_json(answer.as_record())
        else:
            console.print(Markdown(answer.full_text if full else answer.text))


@app.command()
def chat() -> None:
    """Talk to planbot in the terminal (/quit or Ctrl-D to leave; /help for examples)."""
    from bot.cli.app import user_lang
    from bot.cli.render import reply_renderables
    from bot.i18n import t
    from bot.models import Conversation

    lang = user_lang()
    # A paste the terminal cut mid-character must not end the chat: undecodable bytes are kept
    # as surrogates here and the service makes them readable.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="surrogateescape")
    console.print(t("cli.greeting", lang), markup=False)
    with console.status(t("cli.loading", lang)):
        service = open_service()
    conversation = Conversation(user_lang=lang, workspace=service.settings.workspace)
    while True:
        try:
            message = console.input("[bold cyan]> [/]").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if message.lower() in QUIT_COMMANDS:
            return
        if not message:
            continue
        reply = service.respond("help" if message.lower() == "/help" else message, conversation)
        for renderable in reply_renderables(reply):
            console.print(renderable)
        if reply.answer:
            conversation = conversation.model_copy(update={"previous": reply.answer})


QUIT_COMMANDS = {"/quit", "/exit", "/q"}


@app.command("eval")
def evaluate(
    file: Path,
    as_json: Annotated[bool, typer.Option("--json", help="Print each result as JSON.")] = False,
) -> None:
    """Score answers against a question set; exits 1 when any item misses."""
    service = open_service()
    results = service.evaluate(file)
    for result in results:
        if as_json:
            print_json({"id": result.item.id, "passed": result.passed, "misses": result.misses,
                         "answer": result.answer})
        elif not result.passed:
            console.print(f"[red]MISS[/] {result.item.id} {escape(result.item.q)}")
            for miss in result.misses:
                console.print(f"     - {escape(miss)}")
    summary = service.summarise_evaluation(results)
    if not as_json:
        for renderable in evaluation_renderables(summary):
            console.print(renderable)
    console.print(f"score: {summary.passed}/{summary.total}")
    if summary.passed != summary.total:
        raise typer.Exit(1)
