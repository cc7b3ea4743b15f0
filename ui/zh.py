"""The few words Gradio's own interface still shows in English under a zh-CN locale (tooltips,
screen-reader labels, the upload box, a missing translation key), put into Chinese in the page:
a small script rewrites them as they appear. Our own labels are Chinese where they are written."""
from __future__ import annotations

import json

# Exact words → Chinese (text nodes and the aria-label / title / placeholder attributes).
EXACT = {
    "Copy message": "复制", "Copied message": "已复制", "Copy": "复制", "Copied!": "已复制", "Copied": "已复制",
    "Feedback": "更多反馈", "Like": "赞", "Dislike": "踩", "Retry": "重试", "Undo": "撤销", "Clear": "清空",
    "Copy table data": "复制表格", "Fullscreen": "全屏", "Exit fullscreen mode": "退出全屏", "Table actions": "表格操作",
    "Empty value": "空", "common.complete": "完成", "Drop File Here": "将文件拖到此处", "- or -": "或",
    "Click to Upload": "点击上传", "Click to upload or drop files": "点击上传或拖入文件", "Upload file": "上传文件",
    "Download": "下载", "Remove": "移除", "Loading...": "加载中…", "Error": "出错了", "Warning": "注意", "Info": "提示",
    "Close": "关闭", "chatbot conversation": "对话内容", "Gradio footer navigation": "页脚导航",
    "Sort column": "按此列排序", "Search": "搜索", "Select column": "选择列",
}
# Prefixes (screen-reader labels of chat messages).
PREFIXES = {"user's message: ": "用户：", "bot's message: ": "回答："}

HEAD = """<script>
(() => {
  const EXACT = %s, PREFIXES = %s, ATTRS = ["aria-label", "title", "placeholder"];
  const zh = (s) => {
    const t = s.trim();
    if (EXACT[t]) return s.replace(t, EXACT[t]);
    for (const [p, z] of Object.entries(PREFIXES)) if (s.startsWith(p)) return z + s.slice(p.length);
    const m = t.match(/^(\\d+)\\/(\\d+) steps$/);  // a progress counter
    return m ? s.replace(t, `${m[1]}/${m[2]} 步`) : s;
  };
  const fix = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) { const n = walker.currentNode, z = zh(n.nodeValue); if (z !== n.nodeValue) n.nodeValue = z; }
    const els = root.querySelectorAll ? root.querySelectorAll("[aria-label],[title],[placeholder]") : [];
    for (const el of els) for (const a of ATTRS) {
      const v = el.getAttribute(a); if (v) { const z = zh(v); if (z !== v) el.setAttribute(a, z); } }
  };
  const start = () => {
    fix(document.body);
    new MutationObserver((changes) => { for (const c of changes) {
      if (c.type === "characterData") { const z = zh(c.target.nodeValue); if (z !== c.target.nodeValue) c.target.nodeValue = z; }
      else if (c.type === "attributes") fix(c.target.parentElement || c.target);
      else c.addedNodes.forEach((n) => n.nodeType === 3 ? (n.nodeValue = zh(n.nodeValue)) : fix(n));
    } }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS});
  };
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
})();
</script>""" % (json.dumps(EXACT, ensure_ascii=False), json.dumps(PREFIXES, ensure_ascii=False))
