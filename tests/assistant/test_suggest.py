"""猜你想问 on the real index: suggestions come from the cited clause's neighbours in the same
document, and asking one finds the clause it is about."""
import pytest

from assistant import Assistant
from assistant.suggest import next_questions
from assistant.types import Answer, Citation

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


def test_asking_a_suggestion_finds_what_it_is_about_across_every_document(real_retriever):
    """Over every clause of every shipped document as the cited one: the suggested question's
    topic clause (or an item under it) is among the first three retrieved."""
    asked = found = 0
    misses = []
    for clause in real_retriever.corpus:
        if clause.part:
            continue
        for q in next_questions(Answer(question="", text="", citations=(Citation(1, clause),)), real_retriever.corpus,
                                k=1):
            topic = q.split("“", 1)[1].rsplit("”", 1)[0]
            hits = real_retriever.search(q, k=3)
            asked += 1
            good = any(h.clause.heading == topic or any(topic in b for b in h.clause.breadcrumb) for h in hits)
            found += good
            if not good:
                misses.append(q)
    assert asked > 150
    assert found / asked >= 0.9, misses[:10]
