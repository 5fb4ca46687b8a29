"""vnplan's pipeline: read → repair → extract → store, and the ``vnplan`` command."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vnplan")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
