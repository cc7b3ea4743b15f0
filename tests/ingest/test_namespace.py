"""Collection names per deployment: <namespace>_<generation>, and cleanup that only ever
claims its own namespace's collections."""
import pytest

from ingest.namespace import (
    NamespaceError, check_namespace, collection_name, default_namespace, generation_of,
)
from ingest.store import stale_collections

GEN = "20260101T000000000000"


def test_default_namespace_is_deterministic_per_resolved_dir(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    assert default_namespace(a) == default_namespace(a) != default_namespace(b)
    monkeypatch.chdir(tmp_path)
    assert default_namespace(a) == default_namespace(type(a)("a"))  # relative = same dir resolved
    assert default_namespace(tmp_path / "x" / ".." / "a") == default_namespace(a)


@pytest.mark.parametrize("name", ["data", "生产数据", "..", "-", "a b", "x" * 300, "policy data.v2"])
def test_default_namespace_is_always_a_valid_collection_prefix(tmp_path, name):
    ns = default_namespace(tmp_path / name)
    assert check_namespace(ns) == ns


@pytest.mark.parametrize("ns", ["prod", "a", "team-1.policy_v2", "A" * 40])
def test_valid_namespaces(ns):
    assert check_namespace(ns) == ns


@pytest.mark.parametrize("ns", ["", "-prod", "prod-", "a..b", "生产", "a b", "a/b", "A" * 41, "prod_", None, 7])
def test_invalid_namespaces_are_explained_in_chinese(ns):
    with pytest.raises(NamespaceError, match="POLICY_NAMESPACE.*只能包含英文字母、数字"):
        check_namespace(ns)


def test_a_namespace_never_claims_another_namespaces_collections():
    assert generation_of(collection_name("a", GEN), "a") == GEN
    assert generation_of(collection_name("a_b", GEN), "a") is None      # "a_b_<gen>" is a_b's
    assert generation_of(collection_name("a", GEN), "a_b") is None
    assert generation_of("a_not-a-generation", "a") is None


def test_stale_collections_keep_the_serving_one_and_foreign_ones():
    keep = collection_name("mine", GEN)
    names = {keep, collection_name("mine", "20250101T000000000000"), collection_name("theirs", GEN),
             collection_name("mine_x", GEN), "mine_notes", "clauses_20240101T000000000000"}
    assert stale_collections(names, ("mine",), keep) == ["mine_20250101T000000000000"]
    assert stale_collections(names, ("mine", "clauses"), keep) == [
        "clauses_20240101T000000000000", "mine_20250101T000000000000"]
