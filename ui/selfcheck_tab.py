"""申报自评: one form per program, generated from the program's JSON Schema (numbers with their
units, yes/no, choices, help text); the verdict, a table of criteria and the report to keep."""
from __future__ import annotations

import inspect
import re
import tempfile
from pathlib import Path
from typing import Any, Mapping

import gradio as gr

from selfcheck import InputError, evaluate, list_programs, problems, render_markdown, schema
from selfcheck.pdf import render_pdf
from ui.choices import Choice, Pick, among
from ui.errors import for_people
from ui.render import CRITERIA_HEADERS, criteria_cards, criteria_rows, text, verdict_markdown
from ui.wiring import by_name

YES, NO = "是", "否"
# The values are the words the form shows, for API clients too; the engine's true/false and
# option codes are accepted as well and translated here (form_values).
YES_NO_ALIASES = {"true": YES, "false": NO, "True": YES, "False": NO}


def option_labels(prop: dict[str, Any]) -> dict[str, str]:
    """An option field's codes → the words shown (x-enum-labels)."""
    labels = prop.get("x-enum-labels", {})
    return {v: labels.get(v, v) for v in prop["enum"] if v is not None}


def field_component(key: str, prop: dict[str, Any]) -> gr.components.Component:
    """The input for one schema property; every field may stay empty (= 待补充)."""
    types = set(prop["type"]) - {"null"}
    unit = prop.get("x-unit")
    label = f"{prop['title']}（{unit}）" if unit and unit not in prop["title"] else prop["title"]
    common = {"label": label, "info": field_help(prop), "elem_id": f"field-{key}",
              "value": None}
    if "boolean" in types:
        return Pick([YES, NO], aliases=YES_NO_ALIASES, **common)
    if "enum" in prop:
        labels = option_labels(prop)
        return Choice(list(labels.values()), resolve=among(list(labels.values()), labels), **common)
    # A text box, not gr.Number: an empty number box shows 0, and 0 is an answer (不填 = 待补充).
    kind = "整数" if "integer" in types else "数字"
    return gr.Textbox(placeholder=f"{kind}{'，单位：' + unit if unit else ''}；不了解可不填", max_lines=1, **common)


def form_values(properties: dict[str, dict], values: list | Mapping[str, Any]) -> dict[str, Any]:
    """The form's values as the engine's input: yes/no as booleans, typed numbers as numbers,
    empty fields left out. Anything else is passed on as typed: range and type checks are the
    engine's, so the web form and the API give the same Chinese messages."""
    if isinstance(values, Mapping):
        values = [values.get(key) for key in properties]
    out: dict[str, Any] = {}
    for (key, prop), value in zip(properties.items(), values):
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            continue
        if "boolean" in prop["type"]:
            value = YES_NO_ALIASES.get(value, value) == YES
        elif "enum" in prop:
            value = {label: code for code, label in option_labels(prop).items()}.get(value, value)
        elif {"integer", "number"} & set(prop["type"]):
            value = typed_number(value)
        out[key] = value
    return out


def typed_number(value: str) -> int | float | str:
    """"12" → 12, "3.5" → 3.5, "1,200" → 1200; anything else stays text for the engine to reject."""
    plain = value.replace(",", "").replace("，", "")
    try:
        number = float(plain)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in plain and "e" not in plain.lower() else number


def field_help(prop: dict[str, Any]) -> str | None:
    help_text = prop.get("description")
    return help_text if help_text != prop["title"] else None


def in_words(exc: InputError, prop: dict[str, Any], properties: Mapping[str, dict] = {}) -> str:
    """The engine's message for a form: without the field's name, which the form shows by the
    field itself ("“牵头单位年主营业务收入”（lead_…）不能为负数" → "不能为负数"), and without
    any field's internal key (other fields are named by their words only)."""
    message = re.sub(rf"^“{re.escape(prop.get('title', ''))}”(?:（{re.escape(exc.field or '')}）)?[：:，]?", "",
                     exc.message)
    keys = "|".join(re.escape(k) for k in sorted({*properties, exc.field or ""} - {""}, key=len, reverse=True))
    return re.sub(rf"（(?:{keys})）", "", message) if keys else message


def field_name(program_id: str, key: str) -> str:
    """A form field's output name (fields of different programmes may share a key)."""
    return f"{program_id}.{key}"


def assess(program_id: str, properties: dict[str, dict], values: Mapping[str, Any]) -> dict:
    """Score the form; every invalid field is named at once, at the field (its help line turns
    into the problem) and in a list above the button, and nothing the user typed is lost (the
    field values are not outputs of this handler, only their help lines)."""
    helps = {field_name(program_id, k): gr.update(info=field_help(p)) for k, p in properties.items()}
    inputs = form_values(properties, values)
    with for_people():
        found = problems(program_id, inputs)
        if found:
            said = []
            for exc in found:
                prop = properties.get(exc.field or "", {})
                problem = in_words(exc, prop, properties) if prop else in_words(exc, {}, properties)
                said.append(f"“{prop['title']}”：{problem}" if prop else problem)
                if prop:
                    helps[field_name(program_id, exc.field)] = gr.update(info=f"⚠ {problem}")
            gr.Warning(said[0] if len(said) == 1 else f"有 {len(said)} 处需要修改，见表单中标 ⚠ 的字段", title="请修改")
            # An earlier result is cleared so it is not taken for this one.
            return {"problem": f"**请修改**（{len(said)} 处）：\n\n" + "\n".join(f"- {text(p)}" for p in said),
                    "verdict": "", "table": [], "cards": "",
                    "md_file": gr.update(visible=False), "pdf_file": gr.update(visible=False), **helps}
        assessment = evaluate(program_id, inputs)
        out = Path(tempfile.mkdtemp(prefix="selfcheck-"))
        md, pdf = out / f"自评报告-{program_id}.md", out / f"自评报告-{program_id}.pdf"
        md.write_text(render_markdown(assessment), encoding="utf-8")
        pdf.write_bytes(render_pdf(assessment))
        return {"problem": "", "verdict": verdict_markdown(assessment), "table": criteria_rows(assessment),
                "cards": criteria_cards(assessment),
                "md_file": gr.update(value=str(md), visible=True), "pdf_file": gr.update(value=str(pdf), visible=True),
                **helps}


def assess_fields(program_id: str, properties: dict[str, dict]):
    """assess() with the fields as parameters named by their keys, each optional (empty = 待补充):
    what view_api shows API clients."""
    def fields(*args: Any, **values: Any) -> dict:
        return assess(program_id, properties, {**dict(zip(properties, args)), **values})
    fields.__signature__ = inspect.Signature(
        [inspect.Parameter(key, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None) for key in properties])
    return fields


def prefill_values(program_id: str, facts: dict[str, Any], properties: dict[str, dict]) -> dict[str, Any]:
    """Form values for the facts a chat answer recognised ("把识别出的情况带入申报自评"), by
    field name: the asked programme's fields filled, every other field left as it is."""
    out: dict[str, Any] = {}
    for key in properties:
        if key in facts:
            value = facts[key]
            out[field_name(program_id, key)] = ((YES if value else NO) if isinstance(value, bool)
                                                else option_labels(properties[key]).get(value, value)
                                                if "enum" in properties[key] and isinstance(value, str)
                                                else value if isinstance(value, str) else str(value))
    return out


def form_intro(program: dict) -> str:
    return (f"依据《{text(program['doc_title'])}》（{text(program['doc_status'])}）逐条自评。"
            "金额以万元为单位，比例填百分数（0–100）；不了解的信息可不填，相关条件标为“待补充”。")


def build() -> dict:
    programs = list_programs()
    with gr.Tab("申报自评", id="selfcheck"):
        picker = gr.Dropdown([(p.name, p.id) for p in programs], value=programs[0].id, label="申报项目",
                             elem_id="program")
        groups, forms, fields = [], [], {}
        for i, program in enumerate(programs):
            s = schema(program.id)
            with gr.Group(visible=i == 0, elem_id=f"form-{program.id}") as group:
                gr.Markdown(form_intro(s["x-program"]))
                properties = s["properties"]
                items = list(properties.items())
                comps = []
                for j in range(0, len(items), 2):
                    with gr.Row():
                        comps += [field_component(k, p) for k, p in items[j:j + 2]]
                button = gr.Button("开始自评", variant="primary", elem_id=f"assess-{program.id}")
            groups.append(group)
            forms.append((program.id, properties, comps, button))
            fields.update({field_name(program.id, k): c for k, c in zip(properties, comps)})
        problem = gr.Markdown(elem_id="selfcheck-problem")
        verdict = gr.Markdown(elem_id="verdict")
        # Every criterion on the page (no scroll box: max_height above any programme's table);
        # the requirement and the clause get the room, the status mark little.
        table = gr.Dataframe(headers=CRITERIA_HEADERS, interactive=False, wrap=True, label="逐项结果",
                             elem_id="criteria", max_height=10_000,
                             column_widths=["9%", "15%", "13%", "24%", "15%", "24%"])
        cards = gr.Markdown(elem_id="criteria-cards")  # the same rows as cards, for a phone (CSS)
        with gr.Row():
            md_file = gr.DownloadButton("下载报告（Markdown）", visible=False)
            pdf_file = gr.DownloadButton("下载报告（PDF）", visible=False)
        picker.change(lambda pid: [gr.update(visible=p.id == pid) for p in programs], picker, groups,
                      queue=False, api_visibility="private")
        results = {"problem": problem, "verdict": verdict, "table": table, "cards": cards, "md_file": md_file,
                   "pdf_file": pdf_file}
        for program_id, properties, comps, button in forms:
            # Named parameters for API clients: the field keys of the programme's schema.
            scored, shown = by_name(assess_fields(program_id, properties),
                                    {**results, **{field_name(program_id, k): c for k, c in zip(properties, comps)}})
            button.click(scored, inputs_kwargs=dict(zip(properties, comps)), outputs=shown, concurrency_limit=4,
                         api_name=f"selfcheck_{program_id.replace('-', '_')}")
    return {"picker": picker, "properties": {p.id: schema(p.id)["properties"] for p in programs}, "fields": fields}
