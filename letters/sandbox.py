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
- refused by the environment itself: attributes and items, calls and sums
  (`LetterEnvironment`), filters and tests not on the list, and other templates (it has
  no loader);
- refused before parsing, from the lexer's tokens alone (`_guard`), so nothing deep or huge
  ever reaches Jinja's recursive parser or Python's compiler: text longer than
  MAX_CHARACTERS, brackets or {% if %} more than MAX_NESTING deep, a {{ }} or {% %} of more
  than MAX_TAG_TOKENS parts or more than MAX_NESTING filters, tests and "not"s, and numbers
  of more than MAX_DIGITS digits (Python refuses integers of more than 4,300).

Placeholders are plain strings: anything after a dot or in square brackets
(``{{ parent_name.upper }}`` prints "<built-in method ...>") is refused.

`problems` is the static check; `render` compiles (cached) and renders. Any failure at all,
while checking, parsing, compiling or rendering (RecursionError, MemoryError, a
SyntaxError from Python's compiler, ...), is a `TemplateProblem` with the line it happened
on where there is one: never an error page.
"""

import html
import traceback
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

# Limits checked before a text is parsed (see _guard). A letter of four full pages has
# about 10,000 characters; a stored text longer than that is refused without parsing it.
MAX_CHARACTERS = 10_000
MAX_NESTING = 10
MAX_TAG_TOKENS = 50
MAX_DIGITS = 15
TOO_COMPLICATED = "this is too complicated for a letter: simplify it"
TOO_LONG = (
    "This text is too long for a letter: it has {length:,} characters, and a letter can "
    "have at most {limit:,}. Shorten it."
)

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
    nodes.Slice, nodes.Concat, nodes.Compare, nodes.Operand,
    nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.CondExpr, nodes.Filter,
    nodes.Test, nodes.Tuple, nodes.List, nodes.Dict, nodes.Pair, nodes.Keyword,
)  # fmt: skip


class TemplateProblem(TemplateError):
    """One thing wrong with a template's text; str() is "Line N: what to do", or, for the
    text as a whole (lineno None), just what to do."""

    def __init__(self, lineno: int | None, message: str):
        self.lineno, self.text = lineno, message
        super().__init__(message if lineno is None else f"Line {lineno}: {message}")


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed further for letters. No loader: {% include %}
    and its kind fail; no globals (range(), lipsum(), namespace()); undefined names are
    errors; every value is HTML-escaped."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    # Placeholders are plain strings: nothing of theirs is reachable, by dot or brackets.
    def getattr(self, obj, attribute):
        raise SecurityError("placeholders cannot have anything after a dot")

    def getitem(self, obj, argument):
        raise SecurityError("placeholders cannot have anything in square brackets")

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


def _too_long(source: str) -> TemplateProblem | None:
    if len(source) > MAX_CHARACTERS:
        return TemplateProblem(None, TOO_LONG.format(length=len(source), limit=MAX_CHARACTERS))
    return None


def _complicated(why: str) -> str:
    return f"this is too complicated for a letter ({why}): simplify it"


# Block tags that open a block closed by end<name>; {% set x %} without "=" is one too.
OPENERS = frozenset(
    {"if", "for", "block", "macro", "call", "filter", "with", "autoescape", "trans", "set"}
)
NESTS = frozenset({"|", "not", "is"})  # Each wraps what comes before or after it.
TOO_MUCH_IN_ONE = "too much inside one {{ }} or {% %}"


def _guard(escaped: str) -> None:
    """Refuse, from the lexer's tokens alone, what is too deep or too big for Jinja's
    recursive parser and Python's compiler. The lexer is regular expressions, not
    recursion: it reads any text of MAX_CHARACTERS quickly and safely."""
    brackets = blocks = 0
    tag: list[tuple[str, str]] | None = None  # The {{ }} or {% %} being read.
    for lineno, kind, value in _environment.lexer.tokeniter(escaped, None):
        if kind in ("variable_begin", "block_begin"):
            tag = []
        elif kind in ("variable_end", "block_end") and tag is not None:
            blocks = _blocks_after(tag, blocks)
            _check_tag(tag, lineno, blocks)
            tag = None
        elif tag is not None and kind != "whitespace":
            tag.append((kind, value))
            if value in ("(", "[", "{"):
                brackets += 1
            elif value in (")", "]", "}"):
                brackets = max(brackets - 1, 0)
            if brackets > MAX_NESTING:
                raise TemplateProblem(lineno, _complicated("brackets inside each other"))
            if len(tag) > MAX_TAG_TOKENS:  # Here too: a {{ never closed is still read.
                raise TemplateProblem(lineno, _complicated(TOO_MUCH_IN_ONE))
            if kind in ("integer", "float") and len(value) > MAX_DIGITS:
                raise TemplateProblem(
                    lineno, f"numbers in letters can have at most {MAX_DIGITS} digits. Shorten it."
                )


def _blocks_after(tag: list[tuple[str, str]], blocks: int) -> int:
    """How many blocks are open after this tag."""
    name = tag[0][1] if tag and tag[0][0] == "name" else ""
    if name.startswith("end"):
        return max(blocks - 1, 0)
    if name in OPENERS and not (name == "set" and ("operator", "=") in tag):
        return blocks + 1
    return blocks


def _check_tag(tag: list[tuple[str, str]], lineno: int, blocks: int) -> None:
    if blocks > MAX_NESTING:
        raise TemplateProblem(lineno, _complicated("{% if %} inside each other"))
    if sum(value in NESTS for _kind, value in tag) > MAX_NESTING:
        raise TemplateProblem(lineno, _complicated("too many filters, tests or “not”s"))


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
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        return _after_a_value(node)
    if isinstance(node, nodes.Filter) and node.name not in _environment.filters:
        return f"|{node.name} is not a filter letters can use. You can use: {', '.join(FILTERS)}."
    if isinstance(node, nodes.Test) and node.name not in _environment.tests:
        return f"“is {node.name}” is not a test letters can use. You can use: {', '.join(TESTS)}."
    if not isinstance(node, ALLOWED):
        return f"letters cannot use this ({type(node).__name__}). {REMOVE}"
    return None


def _after_a_value(node: nodes.Getattr | nodes.Getitem) -> str:
    """Placeholders are plain strings: {{ parent_name.upper }} would print "<built-in
    method ...>", and {{ summary[0] }} one letter."""
    base = node
    while isinstance(base, (nodes.Getattr, nodes.Getitem)):
        base = base.node
    dot = isinstance(node, nodes.Getattr)
    if isinstance(base, nodes.Name):
        after = "anything after a dot" if dot else "anything in square brackets after them"
        return f"placeholders cannot have {after}: write {{{{ {base.name} }}}}"
    after = f"anything after a dot (.{node.attr})" if dot else "square brackets after a value"
    return f"letters cannot use {after}. {REMOVE}"


def _syntax(error: TemplateSyntaxError) -> TemplateProblem:
    if "'&'" in (error.message or ""):  # <, > and & in the text are escaped before parsing.
        return TemplateProblem(error.lineno or 1, ANGLES)
    return TemplateProblem(error.lineno or 1, error.message or "this is not a valid template")


def _reads(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.ctx == "load"


def _whole_text_too_complicated() -> TemplateProblem:
    return TemplateProblem(None, "This text is too complicated for a letter: simplify it.")


def _parse(source: str) -> nodes.Template:
    """The text as Jinja parses it, once it has passed the guards. Any failure at all is a
    TemplateProblem."""
    if problem := _too_long(source):
        raise problem
    escaped = _escaped(source)
    try:
        _guard(escaped)
        return _environment.parse(escaped)
    except TemplateProblem:
        raise
    except TemplateSyntaxError as error:
        raise _syntax(error) from None
    except Exception:  # RecursionError, MemoryError, ...: whatever it is, say so in words.
        raise _whole_text_too_complicated() from None


def _static_problems(tree: nodes.Template, names: Collection[str] | None) -> list[TemplateProblem]:
    found: list[TemplateProblem] = []
    unknown: dict[str, int] = {}
    for node, message in _checked(tree):
        line = node.lineno or 1  # What {% autoescape %} is parsed into has no line.
        if message:
            if not any(p.lineno == line and p.text == message for p in found):
                found.append(TemplateProblem(line, message))
        elif names is not None and _reads(node) and node.name not in names:
            unknown.setdefault(node.name, line)
    message = "{{{{ {} }}}} is not a placeholder this letter can use"
    # A name the template sets itself is refused with its {% set %}, not again here.
    own = {node.name for node in _walk(tree) if isinstance(node, nodes.Name) and node.ctx != "load"}
    found += [
        TemplateProblem(line, message.format(name))
        for name, line in unknown.items()
        if name not in own
    ]
    return sorted(found, key=lambda problem: (problem.lineno, problem.text))


def _compile(tree: nodes.Template):
    try:
        return _environment.from_string(tree)
    except TemplateSyntaxError as error:  # Includes TemplateAssertionError.
        raise _syntax(error) from None
    except Exception:  # A SyntaxError or RecursionError from Python's own compiler.
        raise _whole_text_too_complicated() from None


def problems(source: str, names: Collection[str]) -> list[TemplateProblem]:
    """Everything wrong with a template's text that shows without rendering it: its size,
    syntax, what letters may not use, placeholders not in `names`, and what Jinja or
    Python refuses when it compiles (such as an unknown filter). Each with its line. A text
    over MAX_CHARACTERS is refused before anything else, and never kept in the cache."""
    if problem := _too_long(source):
        return [problem]
    return list(_problems(source, frozenset(names)))


@lru_cache(maxsize=128)
def _problems(source: str, names: frozenset[str]) -> tuple[TemplateProblem, ...]:
    try:
        tree = _parse(source)
        if found := _static_problems(tree, names):
            return tuple(found)
        _compile(tree)
    except TemplateProblem as problem:
        return (problem,)
    except Exception:  # The walk itself failed: say so, never crash the page.
        return (_whole_text_too_complicated(),)
    return ()


def names_used(source: str) -> set[str]:
    """The placeholders a template's text prints or tests; none if it cannot be parsed."""
    if _too_long(source):
        return set()
    return set(_names_used(source))


@lru_cache(maxsize=128)
def _names_used(source: str) -> frozenset[str]:
    try:
        return frozenset(node.name for node in _walk(_parse(source)) if _reads(node))
    except Exception:  # Too complicated to parse: it states nothing, and cannot be used.
        return frozenset()


def _compiled(source: str):
    if problem := _too_long(source):
        raise problem
    return _compiled_checked(source)


@lru_cache(maxsize=64)
def _compiled_checked(source: str):
    tree = _parse(source)
    try:
        found = _static_problems(tree, names=None)
    except Exception:
        raise _whole_text_too_complicated() from None
    if found:
        raise found[0]
    return _compile(tree)


def _line_of(error: BaseException) -> int | None:
    """The template line a render failed on: Jinja names its frames "<template>"."""
    frames = traceback.extract_tb(error.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename == "<template>"]
    return lines[-1] if lines else getattr(error, "lineno", None)


def render(source: str, values: Mapping[str, str]) -> Markup:
    """The template's text with the values filled in, as escaped HTML. Any failure, of the
    checks or while rendering, is a TemplateProblem with its line."""
    template = _compiled(source)
    try:
        rendered = template.render(**values)
    except Exception as error:  # Whatever went wrong: say where, never crash the page.
        line = _line_of(error) or 1
        if isinstance(error, (RecursionError, MemoryError)):
            raise TemplateProblem(line, TOO_COMPLICATED) from error
        raise TemplateProblem(
            line, f"this could not be filled in ({error}). Check this line."
        ) from error
    # Safe: the template's own text was escaped (_escaped) and autoescape escaped every value.
    return Markup(rendered)  # noqa: S704  # nosec B704
