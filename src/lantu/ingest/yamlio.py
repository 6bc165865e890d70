"""Reading a YAML (or JSON) file a user brings — a plan (``lantu plan load``), the peer-index
framework, a composite-index or uncertainty spec, the default's own files — by one rule.

The bytes are decoded as every text a user brings is (:func:`lantu.ingest.textio.decode_text`:
UTF-16 with its mark, UTF-8 with or without, GBK; damaged UTF-8 refused naming line and byte),
and a number is judged on the text it is written in, as in a table: the parser reads a float
with ``float``, so ``1.0e-400`` would be 0 and ``4.0e-320`` a subnormal before Lantu saw
them — here each float scalar's text is asked of the one number rule
(:func:`lantu.domain.indicators.number_problem`) and refused naming its line and column.

What the parser would take without a word is refused here, naming line and column (probe14):
a key given twice in one mapping (PyYAML keeps the last: a plan's task took the second
``title`` of a copy-paste slip), aliases (``&a``/``*a``) that expand the document beyond
:data:`MAX_NODES` values (nine levels of nine aliases held ``lantu plan load`` for minutes), a
day that is none (``2023-13-01`` ended in a traceback) and a tag Lantu does not read
(``!!python/object``; the safe loader refused it in the parser's words). A file of names and
titles (``keep_text``, a plan) keeps ``on``, ``no``, ``yes`` as the words they are (YAML 1.1
makes them booleans: a task titled ``on`` became ``True``) and a day as written, which the
plan's own date rule reads (naming the field).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lantu.domain import LantuError, ValidationError
from lantu.domain.indicators import number_problem
from lantu.errors import EXIT_REFUSED, EXIT_USAGE
from lantu.ingest.textio import Undecodable, decode_text

__all__ = ["YamlRefused", "name_at", "read_yaml", "text_of"]

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The most values (scalars, lists and mappings, each alias counted as what it stands for) a
#: YAML a user brings may expand to. The largest file Lantu reads, the default plan, holds
#: about 2,000; nine levels of nine aliases hold 387 million.
MAX_NODES = 200_000


class YamlRefused(ValidationError):
    """A YAML file Lantu will not read: the message names the file, where and why."""

    def __init__(self, name: str, reason: str, line: int | None = None,
                 column: int | None = None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{name}: {where}{reason}")
        self.name, self.reason, self.line, self.column = name, reason, line, column
        # as a table's (ImportRefused): a file that cannot be used as a whole (empty,
        # undecodable, nested or aliased past the limit) exits 2, a refusal at a line 1
        self.exit_code = EXIT_USAGE if line is None else EXIT_REFUSED


class _Refused(LantuError):
    """A value refused while parsing, at its mark (turned into :class:`YamlRefused`)."""

    def __init__(self, reason: str, mark: Any) -> None:
        super().__init__(reason)
        self.reason, self.mark = reason, mark


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader, its floats judged on their written text, a key given twice refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[str, str], Any] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if (key.tag, key.value) in seen:
                    first = seen[(key.tag, key.value)]
                    raise _Refused(f"the key {key.value!r} is given twice in one mapping "
                                    f"(line {first.line + 1} and here); keep one", key.start_mark)
                seen[(key.tag, key.value)] = key.start_mark
        return super().construct_mapping(node, deep=deep)


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        raise _Refused(f"{node.value!r} is no day of the calendar", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _float(loader: _Loader, node: yaml.ScalarNode) -> float:
    value = loader.construct_yaml_float(node)
    text = str(node.value).replace("_", "").strip()
    if isinstance(value, float) and (why := number_problem(text, value)):
        raise _Refused(why, node.start_mark)
    return value


_Loader.add_constructor("tag:yaml.org,2002:float", _float)


def _tag_refusal(tag: str) -> str:
    """THE wording of a tag Lantu does not read (``rsn.yaml_tag``)."""
    return (f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not read: Lantu reads plain "
            "YAML (mappings, lists, text, numbers, days)")


def _not_plain(loader: _Loader, node: yaml.Node) -> Any:
    raise _Refused(_tag_refusal(node.tag), node.start_mark)


# tags the safe loader would build but no plan or table holds: ``title: !!binary aGk=`` was
# stored as the text "b'hi'" (probe16); sets and ordered pairs are not mappings or lists
for _plain_no in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_plain_no}", _not_plain)


class _Float(float):
    """A float that remembers how it was written (``1.10``)."""

    written: str


class _Int(int):
    """An int that remembers how it was written (``010``, which YAML 1.1 reads as 8)."""

    written: str


class _Text(str):
    """A day (``2023-13-01`` too) kept as written, for the plan's own date rule to read; the
    words YAML 1.1 reads as booleans keep their text in the mapping (:class:`_Mapping`)."""

    written: str


class _TextLoader(_Loader):
    """:class:`_Loader` whose numbers keep their written text, for a file of names and titles
    (a plan): ``code: 1.10`` is task 1.10, not 1.1."""


def _kept_float(loader: _TextLoader, node: yaml.ScalarNode) -> float:
    value = _Float(_float(loader, node))
    value.written = str(node.value)
    return value


def _kept_int(loader: _TextLoader, node: yaml.ScalarNode) -> int:
    value = _Int(loader.construct_yaml_int(node))
    value.written = str(node.value)
    return value


class _Mapping(dict):  # type: ignore[type-arg]
    """A mapping that remembers how its values written as YAML's words were written: a
    boolean (``yes``, ``no``, ``on``, ``off``, ``true`` — YAML 1.1 reads all of them so) or a
    null (``null``, ``~``, nothing) under its key (:func:`name_at`)."""

    written: dict[Any, str]


_WORD_TAGS = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")


def _kept_mapping(loader: _TextLoader, node: yaml.MappingNode) -> Any:
    data = _Mapping()
    data.written = {}
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, value_node in node.value:
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag in _WORD_TAGS:
            key = loader.construct_object(key_node)
            if isinstance(key, str):
                data.written[key] = str(value_node.value)


def _kept_text(loader: _TextLoader, node: yaml.ScalarNode) -> str:
    value = _Text(node.value)
    value.written = str(node.value)
    return value


_TextLoader.add_constructor("tag:yaml.org,2002:float", _kept_float)
_TextLoader.add_constructor("tag:yaml.org,2002:int", _kept_int)
_TextLoader.add_constructor("tag:yaml.org,2002:map", _kept_mapping)
_TextLoader.add_constructor("tag:yaml.org,2002:timestamp", _kept_text)


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many values ``node`` stands for once its aliases are expanded (a node met again
    counts again: an alias is a copy), counted once per distinct node, stopping past ``limit``."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        if (known := sizes.get(id(n))) is not None:
            return known
        sizes[id(n)] = limit + 1  # a node inside itself (a recursive alias) is unbounded
        total = 1
        if isinstance(n, yaml.SequenceNode):
            for child in n.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        sizes[id(n)] = total
        return total

    return size(node)


def _load(source: str, loader_class: type[_Loader], name: str) -> Any:
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_NODES) > MAX_NODES:
            raise YamlRefused(name, f"its aliases (&name, *name) expand it to more than "
                                    f"{MAX_NODES:,} values; write the values out")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def text_of(value: Any) -> str:
    """A scalar of a file read with ``keep_text`` as the text it was written in: ``1.10`` stays
    ``1.10`` (the parser's float is 1.1), ``010`` stays ``010``; anything else as ``str``.

    >>> text_of(read_yaml(b"code: 1.10", keep_text=True)["code"]), text_of(1.1)
    ('1.10', '1.1')
    """
    return getattr(value, "written", None) or str(value)


def name_at(mapping: Any, key: str, *, required: bool = True) -> str | None:
    """The value under ``key`` of a mapping read with ``keep_text``, as a name or title is
    read: as it was written. A number keeps its text (:func:`text_of`), and so does a word
    YAML 1.1 reads as a boolean or a null — ``code: no`` is the code "no", not False (nor,
    made a string, "False"); ``title: ~`` is the title "~", not "None". ``required``: a name a
    node cannot be without (a code, a title), where ``null`` and ``~`` can only be the words;
    an optional text (a description) takes YAML's null as "nothing there" (None). Nothing
    written (``title:``) is "" when required, else None; a missing key is None.

    >>> doc = read_yaml(b"code: no\\ntitle: ~\\ntext: null", keep_text=True)
    >>> name_at(doc, "code"), name_at(doc, "title"), name_at(doc, "text", required=False)
    ('no', '~', None)
    """
    if not isinstance(mapping, dict) or key not in mapping:
        return None
    value = mapping[key]
    written = getattr(mapping, "written", {}).get(key)
    if written is not None:
        if value is None and not required:
            return None
        return written
    return None if value is None else text_of(value)


def read_yaml(source: bytes | str | Path, name: str | None = None, *,
              keep_text: bool = False) -> Any:
    """The document of a YAML (or JSON) file — ``source`` its bytes, its text or its path;
    ``name`` names it in messages (the path by default). ``keep_text``: its numbers remember
    how they were written, for a reader of names and titles (:func:`text_of`).

    Raises :class:`YamlRefused` (a :class:`~lantu.domain.ValidationError`) when the bytes are
    no text, the YAML does not parse, or a number is written too small to store exactly.

    >>> read_yaml(b"weight: 0.5\\nname: x")
    {'weight': 0.5, 'name': 'x'}
    >>> read_yaml(b"weight: 1.0e-400", "w.yaml")
    Traceback (most recent call last):
    ...
    lantu.ingest.yamlio.YamlRefused: w.yaml: line 1, column 9: too small to store exactly (nearer 0 than 2.2250738585072014e-308); write 0, or the figure in a larger unit
    """
    if isinstance(source, Path):
        name = name or str(source)
        source = source.read_bytes()
    name = name or "<yaml>"
    if isinstance(source, bytes):
        try:
            source, _ = decode_text(source)
        except Undecodable as exc:
            refused = YamlRefused(name, exc.reason)
            if exc.line is not None:  # damaged at a line it names: a refusal there, as a table's
                refused.exit_code = EXIT_REFUSED
            raise refused from None
    try:
        return _load(source, _TextLoader if keep_text else _Loader, name)
    except _Refused as exc:
        raise YamlRefused(name, exc.reason, exc.mark.line + 1, exc.mark.column + 1) from None
    except yaml.constructor.ConstructorError as exc:  # a tag the safe loader has no reader of
        mark = exc.problem_mark
        tag = str(exc.problem or "").rpartition("tag ")[2].strip("'")
        raise YamlRefused(name, _tag_refusal(tag),
                          mark.line + 1 if mark else None, mark.column + 1 if mark else None
                          ) from None
    except RecursionError:
        raise YamlRefused(name, "it nests deeper than Lantu reads") from None
    except yaml.YAMLError as exc:  # the parser's own words stay out: where, and what to look at
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's limit of 1,000
            # brackets: "a bracket … out of place at column 1001", exit 1 (probe25)
            raise YamlRefused(name, "it nests deeper than Lantu reads") from None
        mark = getattr(exc, "problem_mark", None)
        raise YamlRefused(name, _UNREADABLE, mark.line + 1 if mark else None,
                          mark.column + 1 if mark else None) from None


_UNREADABLE = ("not readable YAML: a bracket, a quote, a colon or the indentation is out of place "
               "here")
