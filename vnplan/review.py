"""The reviewer's panel: ipywidgets drawing :mod:`vnplan.models.review` (``notebooks/review.ipynb`` shows it).

    from vnplan.review import ReviewPanel
    panel = ReviewPanel("sqlite:///plans.db", reviewer="Nguyễn Thị Lan")
    panel.widget          # display it in a notebook

Three columns: the queue (filters, pages, batch approve) on the left; the action bar, the form
and the history in the middle; the page picture with zoom on the right. Every action goes
through :mod:`vnplan.models.review`, which records each change as a correction; pending edits are
saved before the task is approved, rejected or left. Keys work while the focus is in the panel
(:mod:`vnplan.shortcuts`): a (approve and next), r (reject), s (save), n / j (next), p / k (previous),
u (undo); with Alt in a text box, and Ctrl+S saves.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as w
from PIL import Image
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from vnplan.context_html import context_html
from vnplan.models import review
from vnplan.models.corrections import CorrectionError
from vnplan.models.database import connect, upgrade
from vnplan.models.errors import InputError
from vnplan.page_image import VIEW_DPI, page_image
from vnplan.shortcuts import Shortcuts

RECURRENCES = ["", "monthly", "quarterly", "semiannual", "yearly"]
WIDE = w.Layout(width="98%")


def one_line(exc: BaseException) -> str:
    """An error as the one line the panel shows."""
    if isinstance(exc, SQLAlchemyError):
        cause = getattr(exc, "orig", None) or exc
        first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        return f"the database refused the change, nothing was saved: {first}"
    first = (str(exc).strip().splitlines() or [""])[0]
    return first if isinstance(exc, ValueError | InputError) else f"{type(exc).__name__}: {first}"


class OwnerList:
    """A list of agencies (owners or co-owners): type a name (with or without marks) and pick a
    suggestion or press Add; an unknown name is added only when 'new agency' is ticked. Remove,
    merge or split the chosen ones."""

    def __init__(self, label: str, agencies: review.AgencyIndex, run: Callable[[Callable[[], None]], None]) -> None:
        self.agencies = agencies
        self.confirmed: set[str] = set()
        self.chosen = w.SelectMultiple(options=[], rows=3, description=label, layout=WIDE)
        self.new = w.Text(placeholder="type an agency, e.g. so noi vu", continuous_update=True)
        self.suggestions = w.Select(options=[], rows=3, layout=w.Layout(width="60%"))
        self.is_new = w.Checkbox(value=False, description="new agency", indent=False, layout=w.Layout(width="110px"))
        self.add = w.Button(description="Add", icon="plus", layout=w.Layout(width="70px"))
        self.remove = w.Button(description="Remove chosen")
        self.merge = w.Button(description="Merge chosen into →", tooltip="into the name typed on the left")
        self.split = w.Button(description="Split chosen into →", tooltip="the names typed on the left, ';' between")
        self.parts = w.Text(placeholder="name (merge) or names separated by ; (split)")
        self.new.observe(lambda change: self._suggest(change["new"]), names="value")
        self.suggestions.observe(lambda change: run(lambda: self._picked(change["new"])), names="value")
        self.add.on_click(lambda _: run(lambda: self.append(self.new.value)))
        self.remove.on_click(lambda _: run(lambda: self.set([n for n in self.names if n not in self.chosen.value])))
        self.merge.on_click(lambda _: run(self._merge))
        self.split.on_click(lambda _: run(self._split))
        self.widget = w.VBox(
            [
                self.chosen,
                w.HBox([self.new, self.is_new, self.add, self.remove]),
                self.suggestions,
                w.HBox([self.parts, self.merge, self.split]),
            ]
        )

    @property
    def names(self) -> list[str]:
        """The agencies listed, in order."""
        return list(self.chosen.options)

    def set(self, names: list[str]) -> None:
        """List these agencies (none chosen) and clear what was being typed."""
        self.chosen.value = ()
        self.chosen.options = list(names)
        self.new.value = ""
        self.is_new.value = False

    def append(self, name: str) -> None:
        """Add the agency typed: a known one by its canonical name; an unknown one only when
        'new agency' is ticked (a CorrectionError with suggestions otherwise)."""
        if not name.strip():
            return
        if self.is_new.value:
            self.confirmed.add(name.strip())
        (found,) = self.agencies.check([name], self.confirmed)
        names = self.names if found in self.names else [*self.names, found]
        self.set(names)

    def pending(self) -> bool:
        """A name is typed but not added yet."""
        return bool(self.new.value.strip())

    def _suggest(self, typed: str) -> None:
        self.suggestions.options = self.agencies.suggest(typed) if len(typed.strip()) >= 2 else []

    def _picked(self, name: str | None) -> None:
        if name:
            self.set([*self.names, name] if name not in self.names else self.names)
            self.suggestions.options = []

    def _merge(self) -> None:
        self.set(review.merge_owners(self.names, list(self.chosen.value), self.parts.value))
        self.parts.value = ""

    def _split(self) -> None:
        if len(self.chosen.value) != 1:
            raise CorrectionError("choose the one owner to split")
        self.set(review.split_owner(self.names, self.chosen.value[0], self.parts.value.split(";")))
        self.parts.value = ""


@lru_cache(maxsize=16)
def _picture(source_path: str, page: int, bbox: tuple[float, float, float, float] | None, zoom: int) -> bytes:
    """The page as JPEG, the box outlined; zoomed in, cut to the base view's size around the box."""
    image = page_image(source_path, page, bbox, dpi=VIEW_DPI * zoom)
    if image is None:  # a text file has no page to show
        return b""
    scale = VIEW_DPI * zoom / 72
    if zoom > 1:
        width, height = image.width // zoom, image.height // zoom
        cx, cy = ((bbox[0] + bbox[2]) / 2 * scale, (bbox[1] + bbox[3]) / 2 * scale) if bbox else (width / 2, 0)
        left = min(max(0, int(cx - width / 2)), image.width - width)
        top = min(max(0, int(cy - height / 3)), image.height - height)
        image = image.crop((left, top, left + width, top + height))
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class ReviewPanel:
    """The queue on the left; actions, form and history in the middle; the page picture on the right."""

    def __init__(self, db_url: str, reviewer: str = "", include_reviewed: bool = False) -> None:
        self.engine = connect(db_url)
        upgrade(self.engine)
        self.session = Session(self.engine)
        self.task_id: int | None = None
        self.document_id: int | None = None
        self.page_number: int | None = None
        self.adding = False
        self._shown = review.Form()
        self._undo: list[list[tuple[int, list[int]]]] = []  # per action: (task id, its correction ids)
        self._view: review.TaskView | None = None
        self._warnings: list[str] = []
        self._refreshing = False
        self._page = 0
        agencies = review.AgencyIndex.load(self.session)
        choices = review.filter_choices(self.engine)

        self.reviewer = w.Text(value=reviewer, description="Reviewer", placeholder="your name")
        self.status_filter = w.Dropdown(
            options=choices["status"], value="" if include_reviewed else "unreviewed", description="Status"
        )
        self.document_filter = w.Dropdown(options=choices["document"], value="", description="Document")
        self.province_filter = w.Dropdown(options=choices["province"], value="", description="Province")
        self.reason_filter = w.Dropdown(options=choices["reason"], value="", description="Reason")
        self.owner_filter = w.Text(description="Owner", placeholder="any spelling, e.g. so tai chinh")
        self.search = w.Text(description="Search", placeholder="words of the task, marks or not")
        self.apply = self._button("Filter", "info", self.refresh_queue, "apply the filters (Enter in a box does too)")
        self.refresh = self._button("Refresh", "", self.reload, "read the database again (after a re-ingest)")
        self.queue = w.SelectMultiple(options=[], rows=18, layout=w.Layout(width="100%"))
        self.previous_page = self._button("◀", "", lambda: self.show_page(self._page - 1), "previous page")
        self.next_page = self._button("▶", "", lambda: self.show_page(self._page + 1), "next page")
        self.counts = w.HTML()
        self.approve_selected = self._button("Approve selected", "primary", self.approve_chosen)

        self.keys = Shortcuts(self._on_shortcut)
        self.loading = w.HTML()
        self.status = w.HTML()
        self.note = w.Text(description="Note", placeholder="why (optional)", layout=WIDE)
        self.text = w.Textarea(description="Task", layout=w.Layout(width="98%", height="80px"))
        self.owners = OwnerList("Owners", agencies, self._guarded)
        self.co_owners = OwnerList("Co-owners", agencies, self._guarded)
        self.deadline_raw = w.Text(description="Deadline", placeholder="as printed")
        self.recurrence = w.Dropdown(options=RECURRENCES, description="repeats")
        self.deadline_start = w.Text(description="from", placeholder="dd/mm/yyyy")
        self.deadline_end = w.Text(description="to", placeholder="dd/mm/yyyy")
        self.budget_total = w.Text(description="Budget", placeholder="total, e.g. 1.500")
        self.budget_unit = w.Text(description="unit", placeholder="triệu đồng")
        self.budget_sources = w.Textarea(description="sources", placeholder="one per line: source: amount")
        self.history = w.HTML()

        self.save = self._button("Save", "success", self.save_changes, "save the edits (s)")
        self.approve_next = self._button(
            "Approve ▸ next", "primary", self.approve_and_next, "approve, show the next (a)"
        )
        self.approve = self._button("Approve", "primary", lambda: self.set_status("approved"))
        self.reject = self._button("Reject", "danger", lambda: self.set_status("rejected"), "reject (r)")
        self.unreview = self._button("Unreviewed", "", lambda: self.set_status("unreviewed"), "back to unreviewed")
        self.undo = self._button("Undo", "warning", self.undo_last, "undo the last change made here (u)")
        self.previous = self._button("◀ Prev", "", lambda: self.go(-1), "previous task (p)")
        self.next = self._button("Next ▶", "", lambda: self.go(1), "next task (n)")
        self.new_task = self._button("New task…", "", self.start_new_task, "an empty form on this page")
        self.add_task = self._button("Add task", "", self.add_missed_task, "add the new task typed in the form")
        self.export_path = w.Text(value="approved_tasks.csv", description="Export to")
        self.export = self._button("Export approved", "", self.export_approved)

        self.zoom = w.ToggleButtons(
            options=[("fit", 1), ("2×", 2), ("3×", 3)], value=1, description="Zoom", style={"button_width": "48px"}
        )
        self.picture = w.Image(format="jpeg", layout=w.Layout(width="100%"))
        self.context = w.HTML()

        named = ("queue", "search", "status", "keys", "counts", "deadline_end", "approve_next", "save", "picture")
        for name in (*named, "status_filter"):
            getattr(self, name).add_class(f"vnplan-{name.replace('_', '-')}")  # names for a browser test to find
        self._text_boxes: dict[str, w.Widget] = {
            "reviewer": self.reviewer,
            "owner-filter": self.owner_filter,
            "search": self.search,
            "note": self.note,
            "text": self.text,
            "owners-new": self.owners.new,
            "owners-parts": self.owners.parts,
            "co-owners-new": self.co_owners.new,
            "co-owners-parts": self.co_owners.parts,
            "deadline-raw": self.deadline_raw,
            "deadline-start": self.deadline_start,
            "deadline-end": self.deadline_end,
            "budget-total": self.budget_total,
            "budget-unit": self.budget_unit,
            "budget-sources": self.budget_sources,
            "export-path": self.export_path,
        }
        for name, box in self._text_boxes.items():
            box.add_class(f"vnplan-field-{name}")  # a key pressed in a box is sent with the box's text
            # a box's text goes to the kernel when it is left, not at each keystroke (an agency's name
            # excepted, for its suggestions): ipywidgets holds back a box's later text while its earlier
            # one is on its way, and sends it after a click that may have moved on to the next task
            box.continuous_update = name.endswith("owners-new")
        self.owners.new.add_class("vnplan-owner-new")
        self.owners.add.add_class("vnplan-owner-add")
        self.owners.chosen.add_class("vnplan-owners")
        self.owners.suggestions.add_class("vnplan-suggestions")
        self.queue.observe(self._on_pick, names="value")
        self.zoom.observe(lambda _: self._guarded(self._show_picture), names="value")
        for box in (self.owner_filter, self.search):
            box.observe(lambda _: self._guarded(self.refresh_queue), names="value")
        for dropdown in (self.status_filter, self.document_filter, self.province_filter, self.reason_filter):
            dropdown.observe(lambda _: self._guarded(self.refresh_queue), names="value")
        for box in (self.deadline_start, self.deadline_end, self.budget_total):
            box.observe(lambda _: self._guarded(self._check_form), names="value")
        for box in (self.deadline_raw, self.recurrence, self.deadline_start, self.deadline_end):
            box.layout.width, box.style.description_width = "49%", "64px"
        for box in (self.budget_total, self.budget_unit):
            box.layout.width, box.style.description_width = "49%", "64px"
        self.widget = self._layout()
        self._queue = review.ReviewQueue(self.engine, self.filters())
        self.show_page(0)

    def _button(self, label: str, style: str, action: Any, tip: str = "") -> w.Button:
        button = w.Button(description=label, button_style=style, tooltip=tip or label)
        button.on_click(lambda _: self._guarded(action))
        return button

    def _layout(self) -> w.Widget:
        narrow = w.Layout(width="32%")
        filters = w.VBox(
            [
                self.status_filter,
                self.document_filter,
                self.province_filter,
                self.reason_filter,
                self.owner_filter,
                self.search,
                w.HBox([self.apply, self.refresh]),
            ]
        )
        left = w.VBox(
            [
                self.reviewer,
                filters,
                w.HBox([self.previous_page, self.counts, self.next_page]),
                self.queue,
                self.approve_selected,
                w.HBox([self.export_path, self.export]),
            ],
            layout=narrow,
        )
        actions = w.VBox(
            [
                w.HBox([self.save, self.approve_next, self.approve, self.reject]),
                w.HBox([self.unreview, self.undo, self.previous, self.next]),
                self.keys,
                self.loading,
                self.status,
            ]
        )
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
                w.HBox([self.new_task, self.add_task]),
                w.HTML("<b>History</b>"),
                self.history,
            ]
        )
        middle = w.VBox([actions, fields], layout=w.Layout(width="36%"))
        right = w.VBox([self.zoom, self.picture, w.HTML("<b>Source text</b>"), self.context], layout=narrow)
        right.add_class("vnplan-page")
        panel = w.HBox([left, middle, right])
        panel.add_class("vnplan-panel")  # where the keys work (vnplan.shortcuts)
        return panel

    def _guarded(self, action: Any) -> None:
        """Run an action; any error is shown as one line, the session rolled back, the panel kept working."""
        try:
            action()
        except Exception as exc:  # the panel must survive whatever one action meets
            self.session.rollback()
            self.loading.value = ""
            self._say(one_line(exc), error=True)

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        self.status.value = f'<span style="color:{colour}">{html.escape(message, quote=False)}</span>'

    # the queue

    def filters(self) -> review.QueueFilter:
        """The queue's filters as the boxes now say."""
        return review.QueueFilter(
            status=self.status_filter.value or None,
            document_id=self.document_filter.value or None,
            province=self.province_filter.value or None,
            owner=self.owner_filter.value.strip() or None,
            reason=self.reason_filter.value or None,
            search=self.search.value.strip() or None,
        )

    def refresh_queue(self) -> None:
        """Build the queue again from the filters (reviewed tasks leave an unreviewed queue now)."""
        self._queue = review.ReviewQueue(self.engine, self.filters())
        task_id = self.task_id
        self.show_page(self._queue.page_of(task_id) if task_id is not None and task_id in self._queue else 0)

    def reload(self) -> None:
        """After a re-ingest: the filters' choices, the queue and the task shown, read again."""
        choices = review.filter_choices(self.engine)
        self._refreshing = True
        try:
            self.document_filter.options = choices["document"]
            self.province_filter.options = choices["province"]
        finally:
            self._refreshing = False
        self.session.expire_all()
        self.refresh_queue()
        if self.task_id is not None:
            self.choose(self.task_id)

    def show_page(self, number: int) -> None:
        """List page ``number`` of the queue (from 0), keeping the task shown chosen when it is on it."""
        self._page = min(max(number, 0), self._queue.pages - 1)
        self._draw_page()

    def _draw_page(self) -> None:
        options = self._queue.page(self._page)
        listed = {v for _, v in options}
        self._refreshing = True
        try:
            self.queue.options = options
            self.queue.value = (self.task_id,) if self.task_id in listed else ()
        finally:
            self._refreshing = False
        self.counts.value = (
            f"page {self._page + 1} of {self._queue.pages} · {len(self._queue)} tasks · {self._queue.progress()}"
        )

    def _on_pick(self, change: dict) -> None:
        if self._refreshing:
            return
        chosen = change["new"]
        if len(chosen) == 1 and chosen[0] != self.task_id:
            self._guarded(lambda: self._pick(chosen[0]))
        elif len(chosen) > 1:
            self._say(f"{len(chosen)} tasks selected: Approve selected approves them all")

    def _pick(self, task_id: int) -> None:
        try:
            self.move_to(task_id)
        except Exception:
            self._draw_page()  # the task shown stays chosen
            raise

    def _on_shortcut(self, action: str, texts: dict[str, str]) -> None:
        """A key pressed in the panel, or a click about to arrive ("sync"): the text boxes take the text
        they showed in the browser, then the action runs."""
        actions = {
            "sync": lambda: None,
            "approve_next": self.approve_and_next,
            "reject": lambda: self.set_status("rejected"),
            "save": self.save_changes,
            "next": lambda: self.go(1),
            "previous": lambda: self.go(-1),
            "undo": self.undo_last,
        }
        for name, value in texts.items():
            box = self._text_boxes.get(name)
            if box is not None and box.value != value:
                box.value = value
        if action in actions:
            self._guarded(actions[action])
        else:
            self._say(f"no action {action!r} for a key", error=True)

    def go(self, step: int) -> None:
        """Show the task ``step`` places on in the queue, saving pending edits first."""
        target = self._queue.neighbour(self.task_id, step)
        if target is None:
            self._say("the end of the queue" if step > 0 else "the start of the queue")
            return
        self.move_to(target)

    def move_to(self, task_id: int) -> None:
        """Leave the task shown (its pending edits saved first; on a refusal it stays) and show ``task_id``."""
        saved = self._save_pending()
        self.choose(task_id)
        if saved:
            self._say(f"saved {saved} change(s) to the task left, before moving on")

    def choose(self, task_id: int) -> None:
        """Show a task: its page with the task's box outlined, the text around it, fields and history."""
        self.loading.value = f"<i>⏳ loading task {task_id}…</i>"
        self.session.expire_all()
        try:
            view = review.task_view(self.session, task_id)
        except CorrectionError:
            self.task_id, self._view = None, None
            self._fill(review.Form())
            self.picture.value, self.context.value, self.history.value = b"", "", ""
            self.loading.value = ""
            raise
        self.adding = False
        self.task_id, self.document_id, self.page_number = view.task_id, view.document_id, view.page
        self._view = view
        self._fill(review.form_of(view.fields))
        self.context.value = context_html(view.context)
        self._show_history(view.history)
        self.status.value = ""
        if task_id in self._queue and self._queue.page_of(task_id) != self._page:
            self._page = self._queue.page_of(task_id)
        self._draw_page()
        try:
            self._show_picture()
        finally:
            self.loading.value = ""

    def _show_history(self, history: list) -> None:
        table = review.history_table(history)
        self.history.value = (
            "<i>no corrections yet</i>" if table.empty else table.to_html(index=False, border=0, classes="history")
        )

    def _show_picture(self) -> None:
        self.picture.value = b""
        view = self._view
        if self.task_id is not None and self.page_number is not None and view is not None:
            try:
                self.picture.value = _picture(view.source_path, self.page_number, view.bbox, self.zoom.value)
            except InputError as exc:
                self._say(str(exc), error=True)
        self.picture.layout.display = None if self.picture.value else "none"  # no broken-image icon

    def _fill(self, form: review.Form) -> None:
        self._shown = form
        self.text.value = form.text
        self.owners.set(form.owners)
        self.co_owners.set(form.co_owners)
        self.deadline_raw.value = form.deadline_raw
        self.deadline_start.value = form.deadline_start
        self.deadline_end.value = form.deadline_end
        self.recurrence.value = form.recurrence
        self.budget_total.value = form.budget_total
        self.budget_unit.value = form.budget_unit
        self.budget_sources.value = form.budget_sources

    # what the form says

    def form(self, add_typed: bool = True) -> review.Form:
        """The form as typed; an owner typed but not added yet is added first (unless ``add_typed`` is False)."""
        for owners in (self.owners, self.co_owners):
            if add_typed and owners.pending():
                owners.append(owners.new.value)
        return review.Form(
            text=self.text.value,
            owners=self.owners.names,
            co_owners=self.co_owners.names,
            deadline_raw=self.deadline_raw.value,
            deadline_start=self.deadline_start.value,
            deadline_end=self.deadline_end.value,
            recurrence=self.recurrence.value,
            budget_total=self.budget_total.value,
            budget_unit=self.budget_unit.value,
            budget_sources=self.budget_sources.value,
        )

    def _check_form(self) -> None:
        _, warnings = review.read_form(self.form(add_typed=False))
        if warnings:
            self._say("; ".join(warnings), error=True)

    # the buttons

    def _reviewer(self) -> str:
        if not self.reviewer.value.strip():
            raise CorrectionError("type your name in Reviewer first: every change records who made it")
        return self.reviewer.value.strip()

    def _chosen(self) -> int:
        if self.adding:
            raise CorrectionError("press Add task for the new task first, or choose a task in the queue")
        if self.task_id is None:
            raise CorrectionError("choose a task in the queue first")
        return self.task_id

    def _note(self) -> str | None:
        return self.note.value.strip() or None

    def _save_pending(self, status: str | None = None) -> int:
        """Save the form's edits (and ``status``) to the task shown; how many corrections were made."""
        if self.adding:
            if self.text.value.strip():
                raise CorrectionError("press Add task for the new task typed, or clear its text, before moving on")
            self.adding = False
            return 0
        if self.task_id is None:
            return 0
        form = self.form()
        if form == self._shown and status is None:
            return 0
        values, warnings = review.read_form(form)
        self._warnings = warnings
        made = review.save_fields(self.session, self.task_id, values, self._reviewer(), self._note(), status=status)
        if made:
            self._undo.append([(self.task_id, [c.id for c in made])])
            self.note.value = ""
        for name in (*values["owners"], *values["co_owners"]):
            self.owners.agencies.add(name)  # one index, shared by both lists
        self._shown = form
        self._queue.update([self.task_id])
        return len(made)

    def save_changes(self) -> None:
        """Record every field the reviewer changed as a correction."""
        self._chosen()
        self._warnings = []
        made = self._save_pending()
        self._after(
            self.task_id, "; ".join([f"saved {made} change(s)" if made else "nothing changed", *self._warnings])
        )

    def set_status(self, status: str) -> None:
        """Approve, reject or return to unreviewed the task shown, its pending edits saved first."""
        task_id = self._chosen()
        self._warnings = []
        self._save_pending(status)
        self._after(task_id, "; ".join([f"task {status}", *self._warnings]))

    def approve_and_next(self) -> None:
        """Approve the task shown (pending edits saved first) and show the next in the queue."""
        task_id = self._chosen()
        self._warnings = []
        self._save_pending("approved")
        said = "; ".join([f"task {task_id} approved", *self._warnings])
        target = self._queue.neighbour(task_id, 1)
        if target is None:
            self._after(task_id, said + ": the end of the queue")
            return
        self.choose(target)
        self._say(said)

    def approve_chosen(self) -> None:
        """Approve every task selected in the queue (the one shown with its pending edits saved first)."""
        chosen = list(self.queue.value)
        if not chosen:
            raise CorrectionError("select tasks in the queue first (Shift or Ctrl click)")
        if self.task_id in chosen:
            self._save_pending()
        made = review.set_status_many(self.session, chosen, "approved", self._reviewer(), self._note())
        if made:
            self._undo.append([(task_id, [c.id]) for task_id, c in made.items()])
        self._queue.update(chosen)
        self._draw_page()
        if self.task_id is not None and self.task_id in chosen:
            self.choose(self.task_id)
        self._say(f"approved {len(made)} task(s)")

    def undo_last(self) -> None:
        """Undo the last change made in this panel (a save, an approval, a rejection, a batch approval)."""
        if not self._undo:
            raise CorrectionError("nothing to undo in this panel")
        changes = self._undo[-1]
        made = review.undo(self.session, changes, self._reviewer())
        self._undo.pop()
        tasks = [task_id for task_id, _ in changes]
        self._queue.update(tasks)
        shown = self.task_id if self.task_id in tasks else tasks[-1]
        said = f"task {tasks[0]}" if len(tasks) == 1 else f"{len(tasks)} tasks"
        self._after(shown, f"undid {len(made)} change(s) to {said}")

    def start_new_task(self) -> None:
        """An empty form for a task the extractor missed, on the page shown."""
        if self.document_id is None:
            raise CorrectionError("choose a task of the document (and page) the missed task belongs to")
        self._save_pending()
        self.adding = True
        self._fill(review.Form())
        self.history.value = ""
        page = f"page {self.page_number}" if self.page_number else "no page"
        number = self._view.document_number if self._view else None
        self._say(f"new task in document {number or self.document_id}, {page}: type it, then Add")

    def add_missed_task(self) -> None:
        """Add the form's fields as a task the extractor missed, on the page shown."""
        if not self.adding:
            self.start_new_task()
            return
        values, warnings = review.read_form(self.form())
        values["page"] = self.page_number
        if self.document_id is None:  # the form is open only on a document's task
            raise CorrectionError("choose a task of the document (and page) the missed task belongs to")
        task = review.add_missed_task(self.session, self.document_id, values, self._reviewer(), self._note())
        self.adding = False
        self._after(task.id, "; ".join(["task added", *warnings]))

    def export_approved(self) -> None:
        """Write the approved tasks to the file named in Export to (.csv or .json)."""
        path = Path(self.export_path.value.strip())
        count = review.export_approved(self.engine, path)
        self._say(f"wrote {count} approved task(s) to {path.resolve()}")

    def _after(self, task_id: int | None, message: str) -> None:
        self.note.value = ""
        self._draw_page()
        if task_id is not None:
            self.choose(task_id)
        self._say(message)

    def close(self) -> None:
        """Close the database session."""
        self.session.close()
        self.engine.dispose()
