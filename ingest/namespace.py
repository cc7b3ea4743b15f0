"""Collection names per deployment: <namespace>_<generation>. Kept free of Chroma imports so
the settings can validate a namespace cheaply."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest.errors import NamespaceError

LEGACY_NAMESPACE = "clauses"  # collections were clauses_<generation> before namespaces
MAX_NAMESPACE = 40
_NAMESPACE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_GENERATION = re.compile(r"\d{8}T\d{12}")


def default_namespace(data_dir: Path) -> str:
    """Deterministic per resolved data dir: two data dirs on one Chroma server never share one,
    and the same dir always gets the same one back. Readable prefix + path hash."""
    resolved = str(Path(data_dir).expanduser().resolve())
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(resolved).name).strip("-")[:20] or "data"
    return f"{stem}-{hashlib.sha1(resolved.encode('utf-8')).hexdigest()[:10]}"


def check_namespace(namespace: str) -> str:
    """The namespace, or NamespaceError saying what Chroma's collection names allow."""
    if not isinstance(namespace, str) or not _NAMESPACE.fullmatch(namespace) \
            or len(namespace) > MAX_NAMESPACE or ".." in namespace:
        raise NamespaceError(
            f"命名空间 POLICY_NAMESPACE“{namespace}”无效：只能包含英文字母、数字、点、下划线和连字符，"
            f"以字母或数字开头和结尾，不能有连续的两个点，最长 {MAX_NAMESPACE} 个字符")
    return namespace


def collection_name(namespace: str, generation: str) -> str:
    return f"{namespace}_{generation}"


def generation_of(name: str, namespace: str) -> str | None:
    """The generation a collection name belongs to in this namespace, else None. The
    generation has a fixed shape, so namespace "a" never claims "a_b_<generation>"."""
    prefix = f"{namespace}_"
    rest = name[len(prefix):] if name.startswith(prefix) else ""
    return rest if _GENERATION.fullmatch(rest) else None


def is_generation(name: str) -> bool:
    return bool(_GENERATION.fullmatch(name))
