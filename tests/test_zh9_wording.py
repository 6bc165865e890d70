"""The Chinese of the refusal reasons (``rsn.*`` of ``locale/zh``) keeps the conventions of a
statistics office's writing, one term for one English word across the templates: 无法识别的…
for "unknown …" (not the literal 未知), 应 for "must" (not 须), 行政区划代码 for a GB/T 2260
code, 来源质量 as on the pages (not 来源等级), 计数单位 for 万/亿 (a 数量词 is a numeral and its
measure word), full-width punctuation next to Chinese. And every locale file has its twin: the
same keys in ``zh/<file>.yaml`` and ``en/<file>.yaml``, the same ``{placeholders}``."""

from __future__ import annotations

import re
from importlib import resources

import yaml

from lantu.locale import catalogue

HALF_WIDTH = re.compile(r"(?<=[\u4e00-\u9fff])[,;:()!?]|[,;:()!?](?=[\u4e00-\u9fff])")
# (what a template may not say, what it says instead)
CONVENTIONS = [
    (re.compile(r"未知"), "无法识别的"),
    (re.compile(r"须"), "应"),
    (re.compile(r"(?<!行政)区划代码"), "行政区划代码"),
    (re.compile(r"来源等级"), "来源质量"),
    (re.compile(r"数量词"), "计数单位"),
    (re.compile(r"重新另存为"), "另存为"),
    (re.compile(r"行为 \{"), "行的数值为 {"),  # 第 {row} 行为 … reads as 行为 (conduct)
    (re.compile(r"^无法读取的"), "… 无法读取"),
]


def _reasons_zh() -> dict[str, str]:
    return {k: v for k, v in catalogue("zh").items() if k.startswith("rsn.")}


def test_the_chinese_reasons_keep_one_term_for_one_word():
    broken = [(k, v, instead) for k, v in _reasons_zh().items()
              for rule, instead in CONVENTIONS if rule.search(v)]
    assert not broken, "\n".join(f"{k}: {v!r} (say {instead})" for k, v, instead in broken)


def test_the_chinese_reasons_use_full_width_punctuation():
    quoted = re.compile(r"'[^']*'|\"[^\"]*\"|\{\w+\}")
    broken = [(k, v) for k, v in _reasons_zh().items() if HALF_WIDTH.search(quoted.sub("", v))]
    assert not broken, broken


def _files(lang: str) -> dict[str, dict[str, str]]:
    root = resources.files("lantu.locale").joinpath(lang)
    return {p.name: {str(k): str(v) for k, v in (yaml.safe_load(p.read_text("utf-8")) or {}).items()}
            for p in root.iterdir() if p.name.endswith(".yaml")}


def test_every_locale_file_has_its_twin_with_the_same_keys_and_placeholders():
    zh, en = _files("zh"), _files("en")
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    field = re.compile(r"\{(\w+)\}")
    for name in zh:
        assert set(zh[name]) == set(en[name]), (name, sorted(set(zh[name]) ^ set(en[name])))
        for key, text in zh[name].items():
            assert sorted(field.findall(text)) == sorted(field.findall(en[name][key])), (name, key)
            assert text.strip() and en[name][key].strip(), (name, key)
