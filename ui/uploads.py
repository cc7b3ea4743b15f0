"""Files that reach a handler from the page. A Gradio event names a file by its server path
(FileData.path), and a client can write any path there: a handler reads only a file that Gradio
itself received from an upload in this app — a regular file (no symlink) under Gradio's upload
folder — and never a path elsewhere on the server. Gradio checks the same before the handler
runs once the app is marked launched (ui/web.py); this is the second, independent check."""
from __future__ import annotations

import os
from pathlib import Path

from ingest.errors import InvalidInput


class UploadRejected(InvalidInput):
    """A file path that no upload to this app produced."""


def upload_folder() -> Path:
    """Where Gradio keeps the files clients upload (GRADIO_TEMP_DIR, or the system's temp/gradio)."""
    from gradio.utils import get_upload_folder
    return Path(get_upload_folder()).resolve()


def received_file(path: str | os.PathLike | None, field: str) -> Path | None:
    """The uploaded file at `path`, checked: inside the upload folder once every link is resolved,
    no symlink anywhere below it, a regular file. None when nothing was uploaded."""
    if not path:
        return None
    given = Path(os.path.abspath(path))
    folder = upload_folder()
    try:
        relative = given.relative_to(folder)
    except ValueError:
        raise UploadRejected(field, "只能使用通过本页面上传的文件") from None
    probe = folder
    for part in relative.parts:  # a link inside the folder could point anywhere
        probe = probe / part
        if probe.is_symlink():
            raise UploadRejected(field, "上传的文件不能是符号链接")
    if not given.is_file():
        raise UploadRejected(field, "上传的文件不存在或已过期，请重新上传")
    return given
