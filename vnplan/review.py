"""The reviewer's panel: ipywidgets wired to :mod:`models.review` (``notebooks/review.ipynb`` shows it).

    from vnplan.review import ReviewPanel
    panel = ReviewPanel("sqlite:///plans.db", reviewer="Nguyễn Thị Lan")
    panel.widget          # display it in a notebook

Every button goes through :mod:`models.review`, which records each change as a correction.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
from sqlalchemy.orm import Session

from models import review
from models.corrections import CorrectionError
from models.database import connect, upgrade
from normalizers.dates import from_iso, iso_text
from normalizers.numbers import parse_number
from pipeline.errors import InputError
from pipeline.page_image import page_image, png_bytes

RECURRENCES = ["", "monthly", "quarterly", "semiannual", "yearly"]
#: The queue lists this many tasks at a time (the most doubtful); the next come as these are reviewed.
QUEUE_LENGTH = 300
WIDE = w.Layout(width="98%")


class OwnerList:
    """A list of agencies (owners or co-owners): pick from the canonical list or type a new name;
    remove, merge or split the chosen ones."""

    def __init__(self, label: str, agencies: list[str], run: Callable[[Callable[[], None]], None]) -> None:
        self.chosen = w.SelectMultiple(options=[], rows=4, description=label, layout=WIDE)
        self.new = w.Combobox(options=agencies, placeholder="pick or type an agency", ensure_option=False)
        self.add = w.Button(description="Add", icon="plus")
        self.remove = w.Button(description="Remove chosen")
        self.merge = w.Button(description="Merge chosen into →", tooltip="into the name typed on the left")
        self.split = w.Button(description="Split chosen into →", tooltip="the names typed on the left, ';' between")
        self.parts = w.Text(placeholder="name (merge) or names separated by ; (split)")
        self.add.on_click(lambda _: run(lambda: self.append(self.new.value)))
        self.remove.on_click(lambda _: run(lambda: self.set([n for n in self.names if n not in self.chosen.value])))
        self.merge.on_click(lambda _: run(self._merge))
        self.split.on_click(lambda _: run(self._split))
        self.widget = w.VBox(
            [self.chosen, w.HBox([self.new, self.add, self.remove]), w.HBox([self.parts, self.merge, self.split])]
        )

    @property
    def names(self) -> list[str]:
        """The agencies listed, in order."""
        return list(self.chosen.options)

    def set(self, names: list[str]) -> None:
        """List these agencies (none chosen)."""
        self.chosen.value = ()
        self.chosen.options = list(names)

    def append(self, name: str) -> None:
        """Add an agency typed or picked (its canonical name is stored on save)."""
        if name.strip() and name.strip() not in self.names:
            self.set([*self.names, name.strip()])
        self.new.value = ""

    def _merge(self) -> None:
        self.set(review.merge_owners(self.names, list(self.chosen.value), self.parts.value))
        self.parts.value = ""

    def _split(self) -> None:
        if len(self.chosen.value) != 1:
            raise CorrectionError("choose the one owner to split")
        self.set(review.split_owner(self.names, self.chosen.value[0], self.parts.value.split(";")))
        self.parts.value = ""


class ReviewPanel:
    """The queue on the left; the chosen task's page, context, fields and history on the right."""

    def __init__(self, db_url: str, reviewer: str = "", include_reviewed: bool = False) -> None:
        self.engine = connect(db_url)
        upgrade(self.engine)
        self.session = Session(self.engine)
        self.task_id: int | None = None
        self._refreshing = False
        self.document_id: int | None = None
        agencies = review.agency_names(self.session)

        self.reviewer = w.Text(value=reviewer, description="Reviewer", placeholder="your name")
        self.note = w.Text(description="Note", placeholder="why (optional)", layout=WIDE)
        self.include_reviewed = w.Checkbox(value=include_reviewed, description="show reviewed tasks too")
        self.queue = w.Select(options=[], rows=18, layout=w.Layout(width="100%"))
        self.status = w.HTML()
        self.page = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.context = w.HTML()
        self.history = w.HTML()

        self.text = w.Textarea(description="Task", layout=w.Layout(width="98%", height="90px"))
        self.owners = OwnerList("Owners", agencies, self._guarded)
        self.co_owners = OwnerList("Co-owners", agencies, self._guarded)
        self.deadline_raw = w.Text(description="Deadline", placeholder="as printed")
        self.deadline_start = w.DatePicker(description="from")
        self.deadline_end = w.DatePicker(description="to")
        self.recurrence = w.Dropdown(options=RECURRENCES, description="repeats")
        self.budget_total = w.Text(description="Budget", placeholder="total, e.g. 1.500")
        self.budget_unit = w.Text(description="unit", placeholder="triệu đồng")
        self.budget_sources = w.Textarea(description="sources", placeholder="one per line: source: amount")

        self.save = self._button("Save changes", "success", self.save_changes)
        self.approve = self._button("Approve", "primary", lambda: self.set_status("approved"))
        self.reject = self._button("Reject", "danger", lambda: self.set_status("rejected"))
        self.add_task = self._button("Add as a new task", "", self.add_missed_task)
        self.export_path = w.Text(value="approved_tasks.csv", description="Export to")
        self.export = self._button("Export approved", "", self.export_approved)

        self.queue.observe(self._on_pick, names="value")
        self.include_reviewed.observe(lambda _: self.refresh_queue(), names="value")
        self.widget = self._layout()
        self.refresh_queue()

    def _button(self, label: str, style: str, action: Any) -> w.Button:
        button = w.Button(description=label, button_style=style)
        button.on_click(lambda _: self._guarded(action))
        return button

    def _layout(self) -> w.Widget:
        fields = w.VBox(
            [
                self.text,
                self.owners.widget,
                self.co_owners.widget,
                w.HBox([self.deadline_raw, self.recurrence]),
                w.HBox([self.deadline_start, self.deadline_end]),
                w.HBox([self.budget_total, self.budget_unit]),
                self.budget_sources,
                self.note,
                w.HBox([self.save, self.approve, self.reject, self.add_task]),
                self.status,
                w.HTML("<b>History</b>"),
                self.history,
            ]
        )
        record = w.VBox([self.page, w.HTML("<b>Source text</b>"), self.context, fields], layout=w.Layout(width="64%"))
        left = w.VBox(
            [self.reviewer, self.include_reviewed, self.queue, w.HBox([self.export_path, self.export])],
            layout=w.Layout(width="36%"),
        )
        return w.HBox([left, record])

    def _guarded(self, action: Any) -> None:
        """Run a button's action; a refused change is shown to the reviewer and nothing is half-saved."""
        try:
            action()
        except (CorrectionError, InputError, ValueError) as exc:
            self.session.rollback()
            self._say(str(exc), error=True)

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        self.status.value = f'<span style="color:{colour}">{html.escape(message)}</span>'

    # the queue

    def refresh_queue(self) -> None:
        """Reload the queue, keeping the chosen task chosen when it is still listed."""
        queue = review.review_queue(self.engine, include_reviewed=self.include_reviewed.value, limit=QUEUE_LENGTH)
        options = [(_queue_label(row), int(row.task_id)) for row in queue.itertuples()]
        self._refreshing = True
        try:
            self.queue.options = options
            self.queue.value = self.task_id if self.task_id in {v for _, v in options} else None
        finally:
            self._refreshing = False

    def _on_pick(self, change: dict) -> None:
        if change["new"] is not None and not self._refreshing:
            self._guarded(lambda: self.choose(change["new"]))

    def choose(self, task_id: int) -> None:
        """Show a task: its page with the task's box outlined, the text around it, fields and history."""
        self.session.expire_all()
        view = review.task_view(self.session, task_id)
        self.task_id, self.document_id = view.task_id, view.document_id
        self._fill(view.fields)
        self.context.value = "<br>".join(line.as_html() for line in view.context) or "<i>no source text kept</i>"
        self.history.value = _history_html(view.history)
        self.status.value = ""
        self.page.value = b""
        if view.page is not None:
            try:
                image = page_image(view.source_path, view.page, view.bbox)
            except InputError as exc:
                self._say(str(exc), error=True)
            else:
                self.page.value = png_bytes(image) if image is not None else b""

    def _fill(self, fields: dict[str, Any]) -> None:
        self.text.value = fields["text"] or ""
        self.owners.set(fields["owners"])
        self.co_owners.set(fields["co_owners"])
        deadline = fields["deadline"] or {}
        self.deadline_raw.value = deadline.get("raw") or ""
        self.deadline_start.value = from_iso(deadline.get("start"))
        self.deadline_end.value = from_iso(deadline.get("end"))
        self.recurrence.value = deadline.get("recurrence") or ""
        budget = fields["budget"] or {}
        total = budget.get("total")
        self.budget_total.value = "" if total is None else _number(total)
        self.budget_unit.value = budget.get("unit") or ""
        self.budget_sources.value = "\n".join(f"{s}: {_number(a)}" for s, a in (budget.get("sources") or {}).items())

    # what the form says

    def form_values(self) -> dict[str, Any]:
        """The fields as the form now has them, in the shape corrections store."""
        deadline = None
        if self.deadline_raw.value.strip() or self.deadline_start.value or self.deadline_end.value:
            deadline = {
                "raw": self.deadline_raw.value.strip(),
                "start": iso_text(self.deadline_start.value),
                "end": iso_text(self.deadline_end.value),
                "recurrence": self.recurrence.value or None,
            }
        sources = dict(_source_line(line) for line in self.budget_sources.value.splitlines() if line.strip())
        budget = None
        if self.budget_total.value.strip() or sources:
            budget = {
                "total": _amount(self.budget_total.value) if self.budget_total.value.strip() else None,
                "unit": self.budget_unit.value.strip() or None,
                "sources": sources,
            }
        return {
            "text": self.text.value.strip(),
            "owners": self.owners.names,
            "co_owners": self.co_owners.names,
            "deadline": deadline,
            "budget": budget,
        }

    # the buttons

    def _reviewer(self) -> str:
        if not self.reviewer.value.strip():
            raise CorrectionError("type your name in Reviewer first: every change records who made it")
        return self.reviewer.value.strip()

    def _chosen(self) -> int:
        if self.task_id is None:
            raise CorrectionError("choose a task in the queue first")
        return self.task_id

    def save_changes(self) -> None:
        """Record every field the reviewer changed as a correction."""
        made = review.save_fields(self.session, self._chosen(), self.form_values(), self._reviewer(), self._note())
        self._after(f"saved {len(made)} change(s)" if made else "nothing changed")

    def set_status(self, status: str) -> None:
        """Approve or reject the chosen task."""
        review.set_status(self.session, self._chosen(), status, self._reviewer(), self._note())
        self._after(f"task {status}")

    def add_missed_task(self) -> None:
        """Add the form's fields as a task the extractor missed, in the chosen task's document."""
        if self.document_id is None:
            raise CorrectionError("choose a task of the document the missed task belongs to")
        task = review.add_missed_task(
            self.session, self.document_id, self.form_values(), self._reviewer(), self._note()
        )
        self.task_id = task.id
        self._after("task added")

    def export_approved(self) -> None:
        """Write the approved tasks to the file named in Export to (.csv or .json)."""
        path = Path(self.export_path.value.strip())
        count = review.export_approved(self.engine, path)
        self._say(f"wrote {count} approved task(s) to {path.resolve()}")

    def _note(self) -> str | None:
        return self.note.value.strip() or None

    def _after(self, message: str) -> None:
        chosen = self.task_id
        self.note.value = ""
        self.refresh_queue()
        if chosen is not None:
            self.choose(chosen)
        self._say(message)

    def close(self) -> None:
        """Close the database session."""
        self.session.close()
        self.engine.dispose()


def _queue_label(row: Any) -> str:
    words = " ".join(str(row.text).split())
    flag = f"[{row.reasons}] " if row.reasons else ""
    status = "" if row.review_status == "unreviewed" else f"({row.review_status}) "
    return f"{status}{flag}{row.document_number or row.source_name} {row.code or ''}: {words[:70]}"


def _history_html(history: list) -> str:
    if not history:
        return "<i>no corrections yet</i>"
    rows = "".join(
        f"<tr><td>{c.made_at:%Y-%m-%d %H:%M}</td><td>{html.escape(c.reviewer)}</td><td>{c.field}</td>"
        f"<td>{html.escape(_short(c.old_value))} → {html.escape(_short(c.new_value))}</td>"
        f"<td>{html.escape(c.note or '')}</td><td>{c.status}</td></tr>"
        for c in history
    )
    head = "<tr><th>when</th><th>who</th><th>field</th><th>old → new</th><th>note</th><th>status</th></tr>"
    return f"<table>{head}{rows}</table>"


def _short(value: Any, width: int = 80) -> str:
    shown = "—" if value in (None, [], {}) else str(value)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def _number(value: float) -> str:
    """An amount as the form shows it: no thousands dots, a decimal comma (as parse_number reads it)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value)).replace(".", ",")


def _amount(value: str) -> float:
    amount = parse_number(value)
    if amount is None:
        raise CorrectionError(f"not an amount: {value!r} (write it as printed, e.g. 1.500 or 61,42)")
    return amount


def _source_line(line: str) -> tuple[str, float]:
    source, colon, amount = line.rpartition(":")
    if not colon or not source.strip():
        raise CorrectionError(f"write each funding source as 'source: amount', not {line!r}")
    return source.strip(), _amount(amount)
