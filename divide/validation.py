"""One validation layer for the parameters of every public function (pydantic's ``validate_call``).

A public function is decorated with :func:`checked` and annotates its parameters with the
constrained types below. A wrong value never reaches numpy or statsmodels: it becomes one
:class:`~divide.errors.DivideParameterError` naming the parameter, the value given and what is
allowed (``draws must be ≥ 100 (got 5)``), or saying which stage's result a parameter expects.
"""

from __future__ import annotations

import functools
import inspect
import reprlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import ConfigDict, Field, InstanceOf, ValidationError, validate_call

from divide.errors import DivideParameterError

F = TypeVar("F", bound=Callable[..., Any])

Seed = Annotated[int, Field(ge=0, description="seed of the random generator")]
Draws = Annotated[int, Field(ge=100, le=20_000, description="simulation draws")]
IndexDraws = Annotated[
    int, Field(ge=100, le=50_000, description="Monte Carlo draws (50,000 × 1,741: 0.7 GB)")
]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Share = Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]
Threshold = Annotated[
    int, Field(ge=1, description="disclosure threshold k: counts below k are suppressed")
]
Sites = Annotated[int, Field(ge=1, le=200)]
Permutations = Annotated[int, Field(ge=99, le=99_999)]
Lang = Literal["ja", "en"]
IsoDate = Annotated[
    str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a reference date, e.g. 2024-03-31")
]
Result = (
    InstanceOf  # a stage's result: checked by isinstance only (its tables are not re-validated)
)

_WORDS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
_HINTS = {
    "Geography": "the result of divide.add_geography(frame)",
    "Frame": "the result of divide.load_frame(pref)",
    "OfflineEstimate": "the result of divide.estimate_offline(frame)",
    "IndexResult": "the result of divide.build_index(...)",
    "Analysis": "the result of divide.analyse(pref)",
}


def _message(function: Callable[..., Any], error: dict) -> str:
    names = list(inspect.signature(function).parameters)
    where = error["loc"][0] if error["loc"] else "?"
    name = names[where] if isinstance(where, int) and where < len(names) else where
    value = error.get("input")
    context = error.get("ctx") or {}
    if error["type"] == "is_instance_of":
        wanted = context.get("class", "?")
        return (
            f"{function.__name__}: parameter {name!r} must be {_HINTS.get(wanted, 'a ' + wanted)}, "
            f"not {type(value).__name__}"
        )
    shown = (
        reprlib.repr(value)
        if isinstance(value, str | int | float | bool | None)
        else type(value).__name__
    )
    bounds = " and ".join(f"{_WORDS[k]} {v}" for k, v in context.items() if k in _WORDS)
    allowed = (
        f"must be {bounds}" if bounds else error["msg"].replace("Input should", "must").lower()
    )
    if error["type"] == "literal_error":
        allowed = f"must be one of {context.get('expected')}"
    return f"{function.__name__}: parameter {name!r} {allowed} (got {shown})"


def checked(function: F) -> F:
    """Validate the call's arguments against the annotations; raise DivideParameterError on the
    first problem.
    """
    validated = validate_call(function, config=ConfigDict(arbitrary_types_allowed=True))

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return validated(*args, **kwargs)
        except ValidationError as exc:
            if exc.title != validated.__name__ and exc.title != function.__name__:
                raise  # raised inside the function, not about its arguments
            raise DivideParameterError(_message(function, exc.errors()[0])) from None

    return wrapper  # type: ignore[return-value]


LANGUAGES: tuple[str, ...] = ("ja", "en")


def check_lang(lang: object, where: str) -> str:
    """``lang`` when it is a language divide speaks; else the same error :func:`checked` gives.

    For the methods and dataclasses that :func:`checked` does not wrap, so that ``lang="fr"`` is
    refused in one wording everywhere instead of falling back to another language.

    >>> check_lang("fr", "credit_lines")
    Traceback (most recent call last):
    ...
    divide.errors.DivideParameterError: credit_lines: parameter 'lang' must be one of 'ja' or 'en' (got 'fr')
    """
    if lang not in LANGUAGES:
        allowed = " or ".join(repr(code) for code in LANGUAGES)
        raise DivideParameterError(
            f"{where}: parameter 'lang' must be one of {allowed} (got {reprlib.repr(lang)})"
        )
    return lang  # type: ignore[return-value]


def existing_folder(path: str | Path, parameter: str, function: str) -> Path:
    """``path`` as a Path when it is an existing folder; else an error naming the parameter and the
    path.

    >>> existing_folder("/no/such/place", "raw_directory", "load_frame")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    divide.errors.DivideParameterError: load_frame: parameter 'raw_directory' is not a folder: ...
    """
    path = Path(path)
    if not path.is_dir():
        why = "is a file" if path.exists() else "does not exist"
        raise DivideParameterError(
            f"{function}: parameter {parameter!r} is not a folder: {path} {why}"
        )
    return path
