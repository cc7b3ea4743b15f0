"""The HTTP API beside the web UI: /api/ask, /api/search, /api/selfcheck, /api/health.

Same records as the CLI's --json output. Errors are JSON {"error": {"field", "message"}} in
Chinese: 400/422 for bad input, 503 when the index or the model is unavailable.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.routing import Match
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.suggest import next_questions
from assistant.types import MODES
from ui.context import AppContext
from ui.errors import explain, field_of, http_status
from ui.services import hit_record

HTTP_MESSAGES = {400: "请求体无法解析：应为 UTF-8 编码的合法 JSON，其中的数字不超过 4300 位", 404: "没有这个接口，可用接口见 /api/docs",
                 405: "该接口不支持这种请求方法（问答、检索、自评用 POST，健康检查用 GET）"}


_UNPRINTABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")


class _Request(BaseModel):
    """Strings lose what JSON cannot carry back (lone surrogates) and what no one typed
    (control characters), before anything else sees them."""

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value):
        return _UNPRINTABLE.sub("", value) if isinstance(value, str) else value


class AskRequest(_Request):
    q: str = Field(description="问题")
    session_id: str | None = Field(None, description="会话编号：带上上一轮返回的 session_id 即可追问")
    mode: str = Field("extractive", description="extractive（原文摘录）或 llm（大模型）")
    region: str | None = Field(None, description="限定地区，如 广西")
    doc_id: str | None = Field(None, description="限定文件编号")


class SearchRequest(_Request):
    q: str
    k: int = Field(5, ge=1, le=50, strict=True)  # not true, not "5"
    region: str | None = None
    doc_id: str | None = None


class FeedbackRequest(_Request):
    answer_id: str = Field(description="/api/ask 返回的 answer_id")
    rating: Literal["up", "down"] = Field(description="up（有用）或 down（有误）")
    comment: str | None = Field(None, max_length=500, description="可选：哪里不对，如“引用条款不对”“数字错了”")


class SelfcheckRequest(_Request):
    program: str = Field(description="申报项目编号，见 policy-assistant selfcheck --list-programs")
    inputs: dict[str, Any] = Field(description="自评信息，字段见该项目的 JSON Schema")


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def error_response(status: int, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"field": field, "message": message}}, status_code=status)


@contextmanager
def translated():
    """Inside an endpoint: any error becomes an ApiError with a Chinese message (an
    unexpected one is logged with its traceback on the server first)."""
    try:
        yield
    except ApiError:
        raise
    except Exception as exc:
        raise ApiError(http_status(exc), explain(exc), field_of(exc)) from None


def checked_question(q: str) -> str:
    """The question as the assistant will read it (ingest.clean.clean_question), or a 400
    naming the field."""
    from ingest.clean import clean_question
    with translated():
        return clean_question(q)


def validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    """Pydantic's first complaint about the request, in Chinese, naming the field."""
    err = exc.errors()[0]
    loc = [str(x) for x in err.get("loc", ()) if x != "body"]
    field = ".".join(loc) or None
    kind = err.get("type", "")
    if kind == "json_invalid":
        return "请求体不是有效的 JSON", None
    if kind == "missing" and field is None:
        return "请求体为空：应为 JSON 对象", None
    if kind == "missing":
        return f"缺少字段“{field}”", field
    if kind in ("model_attributes_type", "dict_type") and not loc:
        return "请求体应为 JSON 对象", None
    if kind.startswith(("less_than", "greater_than")):
        bound = next(iter((err.get("ctx") or {}).values()), "")
        word = {"less_than_equal": "不大于", "less_than": "小于", "greater_than_equal": "不小于",
                "greater_than": "大于"}.get(kind, "")
        return f"字段“{field}”超出范围（应{word} {bound}）", field
    expected = {"string_type": "文字", "int_parsing": "整数", "int_type": "整数", "dict_type": "对象",
                "int_from_float": "整数"}.get(kind, "正确的类型")
    return f"字段“{field}”的值无效，应为{expected}", field


def client_address(request: Request) -> str:
    """Who is asking, for per-client limits: the connecting address."""
    return request.client.host if request.client else "unknown"


def router(ctx: AppContext) -> APIRouter:
    api = APIRouter(prefix="/api")

    @api.get("/health")
    def health():
        """Up, and the index it serves, probed as search needs it — clause store, keyword index,
        vector collection (503 naming the damaged part; reads the clause store, so poll it
        every few seconds at most)."""
        from ingest.store import check_index
        try:
            r = ctx.retriever()
            check_index(ctx.data_dir, ctx.settings.chroma_url, r.state, ctx.settings.chroma_token)
        except Exception as exc:
            return error_response(http_status(exc), explain(exc))
        return {"status": "ok", "generation": r.state.generation, "clauses": len(r.clauses),
                "documents": len(r.state.documents), "embedder": r.state.embedder,
                "llm": ctx.settings.llm_provider or None}

    @api.post("/search")
    def search(req: SearchRequest):
        q = checked_question(req.q)
        with translated():
            hits = ctx.retriever().search(q, k=req.k, region=req.region, doc_ids=[req.doc_id] if req.doc_id else None)
        return {"q": q, "hits": [hit_record(h) for h in hits]}

    @api.post("/ask")
    def ask(req: AskRequest, request: Request):
        if req.mode not in MODES:
            raise ApiError(400, f"未知的回答模式“{req.mode}”，可选：{'、'.join(MODES)}", "mode")
        q = checked_question(req.q)  # an invalid request opens no session
        with translated():
            session_id, session, expired = ctx.session(req.session_id, req.mode, client_address(request))
            answer = session.ask(q, mode=req.mode, region=req.region, doc_ids=[req.doc_id] if req.doc_id else None)
        notice = {"session_notice": "会话已过期或不存在，已开始新的会话"} if expired else {}
        return {"session_id": session_id, "answer_id": ctx.log_answer(answer, "api"), **notice, **answer.to_dict(),
                "suggestions": next_questions(answer, ctx.retriever().corpus)}

    @api.post("/feedback")
    def feedback(req: FeedbackRequest):
        """有用 / 有误 on an answer, by its answer_id (404 for an id the log does not hold)."""
        with translated():
            ctx.feedback(req.answer_id, req.rating, req.comment)
        return {"ok": True}

    @api.post("/selfcheck")
    def selfcheck(req: SelfcheckRequest):
        from selfcheck import evaluate
        with translated():
            return evaluate(req.program, req.inputs).to_dict()

    return api


def install(app: FastAPI, ctx: AppContext) -> None:
    """The API routes and their error translation on the app that also serves the UI."""
    app.include_router(router(ctx))

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
                   include_in_schema=False)
    def _unknown(rest: str, request: Request):
        """Before the UI mounted at / can answer an /api path in English: a path the API has,
        asked with another method, is 405; any other is 404."""
        known = any(route.matches(request.scope)[0] is Match.PARTIAL for route in app.router.routes)
        status = 405 if known else 404
        return error_response(status, HTTP_MESSAGES[status])

    @app.exception_handler(ApiError)
    def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if not request.url.path.startswith("/api"):
            return await http_exception_handler(request, exc)
        message = HTTP_MESSAGES.get(exc.status_code, f"请求无法处理（HTTP {exc.status_code}）")
        return error_response(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError):
        message, field = validation_message(exc)
        return error_response(422, message, field)
