"""The library and its index: ingest, info, add, remove."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ui.errors import os_problem
from ui.cli.common import DataDir, fail, reported, settings_for


def ingest(rebuild: bool = typer.Option(False, "--rebuild", help="丢弃现有索引，全部重建"),
           data_dir: Optional[Path] = DataDir, quiet: bool = typer.Option(False, "--quiet")):
    """解析政策文件并建立（或增量更新）索引。"""
    from ui.services import run_ingest

    s = settings_for(data_dir)
    before = _indexed(s.data_dir)
    with reported():
        report = run_ingest(s, rebuild=rebuild, progress=not quiet)
    if report.moved_aside:
        typer.secho(f"原向量库无法读取，已移到 {report.moved_aside}（可删除），索引已从头重建",
                    fg=typer.colors.YELLOW, err=True)
    if report.unchanged:
        typer.echo(f"索引已是最新：{report.documents} 份文件，{report.clauses} 条条款，未重新向量化（{report.seconds:.2f} 秒）")
    else:
        shared = (f"（其中相同文本只计算一次，模型实际计算 {report.texts_embedded} 段）"
                  if report.texts_embedded < report.embedded else "")
        typer.echo(f"索引完成：{report.documents} 份文件，{report.clauses} 条条款；新向量化 {report.embedded} 条{shared}，"
                   f"沿用 {report.reused} 条，移除 {report.removed} 条（{report.seconds:.1f} 秒）")
        _name_what_left(before, _indexed(s.data_dir))
    if report.flagged:
        typer.secho(f"请管理员核对：{len(report.flagged)} 条条款读起来像是给助手的指令或收费引导"
                    "（回答时只作为原文引用，不会执行）：", fg=typer.colors.YELLOW, err=True)
        for line in report.flagged:
            typer.secho(f"  {line}", fg=typer.colors.YELLOW, err=True)


def _indexed(data_dir: Path) -> dict[str, dict]:
    """The documents the serving index holds (none when there is no readable index)."""
    from ingest.errors import IndexError_
    from ingest.store import read_state
    try:
        state = read_state(data_dir)
    except IndexError_:
        return {}
    return dict(state.documents) if state else {}


def _name_what_left(before: dict[str, dict], after: dict[str, dict]) -> None:
    """Nothing leaves the index unnamed: documents gone, and documents whose text was replaced."""
    for doc_id, m in before.items():
        if doc_id not in after:
            typer.echo(f"  已从索引移除：{doc_id}《{m.get('title', '')}》")
        elif m.get("sha") != after[doc_id].get("sha"):
            typer.echo(f"  已更新：{doc_id}《{after[doc_id].get('title', '')}》（原文本的条款换成现行版本的条款）")


def info(data_dir: Optional[Path] = DataDir, as_json: bool = typer.Option(False, "--json")):
    """文件、条款数与索引状态（并核对条款库与向量库是否完整）。"""
    from ingest.errors import IndexMissing
    from ingest.store import check_index, read_state
    from retriever.calibration import calibration_for

    s = settings_for(data_dir)
    with reported(as_json):
        state = read_state(s.data_dir)
        if state is None:
            raise IndexMissing(s.data_dir)
        counts = check_index(s.data_dir, s.chroma_url, state, s.chroma_token)
    calibration = calibration_for(s.data_dir, state.embedder)
    if as_json:
        typer.echo(json.dumps({"generation": state.generation, "embedder": state.embedder,
                               "collection": state.collection, "namespace": state.namespace or None,
                               "clauses": state.clause_count, "created": state.created,
                               "calibration": calibration.to_dict(),
                               "documents": {d: {**m, "clauses": counts.get(d, 0)}
                                             for d, m in state.documents.items()}},
                              ensure_ascii=False, indent=1))
        return
    typer.echo(f"索引版本 {state.generation}（{state.created}），向量模型 {state.embedder}，"
               f"共 {state.clause_count} 条条款，向量集合 {state.collection}")
    typer.echo(f"相似度下限 {calibration.min_top_similarity}，文件边际 {calibration.document_margin}，"
               f"融合 RRF k={calibration.rrf_k}、向量权重 {calibration.dense_weight}（{calibration.source}）")
    for doc_id, m in state.documents.items():
        typer.echo(f"  {doc_id:<16} {m['region']:<4} {m['status']:<6} 第 {m.get('version', 1)} 版 "
                   f"{counts.get(doc_id, 0):>4} 条  《{m['title']}》")


def add(file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".docx/.pdf/.txt/.md"),
        doc_id: Optional[str] = typer.Option(None, "--id", help="新文件的编号（默认由文件名生成，已被占用时另取）"),
        replace: Optional[str] = typer.Option(None, "--replace", help="作为这份已有文件（内置或上传）的新版本加入，旧版本保留"),
        title: Optional[str] = typer.Option(None, "--title"),
        region: Optional[str] = typer.Option(None, "--region"),
        status: Optional[str] = typer.Option(None, "--status", help="状态：征求意见稿、修订、印发（默认从原文识别）"),
        date: Optional[str] = typer.Option(None, "--date", help="发文日期，如 2024-03-01（默认从原文识别）"),
        issuer: Optional[str] = typer.Option(None, "--issuer", help="发文机关（默认从原文识别）"),
        data_dir: Optional[Path] = DataDir):
    """把一份新的政策文件加入文件库；或用 --replace 把修订后的文本作为已有文件的新版本（旧版本保留），并增量更新索引。"""
    from ingest.library import add_document

    s = settings_for(data_dir)
    if doc_id is not None and replace is not None:
        fail("--id 与 --replace 只能选一个：--replace 沿用被替换文件的编号", field="id")
    try:
        with reported():
            meta = add_document(s.data_dir, file, doc_id=doc_id, replace=replace, title=title, region=region,
                                status=status, date=date, issuer=issuer, max_bytes=s.max_upload_bytes)
    except OSError as exc:
        fail(f"无法读取文件“{file}”：{os_problem(exc)}")
    stated = "，".join(x for x in (meta.status, meta.date, meta.issuer) if x)
    if meta.version > 1:
        typer.echo(f"已作为 {meta.id} 的第 {meta.version} 版加入：《{meta.title}》（{stated}）；"
                   f"第 {meta.version - 1} 版保留在文件库中，可用 diff {meta.id} 对比")
    else:
        typer.echo(f"已加入：{meta.id}《{meta.title}》（{meta.region}，{stated}）")
    ingest(rebuild=False, data_dir=s.data_dir, quiet=False)  # its progress bar: the new clauses being embedded
    if meta.version > 1:
        _report_revision(s, meta.id, meta.version)


def _report_revision(s, doc_id: str, version: int) -> None:
    """The impact report of a version just added (kept beside it and in the logbook)."""
    from evals.impact import report_revision
    from evals.logbook import Logbook, LogbookError

    try:
        logbook = Logbook(s.data_dir, url=s.db_url)
    except LogbookError as exc:
        typer.secho(f"问答记录库打不开，未检查问答记录：{exc}", fg=typer.colors.YELLOW, err=True)
        logbook = None
    with reported():
        report = report_revision(s.data_dir, doc_id, version, logbook=logbook)
    if report is None:
        return
    head, *rest = report.lines()
    typer.echo(f"影响报告：{head}")
    for line in rest:
        typer.secho(f"  {line}", fg=typer.colors.YELLOW)


def remove(doc_id: str = typer.Argument(...),
           version: Optional[int] = typer.Option(None, "--version", help="只删除加入的这一版（之前的版本恢复为现行版本）"),
           data_dir: Optional[Path] = DataDir):
    """从文件库删除一份上传的文件（全部版本），或用 --version 删除加入的某一版，并更新索引。"""
    from ingest.library import document_versions, remove_document

    s = settings_for(data_dir)
    with reported():
        removed = remove_document(s.data_dir, doc_id, version)
    for meta in removed:
        typer.echo(f"已删除：{meta.id} 第 {meta.version} 版《{meta.title}》")
    with reported():
        try:
            current = document_versions(s.data_dir, doc_id)[-1].meta
            typer.echo(f"{doc_id} 现行版本：第 {current.version} 版《{current.title}》（{current.status}）")
        except KeyError:
            pass  # the whole document went
    ingest(rebuild=False, data_dir=s.data_dir, quiet=True)


def versions(doc_id: str = typer.Argument(...), data_dir: Optional[Path] = DataDir,
             as_json: bool = typer.Option(False, "--json")):
    """列出一份文件的全部版本（版本号、状态、日期、发文机关、加入时间；最后一版为现行版本）。"""
    from dataclasses import asdict

    from ingest.library import document_versions

    s = settings_for(data_dir)
    with reported(as_json):
        found = document_versions(s.data_dir, doc_id)
    if as_json:
        typer.echo(json.dumps([{**asdict(v.meta), "origin": v.origin, "current": v is found[-1]} for v in found],
                              ensure_ascii=False, indent=1))
        return
    for v in found:
        m = v.meta
        mark = "（现行）" if v is found[-1] else ""
        typer.echo(f"第 {m.version} 版{mark}  {m.status:<6} {m.date or '日期未注明'}  {m.issuer or '发文机关未注明'}  "
                   f"{'随附' if v.origin == 'builtin' else '加入于 ' + (m.added or '—')}  《{m.title}》")


def diff(doc_id: str = typer.Argument(...),
         old: Optional[int] = typer.Option(None, "--from", help="旧版本号（默认为现行版本的前一版）"),
         new: Optional[int] = typer.Option(None, "--to", help="新版本号（默认为现行版本）"),
         as_json: bool = typer.Option(False, "--json", help="输出 JSON：{doc_id, from, to, changes: [...]}"),
         as_markdown: bool = typer.Option(False, "--markdown", help="输出 Markdown"),
         answers_out: Optional[Path] = typer.Option(None, "--answers", help="把引用了已改条款的问答记录导出为 .csv 或 .xlsx（个人信息已隐去）"),
         data_dir: Optional[Path] = DataDir):
    """逐条对比一份文件的两个版本：修改、移动（条款号变了）、新增、删除，并列出变化的数字。"""
    from ingest.alignment import compare_versions
    from ingest.library import document_versions
    from ui.revision_view import revision_markdown

    s = settings_for(data_dir)
    if as_json and as_markdown:
        fail("--json 与 --markdown 只能选一个", field="format")
    with reported(as_json):
        revision = compare_versions(s.data_dir, doc_id, old, new)
        titles = {v.meta.version: v.meta.title for v in document_versions(s.data_dir, doc_id)}
    if answers_out is not None:
        _export_affected(s, revision, titles[revision.old], answers_out, as_json)
    if as_json:
        typer.echo(json.dumps(revision.to_dict(), ensure_ascii=False, indent=1))
    elif as_markdown:
        typer.echo(revision_markdown(revision, titles[revision.new]))
    else:
        typer.echo(f"{doc_id}：第 {revision.old} 版 → 第 {revision.new} 版，{len(revision.changes)} 处变化")
        for c in revision.changes:
            where = f"{c.old_path} → {c.new_path}" if c.kind.value == "moved" else (c.new_path or c.old_path)
            figures = "；".join(f"{f.old or '（无）'} → {f.new or '（无）'}" for f in c.figures)
            typer.echo(f"  {c.kind.label}  {where}" + (f"  数字：{figures}" if figures else ""))


def _export_affected(s, revision, old_title: str, out: Path, as_json: bool) -> None:
    """The logged answers that cited a clause this revision changed, masked, for officials."""
    from evals.export import EXPORT_SUFFIXES, export_answers
    from evals.impact import answer_impacts
    from evals.logbook import Logbook
    from ui.cli.common import check_output

    if out.suffix.lower() not in EXPORT_SUFFIXES:
        fail(f"导出文件应为 {' 或 '.join(EXPORT_SUFFIXES)}：{out.name}", as_json=as_json, field="answers")
    check_output(out, "answers", directory=False, as_json=as_json)
    with reported(as_json):
        logged = Logbook(s.data_dir, url=s.db_url).answers()
        affected = {a.answer_id for a in answer_impacts(revision, old_title, logged)}
        n = export_answers([a for a in logged if a["answer_id"] in affected], out)
    typer.secho(f"已导出 {n} 条引用了已改条款的问答记录到 {out}", err=True)
