"""``python -m pipeline`` runs the vnplan command."""

from pipeline.cli import main

main()
