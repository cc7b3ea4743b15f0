"""Typed errors of the assistant. Bad questions and filters raise ingest.errors.QueryError."""
from __future__ import annotations

NOT_CONFIGURED = "未配置大模型：请设置 POLICY_LLM_PROVIDER（local 或 openai），或使用原文摘录模式"


class LLMUnavailable(RuntimeError):
    """No generation model can be used (not installed, not configured, unreachable)."""


class LLMNotConfigured(LLMUnavailable, ValueError):
    """The LLM mode was asked for, but no model is set up: a setting to fix, not an outage."""

    def __init__(self, message: str = NOT_CONFIGURED) -> None:
        super().__init__(message)
