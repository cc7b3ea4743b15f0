"""Handlers return outputs by name; the wiring turns them into Gradio's {component: value}
form without hiding what Gradio reads from the handler (progress, streaming)."""
import inspect

import gradio as gr
import pytest

from ui.wiring import by_name


def test_named_outputs_become_components_and_unnamed_ones_are_left_alone():
    with gr.Blocks():
        status, table = gr.Markdown(), gr.Dataframe()
    fn, outputs = by_name(lambda: {"status": "已加入"}, {"status": status, "table": table})
    assert outputs == [status, table] and fn() == {status: "已加入"}


def test_a_streamed_handler_stays_a_generator_and_keeps_its_progress_parameter():
    with gr.Blocks():
        box = gr.Textbox()

    def handler(q, progress=gr.Progress()):
        yield {"box": q}
        yield {"box": q + "！"}

    fn, _ = by_name(handler, {"box": box})
    assert inspect.isgeneratorfunction(fn)
    assert isinstance(inspect.signature(fn).parameters["progress"].default, gr.Progress)
    assert list(fn("问")) == [{box: "问"}, {box: "问！"}]


def test_an_output_the_page_does_not_have_is_a_programming_error():
    with gr.Blocks():
        box = gr.Textbox()
    fn, _ = by_name(lambda: {"bx": 1}, {"box": box})
    with pytest.raises(KeyError, match="bx"):
        fn()
