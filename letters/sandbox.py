"""The sandbox letter templates run in, and the check that keeps a template inside it.

A letter template is plain text with placeholders, written by the school's admin. It may
print placeholders, put a filter from a short list on them, and choose text with
{% if %}. Everything else Jinja can do is refused, when the template is saved and again
whenever one is rendered (a row written before these checks, or straight to the database,
cannot do harm either):

- found by walking the parsed template (jinja2.nodes), with the line: other templates
  ({% include %}, {% import %}, {% from %}, {% extends %}), {% block %}, {% macro %},
  {% call %}, values of its own ({% set %}, {% with %}), {% for %} (with no range() or
  lists, a loop only repeats text, and nested loops over a long summary never finish),
  {% filter %}, {% autoescape %} (it would print what staff typed as HTML), calling
  functions or methods, sums (``"x" * 10**9`` would fill the memory), names that start
  with an underscore (``.__class__``: the way out of every sandbox), and filters or tests
  not on the list;
- refused by the environment itself: underscored attributes, calls and sums
  (`LetterEnvironment`), filters and tests not on the list, and other templates (it has
  no loader).

`problems` is the static check; `render` compiles (cached) and renders, and turns any
failure into a `TemplateProblem` with the line it happened on.
"""

import html
import traceback
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

# Filters and tests a letter may use: none of them can grow the text much or reach out.
FILTERS = ("capitalize", "default", "lower", "title", "trim", "upper")
TESTS = ("defined", "undefined", "none", "string", "eq", "ne", "lower", "upper")
ALIASES = {"d": "default", "equalto": "eq"}  # Jinja's own short names for the same ones.

REMOVE = "Remove it."
OWN_VALUES = "letters cannot set values of their own ({{% {} %}}). Use the placeholders."
STATEMENTS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (nodes.Include, "letters cannot include other templates ({% include %}). " + REMOVE),
    (nodes.Import, "letters cannot import other templates ({% import %}). " + REMOVE),
    (nodes.FromImport, "letters cannot import from other templates ({% from %}). " + REMOVE),
    (nodes.Extends, "letters cannot extend other templates ({% extends %}). " + REMOVE),
    (nodes.Block, "letters cannot have blocks ({% block %}). " + REMOVE),
    (nodes.Macro, "letters cannot define macros ({% macro %}). " + REMOVE),
    (nodes.CallBlock, "letters cannot call macros ({% call %}). " + REMOVE),
    ((nodes.Assign, nodes.AssignBlock), OWN_VALUES.format("set")),
    (nodes.With, OWN_VALUES.format("with")),
    (nodes.For, "letters cannot repeat text ({% for %}). " + REMOVE),
    (
        nodes.FilterBlock,
        "letters cannot filter a whole passage ({% filter %}). "
        "Put the filter on the placeholder instead, like {{ group|upper }}.",
    ),
    (
        (nodes.Scope, nodes.EvalContextModifier),  # What {% autoescape %} is parsed into.
        "letters cannot turn escaping off ({% autoescape %}). " + REMOVE,
    ),
    (
        nodes.Call,
        "letters cannot call functions or methods (a name followed by brackets). "
        "Use a filter instead, like {{ parent_name|upper }}.",
    ),
    (
        (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow),
        "letters cannot do sums (+, -, *, /, % or **). Remove it, or join text with ~.",
    ),
)
ANGLES = "letters cannot use <, > or & inside {{ }} or {% %}. Compare with == or !=, or remove it."
ALLOWED: tuple[type[nodes.Node], ...] = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.Name, nodes.If,
    nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Concat, nodes.Compare, nodes.Operand,
    nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.CondExpr, nodes.Filter,
    nodes.Test, nodes.Tuple, nodes.List, nodes.Dict, nodes.Pair, nodes.Keyword,
)  # fmt: skip


class TemplateProblem(TemplateError):
    """One thing wrong with a template's text; str() is "Line N: what to do"."""

    def __init__(self, lineno: int | None, message: str):
        self.lineno, self.text = lineno or 1, message
        super().__init__(f"Line {self.lineno}: {message}")


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed further for letters. No loader: {% include %}
    and its kind fail; no globals (range(), lipsum(), namespace()); undefined names are
    errors; every value is HTML-escaped."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator: str, left, right):
        raise SecurityError("letters cannot do sums")

    def call(__self, __context, __obj, *args, **kwargs):
        raise SecurityError("letters cannot call functions or methods")


_environment = LetterEnvironment(autoescape=True, undefined=StrictUndefined)
_environment.globals.clear()
_environment.filters = {name: DEFAULT_FILTERS[ALIASES.get(name, name)] for name in (*FILTERS, "d")}
_environment.tests = {name: DEFAULT_TESTS[ALIASES.get(name, name)] for name in (*TESTS, "equalto")}


def _escaped(source: str) -> str:
    # Templates are plain text: what the admin types prints as typed, even if it looks like
    # HTML. Line numbers do not change.
    return html.escape(source, quote=False)


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def _checked(node: nodes.Node) -> Iterator[tuple[nodes.Node, str | None]]:
    """Each node with why a letter may not use it (or None); what is inside a refused
    statement is not looked at, so one mistake gives one message."""
    refusal = _refusal(node)
    yield node, refusal
    if refusal is None or isinstance(
        node, (nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test)
    ):
        for child in node.iter_child_nodes():
            yield from _checked(child)


def _refusal(node: nodes.Node) -> str | None:
    """Why a letter may not use this node, or None if it may."""
    for kind, message in STATEMENTS:
        if isinstance(node, kind):
            return message
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f"letters cannot use names that start with an underscore (.{node.attr}). {REMOVE}"
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and str(node.arg.value).startswith("_")
    ):
        return (
            "letters cannot use names that start with an underscore "
            f"([{node.arg.value!r}]). {REMOVE}"
        )
    if isinstance(node, nodes.Filter) and node.name not in _environment.filters:
        return f"|{node.name} is not a filter letters can use. You can use: {', '.join(FILTERS)}."
    if isinstance(node, nodes.Test) and node.name not in _environment.tests:
        return f"“is {node.name}” is not a test letters can use. You can use: {', '.join(TESTS)}."
    if not isinstance(node, ALLOWED):
        return f"letters cannot use this ({type(node).__name__}). {REMOVE}"
    return None


def _syntax(error: TemplateSyntaxError) -> TemplateProblem:
    if "'&'" in (error.message or ""):  # <, > and & in the text are escaped before parsing.
        return TemplateProblem(error.lineno, ANGLES)
    return TemplateProblem(error.lineno, error.message or "this is not a valid template")


def _reads(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.ctx == "load"


def _parse(source: str) -> nodes.Template:
    try:
        return _environment.parse(source)
    except TemplateSyntaxError as error:
        raise _syntax(error) from None


def _static_problems(tree: nodes.Template, names: Collection[str] | None) -> list[TemplateProblem]:
    found: list[TemplateProblem] = []
    unknown: dict[str, int] = {}
    for node, message in _checked(tree):
        if message:
            if not any(p.lineno == node.lineno and p.text == message for p in found):
                found.append(TemplateProblem(node.lineno, message))
        elif names is not None and _reads(node) and node.name not in names:
            unknown.setdefault(node.name, node.lineno)
    message = "{{{{ {} }}}} is not a placeholder this letter can use"
    # A name the template sets itself is refused with its {% set %}, not again here.
    own = {node.name for node in _walk(tree) if isinstance(node, nodes.Name) and node.ctx != "load"}
    found += [
        TemplateProblem(line, message.format(name))
        for name, line in unknown.items()
        if name not in own
    ]
    return sorted(found, key=lambda problem: (problem.lineno, problem.text))


def problems(source: str, names: Collection[str]) -> list[TemplateProblem]:
    """Everything wrong with a template's text that shows without rendering it: syntax,
    what letters may not use, placeholders not in `names`, and what Jinja refuses when it
    compiles (such as an unknown filter). Each with its line."""
    try:
        tree = _parse(_escaped(source))
    except TemplateProblem as problem:
        return [problem]
    if found := _static_problems(tree, names):
        return found
    try:
        _environment.from_string(tree)
    except TemplateSyntaxError as error:  # Includes TemplateAssertionError.
        return [_syntax(error)]
    return []


def names_used(source: str) -> set[str]:
    """The placeholders a template's text prints or tests; none if it does not parse."""
    try:
        tree = _parse(_escaped(source))
    except TemplateProblem:
        return set()
    return {node.name for node in _walk(tree) if _reads(node)}


@lru_cache(maxsize=64)
def _compiled(escaped: str):
    tree = _parse(escaped)
    if found := _static_problems(tree, names=None):
        raise found[0]
    try:
        return _environment.from_string(tree)
    except TemplateSyntaxError as error:
        raise TemplateProblem(
            error.lineno, error.message or "this is not a valid template"
        ) from None


def _line_of(error: BaseException) -> int | None:
    """The template line a render failed on: Jinja names its frames "<template>"."""
    frames = traceback.extract_tb(error.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename == "<template>"]
    return lines[-1] if lines else getattr(error, "lineno", None)


def render(source: str, values: Mapping[str, str]) -> Markup:
    """The template's text with the values filled in, as escaped HTML. Any failure, of the
    checks or while rendering, is a TemplateProblem with its line."""
    template = _compiled(_escaped(source))
    try:
        rendered = template.render(**values)
    except Exception as error:  # Whatever went wrong: say where, never crash the page.
        raise TemplateProblem(
            _line_of(error), f"this could not be filled in ({error}). Check this line."
        ) from error
    # Safe: the template's own text was escaped (_escaped) and autoescape escaped every value.
    return Markup(rendered)  # noqa: S704  # nosec B704
