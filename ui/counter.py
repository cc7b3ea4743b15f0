"""A live character count under the question box ("已输入 120 / 2000 字"), red past the limit,
so a long question is seen to be long before it is sent (the server still says so, and keeps it).
In the page, because the box has no max_length: a browser limit would cut a paste silently."""
from __future__ import annotations

from ingest.clean import MAX_QUESTION_CHARS

COUNTER_ID = "question-count"

CSS = f"""
#{COUNTER_ID} {{ font-size: 0.78rem; color: var(--body-text-color-subdued); text-align: right; margin: -6px 4px 0 0; }}
#{COUNTER_ID}.over {{ color: var(--error-text-color, #c0392b); font-weight: 600; }}
"""

HEAD = """<script>
(() => {
  const LIMIT = %(limit)d, ID = "%(id)s";
  const update = (box) => {
    let counter = document.getElementById(ID);
    if (!counter) {
      counter = document.createElement("div"); counter.id = ID; counter.setAttribute("aria-live", "polite");
      box.closest("#question").after(counter);
    }
    const n = [...box.value].length;
    counter.textContent = n > LIMIT ? `已输入 ${n} 字，超过上限 ${LIMIT} 字，请精简` : `已输入 ${n} / ${LIMIT} 字`;
    counter.classList.toggle("over", n > LIMIT);
  };
  document.addEventListener("input", (e) => { if (e.target.matches && e.target.matches("#question textarea")) update(e.target); }, true);
  // The server empties the box after a question (no input event): a light poll keeps the count true.
  let last = null;
  setInterval(() => { const box = document.querySelector("#question textarea");
    if (box && box.value !== last) { last = box.value; update(box); } }, 400);
})();
</script>""" % {"limit": MAX_QUESTION_CHARS, "id": COUNTER_ID}
