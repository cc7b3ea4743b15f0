"""The assistant: clause-cited answers, extractive by default, an LLM on request."""
from assistant.chain import Assistant, Session
from assistant.types import MODES, Answer, Citation, Turn

__all__ = ["Answer", "Assistant", "Citation", "MODES", "Session", "Turn"]
