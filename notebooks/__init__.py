"""The reviewer's notebook, shipped with the package so that ``vnplan review`` finds it when installed."""
