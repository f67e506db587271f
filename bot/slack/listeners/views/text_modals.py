"""App Home's ask and draft modals: the text is answered (or drafted from) in a DM."""

from slack_sdk import WebClient

from bot.slack.face import SlackFace, workspace_of
from bot.slack.modal import DRAFT_MODAL


def on_submit(body: dict, client: WebClient, planbot: SlackFace) -> None:
    user, view = body["user"]["id"], body["view"]
    message = (view["state"]["values"]["text"]["value"].get("value") or "").strip()
    if not message:
        return
    post = lambda **reply: client.chat_postMessage(channel=user, **reply)  # noqa: E731
    workspace = workspace_of(body)
    if view["callback_id"] == DRAFT_MODAL:
        for draft in planbot.service.draft_from_text(message, planbot.lang_for(message, user, client), workspace):
            planbot.post_draft(post, user, draft)
    else:
        planbot.reply_to(message, user=user, channel=user, thread_ts=f"home:{view['id']}", client=client, post=post,
                         workspace=workspace)
