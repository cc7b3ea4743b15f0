"""The edges people touch: the CLI and (later) the Gradio app. Only wiring lives here."""
