"""The web app: four tabs (政策问答, 申报自评, 评测, 政策文件) and the HTTP API on one server.

    policy-assistant serve            # http://127.0.0.1:7860  (POLICY_PORT / --port)
    gradio ui/web.py                  # development, with reload (the UI only, no /api)

The tabs only wire handlers of the other packages; see ui/*_tab.py.
"""
from __future__ import annotations

import gradio as gr
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from ui import api, chat_tab, counter, eval_tab, library_tab, links, selfcheck_tab, zh
from ui.context import AppContext
from ui.http_limits import MULTIPART_ALLOWANCE, Limits, RequestLimits
from ui.links import OPEN_CLAUSE_ID
from ui.settings import Settings
from ui.wiring import by_name

TITLE = "政策通 · 省级科技政策问答与申报自评"
CSS = """
.gradio-container { max-width: 1200px !important; }
#criteria table td { white-space: normal; }
#criteria-cards { display: none; }
#criteria-cards blockquote { margin: 0 0 10px 0; padding: 6px 10px; border-left: 3px solid var(--color-accent); }
#selfcheck-problem ul { margin-top: 0; }
/* 更多反馈: the reasons open upwards, inside the chat panel (below the last answer they were cut off) */
#chatbot .extra-feedback-options { top: auto !important; bottom: calc(100% + 4px) !important; z-index: 20;
  background: var(--background-fill-primary); border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: 2px; box-shadow: var(--shadow-drop); }
#chatbot .extra-feedback-option { font-size: 0.85rem !important; padding: 4px 8px !important; white-space: nowrap; }
/* A phone (≈390 px wide): the chat first — its answers and the question box on the first
   screen, the filters below them; the box across the width with its buttons under it; the
   criteria as cards; wide tables scroll sideways, each in its own box. */
@media (max-width: 640px) {
  #app-title h1 { font-size: 1.05rem !important; line-height: 1.3 !important; margin: 0 !important; }
  #app-title p { display: none; }
  #chat-filters { gap: 6px !important; }
  #chatbot { order: -4; height: calc(100svh - 280px) !important; min-height: 300px; }
  #ask-row { order: -3; flex-wrap: wrap !important; gap: 6px !important; }
  #ask-row > .form { flex: 1 1 100% !important; min-width: 100% !important; }
  #ask-row > button { flex: 1 1 40% !important; min-width: 0 !important; padding: 6px !important; }
  #suggestions { order: -2; } #to-selfcheck { order: -1; }
  #criteria { display: none !important; }
  #criteria-cards { display: block; }
  #documents, #failures, #metrics, #review-queue { overflow-x: auto; }
  #failures table, #review-queue table { min-width: 720px; }
  #documents table { min-width: 560px; }
}
"""
QUEUE_SIZE = 256          # requests waiting beyond this get "too busy" rather than an endless wait
# Queue positions are sent to waiting browsers once a second. Gradio's default ("auto") sends every
# waiting event a message each time any event starts: with 50 people waiting, 50 messages per
# answer, all on the server's one event loop (measured: the web chat at a tenth of the API's rate).
STATUS_UPDATE_SECONDS = 1.0


def build_demo(ctx: AppContext) -> gr.Blocks:
    # Files the app hands out (reports, charts) are copied into Gradio's cache; entries older than an
    # hour are deleted every ten minutes, so runs leave nothing behind for good.
    with gr.Blocks(title="政策通", delete_cache=(600, 3600)) as demo:
        gr.Markdown(f"# {TITLE}\n依据已收录的政策文件作答，每句话都注明出处条款；文件没有规定的，如实说明。",
                    elem_id="app-title")
        with gr.Tabs() as tabs:
            chat = chat_tab.build(ctx)
            selfcheck = selfcheck_tab.build()
            eval_tab.build(ctx)
            library = library_tab.build(ctx)
        # 在文件中查看 on a chat source (ui/links.py fills this hidden box with the citation)
        open_clause = gr.Textbox(elem_id=OPEN_CLAUSE_ID, show_label=False, container=False)
        focused, shown = by_name(lambda c: library_tab.focus_clause(ctx, c),
                                 {"tabs": tabs, "viewer": library["viewer"], "tree": library["tree"]})
        open_clause.change(focused, open_clause, shown, queue=False, api_visibility="private")
        page = {"tabs": tabs, "picker": selfcheck["picker"], **selfcheck["fields"]}
        fill, filled = by_name(lambda h: to_selfcheck(h, selfcheck["properties"]), page)
        chat["fill"].click(fill, chat["history"], filled, queue=False, api_visibility="private")
        demo.load(**chat["restore"], api_visibility="private")  # this browser's conversations
        loaded, listed = by_name(lambda: on_load(ctx, library["load"]),
                                 {"region": chat["region"], "doc": chat["doc"], **library["outputs"]})
        demo.load(loaded, None, listed, api_visibility="private")
        demo.load(**library["lures"])  # 需管理员核对的条款 (private)
    demo.queue(default_concurrency_limit=4, max_size=QUEUE_SIZE, status_update_rate=STATUS_UPDATE_SECONDS)
    return demo


def to_selfcheck(memory: chat_tab.Memory | None, properties: dict[str, dict]) -> dict:
    """The 申报自评 tab, on the programme the chat's last verdict was about, its facts filled in."""
    applied = chat_tab.last_assessment(memory)
    if applied is None:
        return {}
    program_id = applied.rules.program.id
    return {"tabs": gr.Tabs(selected="selfcheck"), "picker": program_id,
            **selfcheck_tab.prefill_values(program_id, applied.facts.values, properties[program_id])}


def on_load(ctx: AppContext, library_listing) -> dict:
    """Fill the filters and the document list from the live index; with no index yet, say so."""
    try:
        regions, docs = chat_tab.filter_choices(ctx)
    except Exception as exc:  # the page still opens; the message says what to do
        from ui.errors import explain
        gr.Warning(explain(exc))
        return {"status": explain(exc)}
    return {"region": gr.update(choices=regions), "doc": gr.update(choices=docs), **library_listing()}


def create_app(ctx: AppContext, local_only: bool = False) -> FastAPI:
    """FastAPI app: /api/* beside the Gradio UI mounted at /, every request under the limits of
    ui/http_limits.py. `local_only`: serving this machine with no administrator token — requests
    must then name this machine (Host/Origin)."""
    # Gradio switches matplotlib's backend around every event; imported here, the first answers
    # do not wait while it loads on the server's event loop.
    import matplotlib  # noqa: F401
    # Swagger UI's script and style come from this app, not a CDN: an intranet has no internet.
    app = FastAPIOffline(title="政策通 API", docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None,
                         static_url="/api/docs-assets", favicon_url="/api/docs-assets/favicon.png")
    api.install(app, ctx)
    s = ctx.settings
    app.add_middleware(RequestLimits, limits=Limits(
        api_body=s.max_api_body_kb * 1024, web_body=s.max_web_body_kb * 1024,
        upload_body=s.max_upload_bytes + MULTIPART_ALLOWANCE, body_seconds=s.body_timeout, local_only=local_only))
    demo = build_demo(ctx)
    app = gr.mount_gradio_app(app, demo, path="/", footer_links=["gradio"],
                              theme=gr.themes.Soft(), css=CSS + links.CSS + counter.CSS,
                              head=zh.HEAD + links.HEAD + counter.HEAD, max_file_size=s.max_upload_bytes,
                              blocked_paths=[str(s.data_dir.resolve())])
    # Gradio checks that a file an event receives was uploaded to it (and that a file it serves
    # is not elsewhere on the server) only once the Blocks count as launched, which launch() sets
    # and mount_gradio_app does not: without this, a client could name any server path in a
    # FileData and have it read and served. The handlers check again (ui/uploads.py).
    demo.has_launched = True
    return app


def serve(ctx: AppContext, host: str, port: int) -> None:
    import uvicorn
    from ui.access import is_loopback
    local_only = is_loopback(host) and not ctx.settings.admin_token
    # An idle kept-alive connection is closed after 5 s; beyond 1,000 open connections and tasks
    # new ones are answered 503 rather than exhausting the process's file descriptors. Asked to
    # stop, it waits at most 5 s for requests under way: a browser tab's open event stream would
    # otherwise keep it running until the process is killed.
    uvicorn.run(create_app(ctx, local_only=local_only), host=host, port=port, log_level="warning",
                timeout_keep_alive=5, limit_concurrency=1000, timeout_graceful_shutdown=5)


if __name__ == "__main__":  # development: `gradio ui/web.py` reloads on edits (serve is the real entry)
    demo = build_demo(AppContext(Settings()))
    demo.launch()
