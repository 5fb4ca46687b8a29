"""The closed sets of words stored as text: review and correction statuses, agency roles, task origins,
review-item kinds. Each is a ``Literal`` type, so a misspelt value fails the type check while the
database and the exports keep the plain words; the tuples list the words for checks at run time."""

from __future__ import annotations

from typing import Literal, get_args

#: A task's review: not yet looked at, approved, or rejected by a reviewer.
ReviewStatus = Literal["unreviewed", "approved", "rejected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)

#: A correction: applied to its task; ``orphaned`` when re-extraction left no task for it; ``undone``.
CorrectionStatus = Literal["applied", "orphaned", "undone"]

#: A review item: ``open`` until a reviewer fixed or approved the task it is about.
ReviewItemStatus = Literal["open", "resolved"]

#: What a review item is about: a row whose funding sources miss its total, or a group row whose
#: rows miss the group's printed total.
ReviewItemKind = Literal["budget_sources", "budget_group_total"]

#: How an agency takes part in a task: it leads it (``owner``) or cooperates (``co_owner``).
Role = Literal["owner", "co_owner"]

#: Where a task comes from: the extractor (``machine``) or a reviewer who added one it missed.
Origin = Literal["machine", "reviewer"]
