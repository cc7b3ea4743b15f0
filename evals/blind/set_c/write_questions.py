"""Blind question writer: the bundled Qwen model (which never saw the product's code) reads a
randomly chosen paragraph of a policy text and writes an enterprise's question about it, plus
the exact phrase of the paragraph that answers it. Only the policy texts are read here."""
import json
import random
import re
import sys

PROMPT = """下面是《{title}》中的一段条文。
请你扮演一家企业的工作人员，针对这段条文写一个你可能会在聊天中提出的问题，要求：
1. 问题的答案必须就在这段条文里；
2. 用口语，不要照抄条文的原话；
3. 问题中要写明是哪里或哪份文件（例如“{where}”）；
4. 再从条文中原样摘出回答这个问题的最关键的一个短语（不超过20个字，必须与条文一字不差）。
只输出一行 JSON：{{"q": "问题", "answer": "原文短语"}}

条文：
{text}"""

def paragraphs(path):
    text = open(path, encoding="utf-8").read()
    paras = [p.strip() for p in text.split("\n") if p.strip()]  # a line is a paragraph in these texts
    return [p for p in paras if 40 <= len(p) <= 900 and not re.match(r"^第[一二三四五六七八九十]+章", p)]



def main() -> None:
    """write_questions.py OUT.jsonl SPEC_JSON [SEED] [MODEL.gguf]"""
    from llama_cpp import Llama

    random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 20261204)
    out_path, spec = sys.argv[1], json.loads(sys.argv[2])   # spec: [[doc_id, path, title, n], ...]
    llm = Llama(model_path=sys.argv[4] if len(sys.argv) > 4 else "qwen.gguf", n_ctx=2048, n_threads=2,
                verbose=False)
    rows, n_id = [], 0
    for doc_id, path, title, where, n in spec:
        paras = paragraphs(path)
        with_figures = [p for p in paras if re.search(r"[0-9一二三四五六七八九十百千万]+(?:个|名|人|家|年|日|个月|万元|亿元|元|%|％|项|次|倍)", p)]
        chosen = random.sample(with_figures, min(n // 2, len(with_figures)))
        rest = [p for p in paras if p not in chosen]
        chosen += random.sample(rest, min(n - len(chosen), len(rest)))
        for p in chosen:
            for attempt in range(3):
                out = llm.create_chat_completion(messages=[{"role": "user", "content": PROMPT.format(title=title, where=where, text=p[:700])}],
                                                 temperature=0.7, max_tokens=160)["choices"][0]["message"]["content"]
                m = re.search(r"\{.*\}", out, re.S)
                try:
                    obj = json.loads(m.group(0)) if m else None
                except ValueError:
                    obj = None
                if not obj or not isinstance(obj.get("q"), str) or not isinstance(obj.get("answer"), str):
                    continue
                q, a = obj["q"].strip(), obj["answer"].strip().strip("“”\"。，")
                if where[:2] not in q:  # the writer forgot to say which document: say it as a user would
                    q = f"{where}，{q}"
                if 6 <= len(q) <= 80 and 2 <= len(a) <= 24 and a in p and a not in q:
                    n_id += 1
                    rows.append({"id": f"llm-{n_id:03d}", "q": q, "doc": doc_id, "evidence": a, "facts": [a],
                                 "answerable": True, "type": "llm_written", "paragraph": p[:120]})
                    print(doc_id, q, "→", a, flush=True)
                    break
    with open(out_path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote", len(rows))


if __name__ == "__main__":
    main()
