"""The jinja2 sandbox every placeholder and template is rendered in, with budgets.

Lesson text and a theme's templates come from anyone. jinja2's sandbox keeps them away
from Python's internals, but not from asking for `'x' * 300000000` or three nested
`range(100000)` loops. Here every string or list an expression makes, every loop step
and every rendering's output has a ceiling; past it, BudgetExceeded says which.
"""
from __future__ import annotations

import string
import threading
from functools import wraps

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace, pass_context
from jinja2.visitor import NodeTransformer

from .messages import say

MAX_TEXT = 100_000        # characters of a string (items of a list) one expression makes
MAX_STEPS = 10_000        # loop steps in one rendering, every loop counted
MAX_OUTPUT = 5_000_000    # characters one rendering writes
MAX_RANGE = 1_000         # items of one range()
MAX_POWER_BITS = 10_000   # the size of a number `**` may make
_STEPS, _CONCAT = "kit_loop_step", "kit_concat"
_state = threading.local()


def _n(count: int) -> str:
    """`1 000 000`: a count as a French reader writes it."""
    return f"{count:,}".replace(",", " ")


class BudgetExceeded(SecurityError):
    """Raised when an expression or a template asks for more than a page could ever show."""


def _size(value) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict)) else 0


def _checked(value):
    if _size(value) > MAX_TEXT:
        raise BudgetExceeded(say("text.budget_size", size=_n(_size(value)), limit=_n(MAX_TEXT)))
    return value


def _check_number(value) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
        raise BudgetExceeded(say("text.budget_number", limit=_n(MAX_TEXT)))


def _check_format(text: str) -> None:
    """`'%999999999s' % x` or `'{:>999999999}'.format(x)`: widths stay small."""
    specs = [spec for _, _, spec, _ in string.Formatter().parse(text) if spec] \
        if "{" in text else []
    if "%*" in text or any("{" in s for s in specs) or any(
            len(run) > 5 for run in "".join(c if c.isdigit() else " " for c in text).split()
            if "%" in text or specs):
        raise BudgetExceeded(say("text.budget_format"))


def _steps(iterable):
    for item in iterable:
        _state.steps = getattr(_state, "steps", 0) + 1
        if _state.steps > MAX_STEPS:
            raise BudgetExceeded(say("text.budget_loops", limit=_n(MAX_STEPS)))
        yield item


@pass_context
def _concat(context, *parts):
    if sum(len(str(p)) for p in parts) > MAX_TEXT:
        raise BudgetExceeded(say("text.budget_join", limit=_n(MAX_TEXT)))
    return (markup_join if context.eval_ctx.autoescape else str_join)(parts)


def bounded_range(*args) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise BudgetExceeded(say("text.budget_range", size=_n(len(numbers)), limit=_n(MAX_RANGE)))
    return numbers


class BoundedNamespace(Namespace):
    def __setitem__(self, name, value) -> None:
        super().__setitem__(name, _checked(value))


def _bounded_filter(name: str, function):
    @wraps(function)  # keeps jinja2's pass_context/pass_environment marks
    def bounded(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            _check_number(value)
        if name == "format" and args and isinstance(args[0], str):
            _check_format(args[0])
        return _checked(function(*args, **kwargs))
    return bounded


class _Budget(NodeTransformer):
    """Every loop counts its steps, every `~` checks what it joins."""

    def visit_For(self, node):
        node = self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name(_STEPS, "load"), [node.iter], [], None, None,
                               lineno=node.lineno)
        return node

    def visit_Concat(self, node):
        node = self.generic_visit(node)
        return nodes.Call(nodes.Name(_CONCAT, "load"), node.nodes, [], None, None,
                          lineno=node.lineno)


class BudgetedTemplate(jinja2.Template):
    def render(self, *args, **kwargs) -> str:
        """The template's text; each rendering starts a fresh budget."""
        _state.steps = 0
        parts, size = [], 0
        for part in self.generate(*args, **kwargs):
            size += len(part)
            if size > MAX_OUTPUT:
                raise BudgetExceeded(say("text.budget_output", limit=_n(MAX_OUTPUT)))
            parts.append(part)
        return "".join(parts)


class BoundedSandbox(SandboxedEnvironment):
    """jinja2's sandbox with the budgets above."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    template_class = BudgetedTemplate

    def __init__(self, **options):
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs
        self.globals.update({"range": bounded_range, "namespace": BoundedNamespace,
                             _STEPS: _steps, _CONCAT: _concat})
        self.filters = {n: _bounded_filter(n, f) for n, f in self.filters.items()}

    def _generate(self, source, name, filename, defer_init=False):
        """Compiled with the budget's calls; `parse()` still gives the tree as written."""
        tree = _Budget().visit(source)
        tree.set_environment(self)
        return super()._generate(tree, name, filename, defer_init)

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for text, count in ((left, right), (right, left)):
                if _size(text) and isinstance(count, int) and _size(text) * count > MAX_TEXT:
                    raise BudgetExceeded(say("text.budget_size", size=_n(_size(text) * count),
                                             limit=_n(MAX_TEXT)))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and (
                right > MAX_POWER_BITS or abs(left).bit_length() * right > MAX_POWER_BITS):
            raise BudgetExceeded(say("text.budget_power"))
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return _checked(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value):
        """`'{:>999999999}'.format(x)`: jinja2 wraps str.format when it is reached."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format(value.__self__)
        return wrapped

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's signature)
        for value in (*args, *kwargs.values()):
            _check_number(value)
        return _checked(super().call(__context, __obj, *args, **kwargs))
