"""An applicant's inputs written as text — JSON, or YAML for .yaml files — read as strictly as
the form reads them: a key given twice is an error (which value was meant?), and YAML 1.1's
surprises are plain text, not values: yes/no/on/off are not booleans (only true/false are) and
010 is not the octal number 8. Wrong values are then named by the field checks."""
from __future__ import annotations

import json
import re
from typing import Any

import yaml

from selfcheck.errors import InputError

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with only true/false as booleans and only plain decimals as integers."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise InputError(str(key), f"字段“{key}”出现了两次，请只保留一个值")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_StrictLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(key, f"字段“{key}”出现了两次，请只保留一个值")
        out[key] = value
    return out


def parse_inputs_text(text: str, is_yaml: bool = False) -> Any:
    """The inputs in `text`. Raises InputError (field "input", or the key given twice)."""
    if not text.strip():
        raise InputError("input", "输入为空：请提供 JSON 对象，例如 {\"members_total\": 9}")
    try:
        return yaml.load(text, Loader=_StrictLoader) if is_yaml else json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError("input", f"输入不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from exc
    except InputError:
        raise
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        raise InputError("input", "输入不是可用的 JSON（其中的数字位数过多）") from exc
    except yaml.YAMLError as exc:
        raise InputError("input", f"输入不是合法的 YAML：{exc}") from exc
    except RecursionError as exc:  # [[[[… thousands deep: the parser gives up, so do we
        raise InputError("input", "输入嵌套层数过多，请提供字段名: 值形式的 JSON 对象") from exc
