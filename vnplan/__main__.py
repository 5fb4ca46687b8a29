"""``python -m vnplan`` runs the vnplan command."""

from vnplan.cli import main

main()
