"""Errors a user causes and can fix from the message alone.

:class:`UserInputError` marks them: the tools print such a message without
a traceback (a traceback is for hmrzoo's own bugs).  :func:`user_error`
gives the marked variant of a standard exception class, so callers that
catch ``KeyError``, ``TypeError``, ``OSError`` ... keep working.
"""
from typing import Dict, Type


class UserInputError(Exception):
    """A bad config, option, path or file; the message names it and the
    fix."""

    def __str__(self) -> str:     # KeyError would quote its message
        return str(self.args[0]) if self.args else ''


_MARKED: Dict[type, type] = {}


def user_error(kind: Type[BaseException], message: str) -> BaseException:
    """``kind(message)``, also an instance of :class:`UserInputError`."""
    return _marked(kind)(message)


def _marked(kind: type) -> type:
    if kind not in _MARKED:
        _MARKED[kind] = type(kind.__name__, (UserInputError, kind),
                             {'__module__': __name__})
    return _MARKED[kind]


#: marked variants of the standard classes (``isinstance(e, KeyError)``
#: still holds), for ``raise UserKeyError(...)``
UserKeyError = _marked(KeyError)
UserTypeError = _marked(TypeError)
UserSyntaxError = _marked(SyntaxError)
UserOSError = _marked(OSError)
UserFileNotFoundError = _marked(FileNotFoundError)
UserNotADirectoryError = _marked(NotADirectoryError)
UserIsADirectoryError = _marked(IsADirectoryError)
UserPermissionError = _marked(PermissionError)
UserImportError = _marked(ImportError)
UserValueError = _marked(ValueError)
