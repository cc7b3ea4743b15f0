"""A live character count under the question box ("已输入 120 / 2000 字"), red past the limit,
so a long question is seen to be long before it is sent (the server still says so, and keeps it).
In the page, because the box has no max_length: a browser limit would cut a paste silently."""
from __future__ import annotations

from ingest.clean import MAX_QUESTION_CHARS

COUNTER_ID = "question-count"

CSS = f"""
#{COUNTER_ID} {{ font-size: 0.78rem; color: var(--body-text-color-subdued); text-align: right; margin: 2px 4px 0 0; }}
#{COUNTER_ID}.over {{ color: var(--error-text-color, #c0392b); font-weight: 600; }}
"""

HEAD = """<script>
(() => {
  const LIMIT = %(limit)d, ID = "%(id)s";
  // The count is derived from the box every time (typing, the server emptying it after a
  // question, an example filled in), and lives inside the box's own block, under it.
  const update = () => {
    const box = document.querySelector("#question textarea"), host = box && box.closest("#question");
    if (!host) return;
    let counter = document.getElementById(ID);
    if (!counter || !host.contains(counter)) {
      if (counter) counter.remove();
      counter = document.createElement("div"); counter.id = ID; counter.setAttribute("aria-live", "polite");
      host.appendChild(counter);
    }
    const n = [...box.value].length;
    const words = n > LIMIT ? `已输入 ${n} 字，超过上限 ${LIMIT} 字，请精简` : `已输入 ${n} / ${LIMIT} 字`;
    if (counter.textContent !== words) counter.textContent = words;
    counter.classList.toggle("over", n > LIMIT);
  };
  document.addEventListener("input", (e) => { if (e.target.matches && e.target.matches("#question textarea")) update(); }, true);
  setInterval(update, 300);
})();
</script>""" % {"limit": MAX_QUESTION_CHARS, "id": COUNTER_ID}
