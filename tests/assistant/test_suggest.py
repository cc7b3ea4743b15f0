"""猜你想问 on the real index: suggestions come from the cited clause's neighbours in the same
document. That asking one finds the clause it is about, over every shipped clause, is a
whole-set figure: `policy-assistant eval --check` (evals/check.py, suggestions)."""
import pytest

from assistant import Assistant
from assistant.suggest import next_questions

pytestmark = pytest.mark.slow


def test_suggestions_are_about_the_cited_clauses_neighbours(real_retriever):
    answer = Assistant(real_retriever).answer("广西创新联合体的牵头企业营收要多少？")
    found = next_questions(answer, real_retriever.corpus)
    assert 1 <= len(found) <= 3 and len(set(found)) == len(found)
    assert found[0] == "《广西创新联合体管理办法》对“参与单位应具备的条件”是怎么规定的？"  # the sibling first
    assert all(q.startswith("《广西创新联合体管理办法》") for q in found)  # the same document
    assert not any("牵头单位应具备的条件" in q for q in found)  # not what was just answered


def test_no_suggestions_after_a_refusal(real_retriever):
    refused = Assistant(real_retriever).answer("上海的创新联合体有什么要求？")
    assert refused.refused and next_questions(refused, real_retriever.corpus) == []
