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
    if report.flagged:
        typer.secho(f"请管理员核对：{len(report.flagged)} 条条款读起来像是给助手的指令或收费引导"
                    "（回答时只作为原文引用，不会执行）：", fg=typer.colors.YELLOW, err=True)
        for line in report.flagged:
            typer.secho(f"  {line}", fg=typer.colors.YELLOW, err=True)


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
        typer.echo(f"  {doc_id:<16} {m['region']:<4} {m['status']:<6} {counts.get(doc_id, 0):>4} 条  《{m['title']}》")


def add(file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".docx/.pdf/.txt/.md"),
        doc_id: Optional[str] = typer.Option(None, "--id", help="文件编号（默认由文件名生成）"),
        title: Optional[str] = typer.Option(None, "--title"),
        region: Optional[str] = typer.Option(None, "--region"),
        data_dir: Optional[Path] = DataDir):
    """把一份新的或修订的政策文件加入文件库，并增量更新索引。"""
    from ingest.library import add_document

    s = settings_for(data_dir)
    try:
        with reported():
            meta = add_document(s.data_dir, file, doc_id=doc_id, title=title, region=region,
                                max_bytes=s.max_upload_bytes)
    except OSError as exc:
        fail(f"无法读取文件“{file}”：{os_problem(exc)}")
    typer.echo(f"已加入：{meta.id}《{meta.title}》（{meta.region}）")
    ingest(rebuild=False, data_dir=s.data_dir, quiet=False)  # its progress bar: the new clauses being embedded


def remove(doc_id: str = typer.Argument(...), data_dir: Optional[Path] = DataDir):
    """从文件库删除一份上传的文件，并从索引中移除它的条款。"""
    from ingest.library import remove_document

    s = settings_for(data_dir)
    with reported():
        remove_document(s.data_dir, doc_id)
    typer.echo(f"已删除：{doc_id}")
    ingest(rebuild=False, data_dir=s.data_dir, quiet=True)
