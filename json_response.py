"""Dash's callback answers encoded by orjson in one pass, with a hook for components: the same bytes, faster.

Why: Dash encodes every callback answer with plotly's `to_json_plotly`. It first tries orjson on the whole answer;
orjson meets the first Dash component and gives up, and plotly then walks the entire tree in pure Python
(`clean_to_json_compatible`: every dict rebuilt, every value tried for dates, numpy, pandas, PIL and
`to_plotly_json`) before orjson encodes the copy. On the indicator pages that walk is most of the cost of a render
served from the result cache (issue 18). Here orjson encodes the answer directly and calls `_default` only for
what it cannot encode itself: a component (its `to_plotly_json()` dict, as plotly's walk uses) or a `Decimal`
(a float, as plotly's walk makes it).

The bytes must stay what the browser got before (tests/test_render_identical.py compares them on every page):
- the same orjson options as plotly (`OPT_NON_STR_KEYS`: keys that are not strings, e.g. 2026 or a date), the
  same escaping of `<`, `>`, `/`, U+2028 and U+2029 afterwards (plotly's `_safe`), NaN and ±Infinity as null
  (orjson's own, both paths);
- everything whose encoding plotly's walk would change is *not* handled here but sent to plotly's own path for
  the whole answer: numpy and pandas values (no `OPT_SERIALIZE_NUMPY` here, so orjson hands them to `_default`,
  which refuses them), dataclasses (`OPT_PASSTHROUGH_DATACLASS`: plotly's walk calls their `to_plotly_json` if they
  have one), and anything else `_default` does not know. Refusing costs a second encoding, never a different one.
"""

from __future__ import annotations

import logging
from dataclasses import is_dataclass
from decimal import Decimal
from typing import Any

import orjson
from dash.development.base_component import Component

log = logging.getLogger("housing.json")

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS
# plotly.io._json._swap_orjson, on UTF-8 bytes (each a whole character's encoding, so a byte replace is exact).
_SWAP = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"/", b"\\u002f"),
    (b"\xe2\x80\xa8", b"\\u2028"),
    (b"\xe2\x80\xa9", b"\\u2029"),
)


class _Refused(TypeError):
    """A value whose encoding plotly's path would make differently: encode the whole answer that way instead."""


# Per component class: whether `_component_json` may read its props from the instance's __dict__ (True), or must
# call its own to_plotly_json (False: the class overrides it, or a class attribute shadows a prop's name).
_PLAIN: dict[type, bool] = {}
_BASE_TO_JSON = Component.to_plotly_json


def _component_json(component: Any) -> dict[str, Any]:
    """`Component.to_plotly_json()`, the same dict in the same order, read straight from the instance's __dict__.
    Dash's own asks `hasattr`/`getattr` for each of a component's 20–40 prop names and tests every attribute against
    each wildcard prefix with `any()`: a page of 8,000 components (tables of chart data) spent more there than
    orjson spent encoding. The same: a prop is set exactly when it is in __dict__ unless the class has an attribute of
    that name (such classes, and classes with their own to_plotly_json, use theirs); wildcard attributes (data-*,
    aria-*) follow in __dict__ order, as Dash's `props.update` adds them."""
    cls = type(component)
    plain = _PLAIN.get(cls)
    if plain is None:
        names = component._prop_names
        plain = _PLAIN[cls] = cls.to_plotly_json is _BASE_TO_JSON and not any(hasattr(cls, p) for p in names)
    if not plain:
        return dict(component.to_plotly_json())
    attributes = component.__dict__
    props = {p: attributes[p] for p in component._prop_names if p in attributes}
    wildcards = tuple(component._valid_wildcard_attributes)
    if wildcards:
        for key in attributes:
            if key.startswith(wildcards):
                props[key] = attributes[key]
    return {"props": props, "type": component._type, "namespace": component._namespace}


def _default(value: Any) -> Any:
    """What orjson cannot encode itself: Dash components (as plotly's walk: their `to_plotly_json()`) and Decimals
    (floats, as plotly's walk). A component's props go back to orjson, so nested components come here again."""
    if isinstance(value, Component):
        return _component_json(value)
    if isinstance(value, Decimal):
        return float(value)
    # Anything else plotly's walk would hand to `to_plotly_json` (a graph object): only when it has none of the
    # methods the walk tries first (a date's `to_pydatetime`, an array's `tolist`).
    if is_dataclass(value):  # plotly encodes one natively or by its to_plotly_json, depending on the rest
        raise _Refused(type(value).__name__)
    if hasattr(value, "to_plotly_json") and not hasattr(value, "to_pydatetime") and not hasattr(value, "tolist"):
        return value.to_plotly_json()
    raise _Refused(type(value).__name__)


def dumps(value: Any) -> str:
    """`plotly.io.json.to_json_plotly(value)` (orjson engine, not pretty), byte for byte, without its Python walk.
    Falls back to plotly's function for an answer holding anything `_default` refuses (see the module's doc)."""
    try:
        out = orjson.dumps(value, default=_default, option=_OPTIONS)
    except TypeError:  # _Refused, orjson.JSONEncodeError (a subclass), or a value plotly's path refuses too
        from plotly.io.json import to_json_plotly

        return str(to_json_plotly(value))
    for unsafe, safe in _SWAP:
        if unsafe in out:
            out = out.replace(unsafe, safe)
    return out.decode()


def plotly_dumps(value: Any) -> str:
    """What Dash encodes with when nothing is installed: plotly's `to_json_plotly` (the reference the tests compare
    against, and the benchmark's "before")."""
    from plotly.io.json import to_json_plotly

    return str(to_json_plotly(value))


# Dash binds `to_json` by name in the modules that encode callback answers and the served layout.
_DASH_MODULES = ("dash._callback", "dash.dash")


def install() -> None:
    """Make Dash encode callback answers and layouts with `dumps`. Idempotent. A Dash whose modules no longer bind
    `to_json` keeps its own encoder (logged: the answers stay right, only slower)."""
    import importlib

    for name in _DASH_MODULES:
        module = importlib.import_module(name)
        if not callable(getattr(module, "to_json", None)):
            log.warning("%s has no to_json: Dash keeps encoding its answers with plotly's to_json_plotly", name)
            continue
        module.to_json = dumps  # type: ignore[attr-defined]


def uninstall() -> None:
    """Back to plotly's encoder (the benchmark's and the tests' "before")."""
    import importlib

    from dash._utils import to_json

    for name in _DASH_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "to_json"):
            module.to_json = to_json  # type: ignore[attr-defined]
