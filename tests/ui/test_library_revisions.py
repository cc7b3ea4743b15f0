"""The 政策文件 tab's 修订版本 block on the real index: a revised text added as a new version only
when confirmed, the impact shown, 修订对比 side by side with the changed words marked (handlers,
then in a real browser on a desktop and a phone), and undoing the latest version."""
import shutil

import pytest

from corpus import document
from evals.load import served
from evals.revisions import make_revision
from ui.context import AppContext
from ui.library_tab import add_version, compare, pick_revised, undo_version
from ui.settings import Settings

pytestmark = pytest.mark.slow
CONSORTIUM = "广西壮族自治区创新联合体管理办法（试行）（gx-consortium）"


@pytest.fixture(scope="module")
def final(tmp_path_factory):
    meta = document("gx-consortium")
    path = tmp_path_factory.mktemp("final") / "印发稿.txt"
    path.write_text(make_revision(meta.read_text(), meta).new_text.replace("依法", "<b>依法</b>", 1), encoding="utf-8")
    return path


@pytest.fixture
def ctx(real_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    return AppContext(Settings(data_dir=data_dir))


def test_a_version_is_added_only_when_confirmed_and_can_be_undone(ctx, final, uploaded):
    final = uploaded(final)  # as the page sends it: a file received through Gradio's upload
    with pytest.warns(UserWarning, match="请勾选确认"):
        out = add_version(ctx, str(final), "gx-consortium", False)
    assert set(out) == {"status"} and ctx.retriever().state.documents["gx-consortium"]["version"] == 1
    with pytest.warns(UserWarning, match="请先选择要修订的文件"):
        add_version(ctx, str(final), None, True)

    out = add_version(ctx, str(final), "gx-consortium", True)
    assert "已作为 gx-consortium 的第 2 版加入（印发），第 1 版保留" in out["status"]
    assert "lead_revenue" in out["status"] and "10亿元 → 8亿元 —— 待更新" in out["status"]
    assert ["gx-consortium", "广西壮族自治区创新联合体管理办法（试行）", "广西", "创新联合体", "印发", "第 2 版", 72] in out["documents"]
    assert "第 2 版（现行）" in out["versions"] and out["revise_confirm"] is False
    view = out["rev_view"]
    assert "第 1 版 → 第 2 版</b>：17 处变化" in view
    assert "<del>10</del>" in view and "<ins>8</ins>" in view  # 10亿元 → 8亿元, the changed words marked
    assert "&lt;b&gt;依法&lt;/b&gt;" in view and "<b>依法" not in view  # document text is shown, never run
    assert "@media (max-width:640px)" in view  # one column on a phone

    picked = pick_revised(ctx, "gx-consortium")
    assert picked["rev_from"]["value"] == 1 and picked["rev_to"]["value"] == 2
    same = compare(ctx, "gx-consortium", 2, 2)["rev_view"]
    assert "0 处变化" in same and "两个版本的条款完全相同" in same

    undone = undo_version(ctx, "gx-consortium")
    assert "已撤销 gx-consortium 第 2 版" in undone["status"] and "第 1 版恢复为现行版本" in undone["status"]
    assert ctx.retriever().state.documents["gx-consortium"]["version"] == 1
    with pytest.warns(UserWarning, match="只有第 1 版"):
        undo_version(ctx, "gx-consortium")


def test_revision_view_in_a_browser_on_desktop_and_phone(real_index, tmp_path, final):
    from playwright.sync_api import sync_playwright

    from tests.ui.test_web import CHROMIUM, FLAGS, WAIT_MS

    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    shots = tmp_path / "shots"
    shots.mkdir()
    with served(data_dir, tmp_path / "serve.log", {"POLICY_LLM_PROVIDER": ""}) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, viewport, mobile in (("desktop", {"width": 1280, "height": 1000}, False),
                                       ("phone", {"width": 390, "height": 844}, True)):
            context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=mobile, has_touch=mobile)
            page = context.new_page()
            page.set_default_timeout(WAIT_MS)
            page.goto(url)
            page.get_by_role("tab", name="政策文件").click()
            # the page has loaded (innerText: the rendered table; Gradio's Dataframe also holds hidden copies of cells)
            page.wait_for_function("document.querySelector('#documents').innerText.includes('gx-consortium')")
            page.locator("#revisions").get_by_text("修订版本与修订对比").click()
            page.locator("#revise-picker input").click()
            page.locator("#revise-picker").get_by_role("option", name=CONSORTIUM, exact=True).click()
            if name == "desktop":  # add the version once (the administrator's panel); the phone compares it
                page.locator("#version-list").get_by_text("第 1 版（现行）").wait_for()
                page.locator("#revise-target input").click()  # its own list: the picker's may still be open
                page.locator("#revise-target").get_by_role("option", name=CONSORTIUM, exact=True).click()
                page.locator("#doc-upload input[type=file]").set_input_files(str(final))
                page.click("#add-version")
                page.get_by_text("请勾选确认").first.wait_for()  # not without the confirmation
                page.locator("#revise-confirm input").check()
                page.click("#add-version")
                page.locator("#library-status").get_by_text("第 2 版加入").wait_for()
            else:
                page.locator("#version-list").get_by_text("第 2 版（现行）").wait_for()
                page.click("#rev-compare")
            view = page.locator("#revision-view")
            view.locator("del", has_text="10").first.wait_for()
            assert view.locator("ins", has_text="8").count() >= 1
            row = view.locator(".rev-row").nth(2)
            old, new = row.locator(".rev-cell").nth(0).bounding_box(), row.locator(".rev-cell").nth(1).bounding_box()
            if name == "desktop":
                assert abs(old["y"] - new["y"]) < 2 and new["x"] > old["x"] + old["width"] - 1  # side by side
            else:
                assert new["y"] >= old["y"] + old["height"] - 1 and old["x"] + old["width"] <= 390  # stacked, fits
            page.screenshot(path=shots / f"revision-{name}.png", full_page=True)
            context.close()
        browser.close()
