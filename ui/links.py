"""Links between an answer and its sources, in the page: each [n] in an answer opens and scrolls
to source n below it; each source gets 在文件中查看, which opens its document in the 政策文件 tab
with the clause marked. Done in the browser so the answers stay plain text for API clients: the
script only reads the citation already shown in a source's title and hands it to the server
through a hidden box (OPEN_CLAUSE_ID), whose handler finds the clause (library_tab.focus_clause)."""
from __future__ import annotations

OPEN_CLAUSE_ID = "open-clause"   # hidden textbox: "《title》path" + SEPARATOR + a nonce (same clause twice)
SEPARATOR = "\u0001"
VIEW_LABEL = "在文件中查看"

CSS = f"""
#{OPEN_CLAUSE_ID} {{ display: none !important; }}
a.cite-link {{ text-decoration: none; font-weight: 600; cursor: pointer; }}
button.view-in-doc {{ font-size: 0.8rem; margin: 2px 0 4px 28px; padding: 1px 8px; border-radius: 6px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); cursor: pointer; }}
.source-flash {{ outline: 2px solid var(--color-accent); border-radius: 6px; }}
#clause-tree mark {{ scroll-margin-top: 80px; }}
"""

HEAD = """<script>
(() => {
  const BOX = "#%(box)s textarea", SEP = "%(sep)s", VIEW = "%(view)s";
  const sourceTitle = (m) => m.querySelector(".title p");
  const isSource = (m) => m.classList.contains("thought") && sourceTitle(m);
  const messages = () => [...document.querySelectorAll("#chatbot .message")];
  // [n] in an answer's own text becomes a link (the sources below are untouched)
  const linkMarkers = (root) => {
    root.querySelectorAll("#chatbot .message:not(.thought) [data-testid=bot] .prose").forEach((prose) => {
      const walker = document.createTreeWalker(prose, NodeFilter.SHOW_TEXT), found = [];
      while (walker.nextNode()) if (/\\[\\d+\\]/.test(walker.currentNode.nodeValue) && !walker.currentNode.parentElement.closest("a")) found.push(walker.currentNode);
      for (const node of found) {
        const frag = document.createDocumentFragment();
        node.nodeValue.split(/(\\[\\d+\\])/).forEach((part) => {
          const m = part.match(/^\\[(\\d+)\\]$/);
          if (!m) { if (part) frag.appendChild(document.createTextNode(part)); return; }
          const a = document.createElement("a"); a.href = "#"; a.className = "cite-link"; a.dataset.n = m[1];
          a.title = "查看出处 " + part; a.textContent = part; frag.appendChild(a);
        });
        node.replaceWith(frag);
      }
    });
    document.querySelectorAll("#chatbot .message.thought").forEach((m) => {
      const title = m.querySelector(".title");
      if (!title || !sourceTitle(m) || m.querySelector("button.view-in-doc")) return;
      const b = document.createElement("button"); b.className = "view-in-doc"; b.type = "button"; b.textContent = VIEW;
      title.after(b);
    });
  };
  const openSource = (link) => {
    const all = messages(), from = all.indexOf(link.closest(".message")), n = link.dataset.n;
    for (const m of all.slice(from + 1)) {
      if (!m.classList.contains("thought")) break;  // the next answer or question: not this answer's source
      const t = sourceTitle(m);
      if (t && t.textContent.trim().startsWith("[" + n + "]")) {
        const arrow = m.querySelector(".title .arrow");
        if (arrow && /rotate\\(0deg\\)/.test(arrow.getAttribute("style") || "")) m.querySelector(".title").click();
        m.scrollIntoView({block: "center", behavior: "smooth"});
        m.classList.add("source-flash"); setTimeout(() => m.classList.remove("source-flash"), 1600);
        return;
      }
    }
  };
  const viewInDocument = (button) => {
    const t = sourceTitle(button.closest(".message"));
    const box = document.querySelector(BOX);
    if (!t || !box) return;
    const citation = t.textContent.trim().replace(/^\\[\\d+\\]\\s*/, "").replace(/^可能相关：/, "");
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(box, citation + SEP + Date.now());
    box.dispatchEvent(new Event("input", {bubbles: true}));
    let tries = 0; const seek = setInterval(() => {  // the tree arrives from the server: scroll to the mark
      const mark = document.querySelector("#clause-tree mark");
      if (mark || ++tries > 50) { clearInterval(seek); if (mark) mark.scrollIntoView({block: "center"}); }
    }, 200);
  };
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a.cite-link");
    if (link) { e.preventDefault(); e.stopPropagation(); openSource(link); return; }
    const view = e.target.closest && e.target.closest("button.view-in-doc");
    if (view) { e.preventDefault(); e.stopPropagation(); viewInDocument(view); }
  }, true);
  const start = () => { linkMarkers(document);
    new MutationObserver(() => linkMarkers(document)).observe(document.body, {subtree: true, childList: true}); };
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
})();
</script>""" % {"box": OPEN_CLAUSE_ID, "sep": "\\u0001", "view": VIEW_LABEL}
