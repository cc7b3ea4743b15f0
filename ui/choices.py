"""Pickers whose values are read on the server, for the page and for gradio_client alike.

A Gradio dropdown checks a value against the choices it was built with and says so in English
("Value: gx-tic is not in the list of choices: []"): a library that changes after the page was
built (uploads) and API clients that name a region as people do ("湖南省", "湖南") both fail
there. `Choice` and `Pick` instead resolve the value when the event runs — against the live
library, through `resolve` — document the library's values in view_api (`documented`, a
Literal there), and say in Chinese what was wrong, naming the field and the valid values.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterable

import gradio as gr
import gradio.component_meta

from ingest.errors import InvalidInput

Resolver = Callable[[str], str]


class UnknownChoice(InvalidInput):
    """A picked value the list does not hold."""


def among(values: Iterable[tuple[str, str]] | Iterable[str], aliases: dict[str, str] | None = None) -> Resolver:
    """A resolver over fixed (label, value) choices: a value, its label or an alias → the value."""
    pairs = [v if isinstance(v, tuple) else (v, v) for v in values]
    known = {**{label: value for label, value in pairs}, **(aliases or {}), **{value: value for _, value in pairs}}

    def resolve(given: str) -> str:
        if given in known:
            return known[given]
        raise UnknownChoice(None, f"没有“{given}”这一项，可选：{'、'.join(v or '（不限）' for _, v in pairs)}")
    return resolve


def _resolved(component: gr.components.Component, resolve: Resolver | None, payload: Any) -> Any:
    if payload is None or resolve is None:
        return payload
    try:
        return resolve(str(payload).strip())
    except InvalidInput as exc:
        raise gr.Error(f"“{component.label or '选项'}”{exc.message}", title="请修改", print_exception=False) from None


def _documented(info: dict, documented: Callable[[], list[str]] | None) -> dict:
    if documented is not None:
        try:
            info = {**info, "enum": list(documented())}
        except Exception:  # noqa: BLE001 — no index yet: view_api still answers, without the list
            pass
    return info


@contextmanager
def _no_stub_files():
    """Gradio writes a .pyi stub beside any module that subclasses a component (tooling for
    custom-component packages): importing the app must not write into its own installation."""
    real = gradio.component_meta.create_or_modify_pyi
    gradio.component_meta.create_or_modify_pyi = lambda *args, **kwargs: None
    try:
        yield
    finally:
        gradio.component_meta.create_or_modify_pyi = real


with _no_stub_files():
    class Choice(gr.Dropdown):
        """A dropdown resolved on the server: `resolve(value)` → the value the handler gets (or an
        InvalidInput, shown in Chinese); `documented()` → the values view_api lists."""

        is_template = True  # rendered as a plain dropdown

        def __init__(self, choices: list | None = None, *, resolve: Resolver | None = None,
                     documented: Callable[[], list[str]] | None = None, **kwargs) -> None:
            # Keyword arguments only: Gradio re-creates a component from its recorded keywords.
            self._resolve, self._documented = resolve, documented
            custom = kwargs.pop("allow_custom_value", False) or resolve is not None  # checked here, not by Gradio
            super().__init__(choices=choices, allow_custom_value=custom, **kwargs)

        def preprocess(self, payload: Any) -> Any:
            return _resolved(self, self._resolve, payload)

        def get_config(self, cls=None) -> dict[str, Any]:  # the page's props are a dropdown's
            return super().get_config(cls or gr.Dropdown)

        def api_info(self) -> dict[str, Any]:
            return _documented(super().api_info(), self._documented)


    class Pick(gr.Radio):
        """A radio group with the same server-side reading as Choice (labels and aliases accepted,
        a wrong value said in Chinese)."""

        is_template = True

        def __init__(self, choices: list | None = None, *, aliases: dict[str, str] | None = None, **kwargs) -> None:
            self._resolve = among(choices or [], aliases)
            super().__init__(choices=choices, **kwargs)

        def preprocess(self, payload: Any) -> Any:
            return _resolved(self, self._resolve, payload)

        def get_config(self, cls=None) -> dict[str, Any]:  # the page's props are a radio group's
            return super().get_config(cls or gr.Radio)


# ---- the library's regions and documents (read from the live index) ------------------------
ALL = ""  # no filter: every region, every document


def region_choices(retriever) -> list[tuple[str, str]]:
    return [("全部地区", ALL)] + [(r, r) for r in retriever.regions]


def document_choices(retriever) -> list[tuple[str, str]]:
    return [("全部文件", ALL)] + [(m.get("short_title") or m["title"], doc_id)
                                 for doc_id, m in retriever.state.documents.items()]


def region_named(retriever, given: str) -> str:
    """"湖南", "湖南省", a city of it, or a document id of it → the library's region "湖南"."""
    if given in ("", "全部地区"):
        return ALL
    documents = retriever.state.documents
    region = retriever.scope.region_of_doc.get(given) if given in documents else None
    region = region or retriever.scope.glossary.canonical_region(given)
    if region not in retriever.regions:
        named = {name: r for r, names in retriever.scope.region_names().items() for name in names}
        region = named.get(given, region)
    if region in retriever.regions:
        return region
    raise UnknownChoice("region", f"没有“{given}”的文件，可选地区：{'、'.join(retriever.regions)}")


def document_named(retriever, given: str) -> str:
    """A document id, its title or short title (with or without 《》) → its id."""
    if given in ("", "全部文件"):
        return ALL
    documents = retriever.state.documents
    bare = given.strip("《》")
    for doc_id, meta in documents.items():
        if bare in (doc_id, meta.get("title"), meta.get("short_title")):
            return doc_id
    raise UnknownChoice("doc_id", f"没有“{given}”这份文件，可选：{'、'.join(documents)}")


def mode_choices(ctx) -> list[str]:
    """The answer modes this deployment offers (大模型 only with a model configured)."""
    from assistant.types import MODE_LABELS
    return [label for mode, label in MODE_LABELS.items() if mode != "llm" or ctx.llm_configured]
