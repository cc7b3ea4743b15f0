"""政策文件: each document as its clause tree with citation labels; search; upload a new policy
and watch it indexed incrementally; remove an uploaded one; add a revised text as a new version
of a document (confirmed), compare two versions side by side (修订对比), undo the latest version."""
from __future__ import annotations

from collections import Counter

import gradio as gr

from ingest.alignment import compare_versions
from ingest.errors import IndexError_
from ingest.library import SUPPORTED_SUFFIXES, add_document, document_versions, library_sources, remove_document
from ingest.lures import LureKind, flagged
from ui import choices
from ui.access import check_admin
from ui.choices import Choice
from ui.context import AppContext
from ui.errors import for_people
from ui.links import SEPARATOR
from ui.render import clause_tree_markdown, text
from ui.revision_view import REVISION_CSS, impact_markdown, revision_html
from ui.uploads import received_file
from ui.wiring import by_name

DOC_HEADERS = ["编号", "标题", "地区", "类型", "状态", "版本", "条款数"]


def documents_table(ctx: AppContext) -> list[list]:
    retriever = ctx.retriever()
    counts = Counter(c.doc_id for c in retriever.clauses)
    return [[doc_id, m["title"], m.get("region", ""), m.get("doc_type", ""), m.get("status", ""),
             f"第 {m.get('version', 1)} 版", counts[doc_id]]
            for doc_id, m in retriever.state.documents.items()]


def document_choices(ctx: AppContext) -> list[tuple[str, str]]:
    return [(f"{m['title']}（{doc_id}）", doc_id) for doc_id, m in ctx.retriever().state.documents.items()]


def uploaded_choices(ctx: AppContext) -> list[tuple[str, str]]:
    return [(f"{s.meta.title}（{s.meta.id}）", s.meta.id) for s in library_sources(ctx.data_dir)]


def live_documents(ctx: AppContext, label: str, elem_id: str, uploaded_only: bool = False, **kwargs) -> Choice:
    """A document picker filled while the page runs, read on the server against the live library
    (a plain dropdown would check a scripted client's value against the empty list it was built with)."""
    def resolve(given: str) -> str:
        if not given or not uploaded_only:
            return choices.document_named(ctx.retriever(), given)
        return choices.among(uploaded_choices(ctx))(given)
    return Choice([], label=label, elem_id=elem_id, resolve=resolve, **kwargs)


def show_document(ctx: AppContext, doc_id: str | None) -> str:
    if not doc_id:
        return ""
    with for_people():
        return clause_tree_markdown(ctx.retriever().corpus.of_document(doc_id))


def focus_clause(ctx: AppContext, request: str) -> dict:
    """在文件中查看 (ui/links.py): a source's citation "《title》path" → this tab on that document,
    the clause marked in its tree. A citation the library no longer holds (the document was
    revised or removed since the answer) is said so."""
    citation = (request or "").split(SEPARATOR)[0].strip()
    with for_people():
        corpus = ctx.retriever().corpus
        clause = next((c for c in corpus if c.citation == citation), None)
    if clause is None:
        gr.Warning(f"文件库中已没有这一条款：{citation}（文件可能已修订或删除）", title="提示")
        return {}
    tree = clause_tree_markdown(corpus.of_document(clause.doc_id), focus=clause.path)
    return {"tabs": gr.Tabs(selected="library"), "viewer": gr.update(value=clause.doc_id), "tree": tree}


def search(ctx: AppContext, query: str, doc_id: str | None) -> str:
    with for_people():
        retriever = ctx.retriever()
        hits = relevant(retriever.search(query or "", k=10, doc_ids=[doc_id] if doc_id else None),
                        retriever.calibration.min_top_similarity)
    return "\n\n".join(f"**[{i}] {text(h.clause.citation)}**\n\n{text(h.clause.text)}"
                       for i, h in enumerate(hits, 1)) or "没有找到相关条款。"


def relevant(hits: list, floor: float) -> list:
    """Hits worth showing: the keywords found them, or the vectors put them above the index's
    similarity floor (retriever/calibration.py) — not the ten nearest of anything typed."""
    return [h for h in hits if h.bm25_rank is not None or (h.dense_similarity or 0.0) >= floor]


def refreshed(ctx: AppContext, status: str, selected: str | None = None) -> dict:
    """Everything that lists documents, after the library changed."""
    return {"status": status, "documents": documents_table(ctx),
            "viewer": gr.update(choices=document_choices(ctx), value=selected), "tree": show_document(ctx, selected),
            "uploaded": gr.update(choices=uploaded_choices(ctx), value=None),
            "revise_picker": gr.update(choices=document_choices(ctx), value=selected),
            "revise_target": gr.update(choices=document_choices(ctx), value=selected)}


def nothing_chosen(message: str) -> dict:
    """A button pressed with nothing chosen: a notice, and every list left as it was (an error
    would mark the table and the pickers as failed)."""
    gr.Warning(message, title="提示")
    return {"status": f"**{message}**"}


def upload(ctx: AppContext, path: str | None, title: str, region: str, token: str | None = None,
           progress: gr.Progress = gr.Progress()):
    with for_people():
        check_admin(ctx.settings.admin_token, token)
        path = received_file(path, "file")
        if path is None:
            return nothing_chosen("请先选择要上传的文件（.docx、.pdf、.txt 或 .md）")
        progress(0, desc="读取文件")
        meta = add_document(ctx.data_dir, path, title=title.strip() or None, region=region.strip() or None,
                            max_bytes=ctx.settings.max_upload_bytes)
        report = ctx.ingest(on_progress=lambda i, n: progress((i, n), desc="向量化新条款"))
        clauses = len(ctx.retriever().corpus.of_document(meta.id))
        status = (f"已加入 {text(meta.id)}《{text(meta.title)}》（{text(meta.region)}）：{clauses} 条条款；"
                  f"本次新向量化 {report.embedded} 条，沿用 {report.reused} 条，用时 {report.seconds:.1f} 秒。")
        if report.flagged:
            status += ("\n\n**请核对**：以下条款读起来像是给助手的指令或收费引导（回答时只作为原文引用，不会执行）：\n"
                       + "\n".join(f"- {text(line)}" for line in report.flagged))
        return refreshed(ctx, status, meta.id)


def remove(ctx: AppContext, doc_id: str | None, token: str | None = None, progress: gr.Progress = gr.Progress()):
    with for_people():
        check_admin(ctx.settings.admin_token, token)
        if not doc_id:
            return nothing_chosen("请先选择要删除的上传文件")
        removed = remove_document(ctx.data_dir, doc_id)
        progress(0, desc="更新索引")
        report = ctx.ingest()
        named = "、".join(f"第 {m.version} 版《{text(m.title)}》" for m in reversed(removed))
        return refreshed(ctx, f"已删除 {text(doc_id)}（{named}），从索引移除 {report.removed} 条条款。")


LURE_HEADERS = ["条款", "类别", "读作诱导或指令的文字"]
LURE_KINDS = {LureKind.PAYMENT: "缴费/链接要求", LureKind.INSTRUCTION: "针对问答系统的指令"}
_LURE_ROWS: dict[tuple[str, str], list[list[str]]] = {}  # (data dir, index generation) → rows


def lure_rows(ctx: AppContext) -> list[list[str]]:
    """需管理员核对的条款: every clause of the live index read as a lure (ingest/lures.py) — the
    answers quote them only under a warning. Read once per index generation; none without an index."""
    try:
        retriever = ctx.retriever()
    except IndexError_:
        return []
    key = (str(ctx.data_dir), retriever.state.generation)
    if key not in _LURE_ROWS:
        _LURE_ROWS.clear()
        _LURE_ROWS[key] = [[c.citation, "、".join(LURE_KINDS[k] for k in lure.kinds), lure.excerpt]
                           for c, lure in flagged(retriever.clauses)]
    return _LURE_ROWS[key]


def lure_block(ctx: AppContext) -> gr.Dataframe:
    """A read-only list of the flagged clauses, filled on every page load (by a private load
    event: a callable value would be a public, unnamed /lambda endpoint in view_api)."""
    with gr.Accordion("需管理员核对的条款（含缴费/链接要求或针对问答系统的指令）", open=False):
        return gr.Dataframe(headers=LURE_HEADERS, interactive=False, wrap=True,
                            label="回答中只作为原文引用并附提醒，不会执行；请向发文机关核实后修订或删除文件",
                            elem_id="lure-clauses")


def in_status(handler):
    """A library change that fails says why in its status line (and a notice), replacing the
    last status, instead of leaving Gradio's red 错误 badge beside the old text."""
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except gr.Error as exc:
            gr.Warning(exc.message, title="未完成")
            return {"status": f"**未完成**：{exc.message}"}
    run.__wrapped__ = handler  # Gradio reads the signature (gr.Progress) through it
    return run


def admin_panel(ctx: AppContext, token: str | None) -> dict:
    """进入管理: the upload and delete panel, for the administrator only (checked on the
    server; every change is checked again by its own handler)."""
    with for_people():
        check_admin(ctx.settings.admin_token, token)
    return {"panel": gr.update(visible=True), "login": gr.update(visible=False),
            "uploaded": gr.update(choices=uploaded_choices(ctx), value=None),
            "revise_target": gr.update(choices=document_choices(ctx), value=None)}


def confirm_removal(ctx: AppContext, doc_id: str | None) -> dict:
    """删除, first step: say what will go, and ask."""
    if not doc_id:
        return nothing_chosen("请先选择要删除的上传文件")
    title = next((label for label, value in uploaded_choices(ctx) if value == doc_id), doc_id)
    return {"confirm": gr.update(visible=True),
            "question": f"确定删除 {text(title)}？它的条款将从索引中移除，问答不再引用。"}


def build(ctx: AppContext) -> dict:
    with gr.Tab("政策文件", id="library"):
        docs = gr.Dataframe(headers=DOC_HEADERS, interactive=False, label="文件库", elem_id="documents")
        with gr.Row():
            # Read on the server against the live library: "hn-tic" or the document's title (choices.py).
            doc = Choice([], label="查看文件", scale=3, elem_id="doc-picker",
                         resolve=lambda v: choices.document_named(ctx.retriever(), v),
                         documented=lambda: list(ctx.retriever().state.documents))
            query = gr.Textbox(label="搜索条款", placeholder="例如：研发投入", scale=3, elem_id="library-query")
            find = gr.Button("搜索", scale=1, elem_id="library-search")
        results = gr.Markdown(elem_id="library-results")
        with gr.Accordion("条款树", open=True):
            tree = gr.Markdown(elem_id="clause-tree")
        # The panel that changes the library: with an administrator token set, shown only after
        # the token is accepted; on a local single-user app (no token), folded away.
        admin = bool(ctx.settings.admin_token)
        with gr.Accordion("上传或删除文件（管理员）", open=not admin, elem_id="admin"):
            with gr.Row(visible=admin, elem_id="admin-login") as login:
                token = gr.Textbox(label="管理员口令", type="password", elem_id="admin-token", scale=3,
                                   visible=admin, info="增删文件需要管理员口令（向系统管理员索取）")
                enter = gr.Button("进入管理", scale=1, elem_id="admin-enter")
            with gr.Column(visible=not admin, elem_id="admin-panel") as panel:
                with gr.Row():
                    file = gr.File(label=f"政策文件（{'、'.join(SUPPORTED_SUFFIXES)}；修订后的文本在下方作为某份文件的新版本加入）",
                                   file_types=list(SUPPORTED_SUFFIXES), type="filepath", elem_id="doc-upload")
                    with gr.Column():
                        title = gr.Textbox(label="标题（可不填，默认取文件第一行）")
                        region = gr.Textbox(label="地区（可不填，默认从标题识别）")
                        add = gr.Button("加入并建立索引", variant="primary", elem_id="add-doc")
                revising = revision_controls(ctx)
                with gr.Row():
                    uploaded = live_documents(ctx, "已上传的文件", "uploaded-picker", uploaded_only=True, scale=3)
                    drop = gr.Button("删除", variant="stop", scale=1, elem_id="remove-doc")
                with gr.Row(visible=False, elem_id="remove-confirm") as confirm:
                    question = gr.Markdown(elem_id="remove-question")
                    sure = gr.Button("确认删除", variant="stop", scale=1, elem_id="remove-yes")
                    keep = gr.Button("取消", scale=1, elem_id="remove-no")
            status = gr.Markdown(elem_id="library-status")
        comparing = comparison_block(ctx)
        lures = lure_block(ctx)
        # On the user's pick only: a handler that sets the picker (upload, 在文件中查看) sends its own tree.
        # Named in words for API clients (view_api lists these parameter names).
        def clause_tree(document: str) -> str:
            return show_document(ctx, document)

        def search_clauses(query: str, document: str) -> str:
            return search(ctx, query, document)
        doc.input(clause_tree, doc, tree, api_name="clause_tree")
        find.click(search_clauses, [query, doc], results, api_name="search_clauses")
        query.submit(search_clauses, [query, doc], results, api_visibility="undocumented")
        listing = {"status": status, "documents": docs, "viewer": doc, "tree": tree, "uploaded": uploaded,
                   "revise_picker": comparing["revise_picker"], "revise_target": revising["revise_target"]}
        private = {"api_visibility": "private"}
        entered, shown = by_name(in_status(lambda k: admin_panel(ctx, k)),
                                 {"panel": panel, "login": login, "uploaded": uploaded, "status": status,
                                  "revise_target": revising["revise_target"]})
        enter.click(entered, token, shown, **private)
        token.submit(entered, token, shown, **private)
        added, shown = by_name(in_status(lambda p, t, r, k, progress=gr.Progress(): upload(ctx, p, t, r, k, progress)),
                               listing)
        lure_list = {"fn": lambda: lure_rows(ctx), "inputs": None, "outputs": lures, **private}
        add.click(added, [file, title, region, token], shown, concurrency_limit=1, concurrency_id="ingest",
                  **private).then(**lure_list)  # changing the library is no API route; the page still calls it
        asked, shown = by_name(lambda d: confirm_removal(ctx, d), {"confirm": confirm, "question": question,
                                                                 "status": status})
        drop.click(asked, uploaded, shown, queue=False, **private)
        keep.click(lambda: gr.update(visible=False), None, confirm, queue=False, **private)
        dropped, shown = by_name(in_status(lambda d, k, progress=gr.Progress(): remove(ctx, d, k, progress)), listing)
        sure.click(lambda: gr.update(visible=False), None, confirm, queue=False, **private).then(
            dropped, [uploaded, token], shown, concurrency_limit=1, concurrency_id="ingest", **private).then(**lure_list)
        wire_revisions(ctx, revising, comparing, listing, file, token, lure_list)
    return {"load": lambda: refreshed(ctx, ""), "outputs": listing, "viewer": doc, "tree": tree, "lures": lure_list}


# ---- 修订版本与修订对比 (kept apart from the upload/remove block above) ---------------------------
def version_choices(ctx: AppContext, doc_id: str | None) -> list[tuple[str, int]]:
    if not doc_id:
        return []
    return [(f"第 {v.meta.version} 版（{v.meta.status}{'，' + v.meta.date if v.meta.date else ''}）", v.meta.version)
            for v in document_versions(ctx.data_dir, doc_id)]


def versions_markdown(ctx: AppContext, doc_id: str | None) -> str:
    """Every version of the document, the current (answering) one marked."""
    if not doc_id:
        return ""
    found = document_versions(ctx.data_dir, doc_id)
    rows = ["| 版本 | 状态 | 日期 | 发文机关 | 来源 |", "|---|---|---|---|---|"]
    for v in found:
        m = v.meta
        rows.append(f"| 第 {m.version} 版{'（现行）' if v is found[-1] else ''} | {text(m.status)} | {m.date or '未注明'} "
                    f"| {text(m.issuer or '未注明')} | {'随附' if v.origin == 'builtin' else '加入于 ' + (m.added or '—')} |")
    return "\n".join(rows)


def pick_revised(ctx: AppContext, doc_id: str | None) -> dict:
    """A document picked for revising: its versions, and the two latest ready to compare."""
    with for_people():
        choices = version_choices(ctx, doc_id)
        numbers = [v for _, v in choices]
        return {"versions": versions_markdown(ctx, doc_id),
                "rev_from": gr.update(choices=choices, value=numbers[-2] if len(numbers) > 1 else None),
                "rev_to": gr.update(choices=choices, value=numbers[-1] if numbers else None), "rev_view": ""}


def compare(ctx: AppContext, doc_id: str | None, old: int | None, new: int | None) -> dict:
    """修订对比: the two versions side by side, changed words marked."""
    with for_people():
        if not doc_id:
            return nothing_chosen("请先选择要对比的文件")
        revision = compare_versions(ctx.data_dir, doc_id, old, new)
        title = {v.meta.version: v.meta.title for v in document_versions(ctx.data_dir, doc_id)}[revision.new]
        return {"rev_view": f"<style>{REVISION_CSS}</style>" + revision_html(revision, title)}


def add_version(ctx: AppContext, path: str | None, doc_id: str | None, confirmed: bool, token: str | None = None,
                progress: gr.Progress = gr.Progress()) -> dict:
    """The uploaded file as the next version of the chosen document — only when confirmed; the
    previous version is kept. The status says what changed and what that affects."""
    from evals.impact import report_revision

    with for_people():
        check_admin(ctx.settings.admin_token, token)
        path = received_file(path, "file")
        if path is None:
            return nothing_chosen("请先在上方选择修订后的文件")
        if not doc_id:
            return nothing_chosen("请先选择要修订的文件")
        if not confirmed:
            return nothing_chosen(f"请勾选确认：上传的文件将作为“{doc_id}”的新版本加入（旧版本保留，可撤销）")
        progress(0, desc="读取文件")
        meta = add_document(ctx.data_dir, path, replace=doc_id, max_bytes=ctx.settings.max_upload_bytes)
        report = ctx.ingest(on_progress=lambda i, n: progress((i, n), desc="向量化新条款"))
        impact = report_revision(ctx.data_dir, meta.id, meta.version, logbook=ctx.logbook())
        status = (f"已作为 {text(meta.id)} 的第 {meta.version} 版加入（{text(meta.status)}），第 {meta.version - 1} 版保留；"
                  f"本次新向量化 {report.embedded} 条，沿用 {report.reused} 条。")
        if impact is not None:
            status += "\n\n" + impact_markdown(impact)
        return {**refreshed(ctx, status, meta.id), **pick_revised(ctx, meta.id), "revise_confirm": False,
                **compare(ctx, meta.id, None, None)}


def undo_version(ctx: AppContext, doc_id: str | None, token: str | None = None) -> dict:
    """Remove the latest version added to the library: the one before answers again."""
    with for_people():
        check_admin(ctx.settings.admin_token, token)
        if not doc_id:
            return nothing_chosen("请先选择要撤销最新版本的文件")
        latest = document_versions(ctx.data_dir, doc_id)[-1].meta
        if latest.version == 1:
            return nothing_chosen(f"“{doc_id}”只有第 1 版，没有可撤销的修订版本")
        [removed] = remove_document(ctx.data_dir, doc_id, latest.version)
        ctx.ingest()
        status = f"已撤销 {text(doc_id)} 第 {removed.version} 版《{text(removed.title)}》，第 {removed.version - 1} 版恢复为现行版本。"
        return {**refreshed(ctx, status, doc_id), **pick_revised(ctx, doc_id)}


def revision_controls(ctx: AppContext) -> dict:
    """In the administrator's panel: the file chosen above as the next version of a document
    (confirmed first), or the latest version undone."""
    with gr.Row(elem_id="revise-controls"):
        target = live_documents(ctx, "作为哪份文件的新版本", "revise-target", scale=3)
        confirm = gr.Checkbox(label="确认把上方选择的文件作为它的新版本加入（旧版本保留，可撤销）",
                              scale=3, elem_id="revise-confirm")
    with gr.Row():
        add = gr.Button("作为新版本加入", variant="primary", elem_id="add-version")
        undo = gr.Button("撤销最新版本", variant="stop", elem_id="undo-version")
    return {"revise_target": target, "revise_confirm": confirm, "add": add, "undo": undo}


def comparison_block(ctx: AppContext) -> dict:
    """For everyone (reading is open): a document's versions and 修订对比 of two of them."""
    with gr.Accordion("修订版本与修订对比", open=False, elem_id="revisions"):
        target = live_documents(ctx, "文件", "revise-picker")
        versions = gr.Markdown(elem_id="version-list")
        with gr.Row():
            old = gr.Dropdown([], label="旧版本", elem_id="rev-from")
            new = gr.Dropdown([], label="新版本", elem_id="rev-to")
            show = gr.Button("修订对比", elem_id="rev-compare")
        view = gr.HTML(elem_id="revision-view")
    return {"revise_picker": target, "versions": versions, "rev_from": old, "rev_to": new, "rev_view": view,
            "show": show}


def wire_revisions(ctx: AppContext, revising: dict, comparing: dict, listing: dict, file: gr.File,
                   token: gr.Textbox, lure_list: dict) -> None:
    private = {"api_visibility": "private"}
    parts = {k: comparing[k] for k in ("versions", "rev_from", "rev_to", "rev_view")}
    target, picker = revising["revise_target"], comparing["revise_picker"]
    picked, shown = by_name(lambda d: pick_revised(ctx, d), parts)
    picker.input(picked, picker, shown, **private)
    compared, shown = by_name(lambda d, a, b: compare(ctx, d, a, b), {**parts, "status": listing["status"]})
    comparing["show"].click(compared, [picker, comparing["rev_from"], comparing["rev_to"]], shown, **private)
    everything = {**listing, **parts, "revise_confirm": revising["revise_confirm"]}
    added, shown = by_name(in_status(lambda p, d, c, k, progress=gr.Progress(): add_version(ctx, p, d, c, k, progress)),
                           everything)
    revising["add"].click(added, [file, target, revising["revise_confirm"], token], shown, concurrency_limit=1,
                          concurrency_id="ingest", **private).then(**lure_list)
    undone, shown = by_name(in_status(lambda d, k: undo_version(ctx, d, k)), everything)
    revising["undo"].click(undone, [target, token], shown, concurrency_limit=1, concurrency_id="ingest",
                           **private).then(**lure_list)
