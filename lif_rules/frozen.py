"""Lists and dicts that refuse every change: the containers inside shared, immutable results.

Results are memoised and shared between callers (and threads), so nothing a caller does to one may
change what another caller gets: every mutating method, re-initialising included, raises TypeError.
They compare, hash-refuse, print, pickle and serialise like the plain ``list`` and ``dict`` they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenList", "FrozenDict", "frozen_list", "frozen_dict", "freeze", "EMPTY_LIST", "EMPTY_DICT"]

T = TypeVar("T")
_new_list = list.__new__
_fill_list = list.extend
_new_dict = dict.__new__
_fill_dict = dict.update


def _refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
    kind = type(self).__name__[6:].lower()
    raise TypeError(f"this {kind} is part of a shared, immutable result or pack; copy it ({kind}(...)) to change it")


class _Filled(type):
    """Makes ``FrozenList(items)`` and ``FrozenDict(items)`` fill the new container without calling
    ``__init__``, so that ``__init__`` can refuse every call: re-initialising is a change like any other."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if issubclass(cls, list):
            return frozen_list(*args, **kwargs)
        return frozen_dict(dict(*args, **kwargs))


class FrozenList(list, metaclass=_Filled):  # type: ignore[type-arg]
    """A list that refuses every change, re-initialising included."""

    __slots__ = ()

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = __init__ = _refuse
    __setattr__ = __delattr__ = _refuse

    def __reduce__(self) -> Any:
        return (frozen_list, (list(self),))


class FrozenDict(dict, metaclass=_Filled):  # type: ignore[type-arg]
    """A dict that refuses every change, re-initialising included."""

    __slots__ = ()

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = __init__ = _refuse
    __setattr__ = __delattr__ = _refuse

    def __reduce__(self) -> Any:
        return (frozen_dict, (dict(self),))


def frozen_list(items: Iterable[T] = ()) -> FrozenList:
    """A ``FrozenList`` of ``items``."""
    made: FrozenList = _new_list(FrozenList)
    _fill_list(made, items)
    return made


def frozen_dict(items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = ()) -> FrozenDict:
    """A ``FrozenDict`` of ``items``."""
    made: FrozenDict = _new_dict(FrozenDict)
    _fill_dict(made, items)
    return made


EMPTY_LIST = frozen_list()
EMPTY_DICT = frozen_dict()


def freeze(value: T) -> T:
    """``value`` with every list and dict inside it (pydantic models included) made frozen, in place.

    Used on the parts of a loaded pack that are shared by every caller (its document's metadata,
    notes and examples), so no caller can change what another sees.
    """
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        fields = value.__dict__
        for name, item in fields.items():
            fields[name] = freeze(item)
        return value
    if isinstance(value, list):
        return frozen_list([freeze(item) for item in value])  # type: ignore[return-value]
    if isinstance(value, dict):
        return frozen_dict({key: freeze(item) for key, item in value.items()})  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(freeze(item) for item in value)  # type: ignore[return-value]
    return value
