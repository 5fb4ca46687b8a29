"""The extraction version: what a stored document's machine records were made by.

Bump :data:`EXTRACTION_VERSION` with any change to reading, repair or extraction that changes
what is stored or exported (the golden-output test, ``tests/test_golden.py``, fails until you
do). ``vnplan ingest`` re-extracts every stored document of an older version, and applies its
reviewers' corrections again.
"""

EXTRACTION_VERSION = 6
