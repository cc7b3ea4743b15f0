"""Scope from the library: the places and programmes a question names, against what the
indexed documents cover — the shipped five, and libraries with documents nobody here wrote."""
from dataclasses import asdict

import pytest

from corpus import load_documents
from corpus.glossary import load_glossary
from retriever.scope import LibraryScope

SHIPPED = LibraryScope.from_documents({d.id: asdict(d) for d in load_documents()})


def _with(**docs) -> LibraryScope:
    """The shipped library plus uploaded documents given as id=(title, region, doc_type)."""
    extra = {d: {"title": t, "region": r, "doc_type": p} for d, (t, r, p) in docs.items()}
    return LibraryScope.from_documents({**{d.id: asdict(d) for d in load_documents()}, **extra})


@pytest.mark.parametrize("question,regions", [
    ("广西创新联合体牵头企业营收要多少？", ("广西",)),
    ("桂的示范区一年建几个？", ("广西",)),
    ("内蒙的技术创新中心年报什么时候交？", ("内蒙古",)),
    ("蒙技创中心主任要干满几个月？", ("内蒙古",)),
    ("湘技术创新中心注册资金多少？", ("湖南",)),
    ("自治区技术创新中心建设期几年？", ()),  # 广西 and 内蒙古 are both 自治区
    ("那湖南和广西比呢？", ("湖南", "广西")),  # in the order the question names them
    ("广西和湖南比呢？", ("广西", "湖南")),
    ("南宁的企业能牵头创新联合体吗？", ("广西",)),  # a city names its province
    ("百色市的企业能牵头创新联合体吗？", ("广西",)),  # any prefecture by its full name (glossary prefectures)
    ("锡林郭勒盟有技术创新中心吗？", ("内蒙古",)),
    ("朝阳产业的企业能牵头创新联合体吗？", ()),  # a bare 朝阳 is a word, not 辽宁's 朝阳市
    ("阿里巴巴能参加广西创新联合体吗？", ("广西",)),  # nor 阿里 西藏's 阿里地区
])
def test_regions_named_in_question(question, regions):
    assert SHIPPED.detect(question).regions == regions


def test_document_types_and_regions_outside_the_library():
    scope = SHIPPED.detect("广东的创新联合体要几家单位？")
    assert scope.doc_types == ("创新联合体",) and scope.regions == () and scope.other_regions == ("广东",)
    assert SHIPPED.detect("示范区指标体系").doc_types == ("成果转化示范区",)
    assert SHIPPED.detect("技创中心怎么申请").doc_types == ("技术创新中心",)
    assert SHIPPED.detect("津贴怎么发？").other_regions == ()  # no one-character alias of 天津


def test_programmes_are_outside_only_while_no_document_covers_them():
    q = "高企认定研发费用占比要多少？"
    assert SHIPPED.detect(q).other_programmes == ("高企认定",)
    uploaded = _with(hte=("高新技术企业认定管理办法", "全国", "高新技术企业"))
    assert uploaded.detect(q).other_programmes == ()
    assert uploaded.detect(q).doc_types == ("高新技术企业",)
    r = "新型研发机构认定需要满足什么条件？"
    assert SHIPPED.detect(r).other_programmes == ("新型研发机构认定",)
    assert _with(js=("江苏省新型研发机构管理办法（试行）", "江苏", "新型研发机构")).detect(r).other_programmes == ()


def test_an_uploaded_region_is_in_scope_and_national_documents_answer_everywhere():
    q = "浙江的科技成果转化奖励怎么算？"
    assert SHIPPED.detect(q).other_regions == ("浙江",)
    zj = _with(zj=("浙江省促进科技成果转化条例", "浙江", "科技成果转化"))
    assert zj.detect(q).regions == ("浙江",) and "浙江" in zj.regions
    assert zj.allowed_documents(zj.detect(q)) == {"zj"}
    national = _with(tsme=("科技型中小企业评价办法", "全国", "科技型中小企业"))
    scope = national.detect("江苏的科技型中小企业评价要什么条件？")
    assert scope.other_regions == ("江苏",) and national.documents_for_place(scope) == {"tsme"}
    assert national.allowed_documents(national.detect("广西科技型中小企业怎么评价？")) == {"tsme"}
    # a national document of another programme does not answer a 技术创新中心 question about 广东
    assert national.documents_for_place(national.detect("广东省技术创新中心要什么条件？")) == set()


def test_what_a_title_says_about_its_document():
    g = load_glossary()
    assert g.programme_of_title("江苏省新型研发机构管理办法（试行）") == "新型研发机构"
    assert g.programme_of_title("关于印发《山东省重点实验室管理办法》的通知") == "重点实验室"
    assert g.programme_of_title("广西壮族自治区科技成果转移转化示范区建设指引") == "成果转化示范区"
    assert g.programme_of_title("玉林市科普示范基地管理办法") == "科普示范基地"
    assert g.region_in_text("玉林市科普示范基地管理办法") == "广西"
    assert g.region_in_text("科技部 财政部 国家税务总局") == "全国"
    assert g.canonical_region("其他") == "全国"  # a document of unknown place is ruled out nowhere


@pytest.mark.parametrize("title, region", [
    ("国家科学技术奖励条例", "全国"),              # a national title, no issuer lines (found by blind set B)
    ("中华人民共和国促进科技成果转化法", "全国"),
    ("北京市促进科技成果转化条例", "北京"),
    ("广西壮族自治区国家级高新区管理办法", "广西"),  # 国家 inside a province's title: the province
    ("汕头经济特区科技创新条例", "汕头"),
    ("某某管理办法", "其他"),
])
def test_the_region_of_an_uploaded_title(title, region):
    from ingest.library import guess_region
    assert guess_region(title) == region


def test_an_uploaded_city_document_belongs_to_its_province():
    glossary = load_glossary()
    assert glossary.region_in_text("舟山市科技创新促进条例") == "浙江"
    assert glossary.canonical_region("延边朝鲜族自治州") == "吉林"


def test_a_city_with_a_document_is_named_bare():
    """舟山市's own document is 浙江's; a question saying only "舟山" is about it — and a bare city
    word with no document of its own ("朝阳产业") still names no place."""
    library = _with(zs=("舟山市科技创新促进条例", "浙江", "其他"), bj=("北京市促进科技成果转化条例", "北京", "其他"))
    assert library.detect("职务成果转让的奖励比例，舟山和北京的条例各规定不低于多少？").regions == ("浙江", "北京")
    assert library.detect("朝阳产业的企业能申报吗？").regions == ()


def test_a_subject_read_off_a_title_is_a_topic_unless_the_document_is_named():
    """专利 of 山东省专利条例 is what "专利转让…奖励至少占多少" is about — other documents (促进科技成果
    转化法) may answer it; "山东专利条例" names the document, and a programme the glossary knows is
    named by its word alone."""
    library = _with(**{"sd-zltl": ("山东省专利条例", "山东", "专利")})
    assert library.detect("我们研究所把一项专利转让出去了，给发明团队的奖励至少占多少？").doc_types == ()
    assert library.detect("按山东专利条例，哪些情形要提交专利检索报告？").doc_types == ("专利",)
    assert library.detect("《山东省专利条例》对展会有什么规定？").doc_types == ("专利",)
    assert library.detect("技创中心主任要干满几个月？").doc_types == ("技术创新中心",)
