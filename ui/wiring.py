"""Handlers return their outputs by name ({"status": …, "table": …}); the tab wires the names to
its components, in Gradio's {component: value} form. A handler then reads like what it changes,
an output it leaves alone is simply not named (no `gr.update()` placeholders), and adding an
output cannot shift the others as it would in a positional tuple. Handlers stay testable
without a page: their tests read the names."""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import gradio as gr


def by_name(handler: Callable, components: dict[str, gr.components.Component]) -> tuple[Callable, list]:
    """(the handler in Gradio's dict form, its outputs list). Wrapping keeps the signature
    (inspect follows __wrapped__), so gr.Progress and event-data parameters are still found,
    and a generator stays a generator (streamed outputs)."""
    def to_components(named: dict[str, Any]) -> dict:
        unknown = set(named) - set(components)
        if unknown:  # a programming error, caught by the tab's tests
            raise KeyError(f"{getattr(handler, '__name__', handler)} returned outputs the page does not have: {sorted(unknown)}")
        return {components[name]: value for name, value in named.items()}

    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def streamed(*args, **kwargs):
            for named in handler(*args, **kwargs):
                yield to_components(named)
        return streamed, list(components.values())

    @functools.wraps(handler)
    def returned(*args, **kwargs):
        return to_components(handler(*args, **kwargs))
    return returned, list(components.values())
