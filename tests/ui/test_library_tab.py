"""The document tab's handlers on the real index."""
import shutil

import pytest

from ui.context import AppContext
from ui.library_tab import search
from ui.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(real_index, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("library") / "data"
    shutil.copytree(real_index, data_dir)
    return AppContext(Settings(data_dir=data_dir))


def test_clause_search_shows_only_relevant_clauses(ctx):
    assert search(ctx, "火星移民签证怎么办", None) == "没有找到相关条款。"
    found = search(ctx, "牵头企业 年主营业务收入", None)
    assert "第五条（二）1" in found


def test_view_in_document_marks_the_cited_clause(ctx):
    from ui.library_tab import focus_clause
    from ui.links import SEPARATOR

    shown = focus_clause(ctx, f"《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1{SEPARATOR}1733300000")
    assert shown["viewer"]["value"] == "gx-consortium"
    marked = [line for line in shown["tree"].split("\n\n") if "<mark>" in line]
    assert len(marked) == 1 and "第五条（二）1" in marked[0] and "10亿元" in marked[0]
    with pytest.warns(UserWarning, match="已没有这一条款"):
        assert focus_clause(ctx, "《已删除的文件》第一条") == {}
