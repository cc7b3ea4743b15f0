"""This browser's conversations, kept in the browser itself (gr.BrowserState, i.e. its local
storage): a reload or a closed tab loses nothing, and 新建对话 starts another while the earlier
ones stay listed. The server keeps no copy; the follow-up memory of a restored conversation is
rebuilt by asking its questions again (deterministic quoted answers, a few ms each)."""
from __future__ import annotations

import secrets
import time

from assistant import Session, Turn
from ui.context import AppContext

MAX_CONVERSATIONS = 20
MAX_REPLAYED = 20
TITLE_CHARS = 24


def empty() -> dict:
    return {"current": None, "conversations": []}


def new_id() -> str:
    return secrets.token_hex(6)


def user_questions(messages: list) -> list[str]:
    """The user's questions in a chat panel's messages (content as text or as parts)."""
    out = []
    for m in messages or []:
        if isinstance(m, dict) and m.get("role") == "user":
            content = m.get("content")
            if isinstance(content, list):
                content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
            if isinstance(content, str) and content.strip():
                out.append(content.strip())
    return out


def saved_with(saved: dict | None, conversation_id: str, messages: list) -> dict:
    """The stored conversations with this one updated and first (the newest MAX_CONVERSATIONS;
    one without a question is not kept)."""
    saved = saved if isinstance(saved, dict) else empty()
    others = [c for c in saved.get("conversations", []) if isinstance(c, dict) and c.get("id") != conversation_id]
    questions = user_questions(messages)
    mine = [{"id": conversation_id, "title": questions[0][:TITLE_CHARS], "last": questions[-1][:TITLE_CHARS],
             "questions": len(questions), "updated": time.time(), "messages": messages}] if questions else []
    return {"current": conversation_id, "conversations": (mine + others)[:MAX_CONVERSATIONS]}


def current(saved: dict | None, conversation_id: str) -> dict:
    """The stored conversations, with `conversation_id` as the one on screen."""
    saved = saved if isinstance(saved, dict) else empty()
    return {**saved, "current": conversation_id}


def without(saved: dict | None, conversation_id: str | None) -> dict:
    saved = saved if isinstance(saved, dict) else empty()
    return {**saved, "conversations": [c for c in saved.get("conversations", [])
                                       if isinstance(c, dict) and c.get("id") != conversation_id]}


def label(conversation: dict) -> str:
    """How a past conversation is listed: when, its first question, and how it ended."""
    when = time.strftime("%m-%d %H:%M", time.localtime(conversation["updated"])) if conversation.get("updated") else ""
    count = conversation.get("questions") or len(user_questions(conversation.get("messages")))
    last = conversation.get("last") if count > 1 else None
    return " ".join(filter(None, [when, conversation["title"]])) + (f" … {last}" if last else "") + f"（{count} 问）"


def choices(saved: dict | None) -> list[tuple[str, str]]:
    return [(label(c), c["id"]) for c in (saved or {}).get("conversations", []) if isinstance(c, dict)]


def find(saved: dict | None, conversation_id: str | None) -> dict | None:
    return next((c for c in (saved or {}).get("conversations", [])
                 if isinstance(c, dict) and c.get("id") == conversation_id), None)


def replay(ctx: AppContext, messages: list) -> list[Turn]:
    """The follow-up memory of a restored conversation: its questions asked again, in order."""
    history: list[Turn] = []
    session = Session(ctx.assistant("extractive"), history)
    for question in user_questions(messages)[-MAX_REPLAYED:]:
        try:
            session.ask(question)
        except Exception:  # a question that no longer goes through (the index changed) is skipped
            continue
    return history
