"""The reviewer panel's keyboard shortcuts, bound in the browser while the focus is inside the panel.

A small anywidget (:class:`Shortcuts`) placed in the panel listens to the page's key presses before
JupyterLab does (on ``window``, capturing) and acts only on those made inside the panel, the element
marked with the class ``vnplan-panel``: JupyterLab's keys work as ever in every other cell.

- Outside a text box (after a click on a button, the queue, the picture, the panel's background):
  ``a`` approve and next, ``r`` reject, ``s`` save, ``n``/``j`` next, ``p``/``k`` previous, ``u`` undo.
  Other plain keys are kept from JupyterLab there (``a`` would insert a cell, ``↓`` move to the next
  one), and do what the browser does with them (``↓`` in the queue chooses the next entry).
- Anywhere in the panel, text boxes too: the same with Alt (Alt+A, Alt+S, …), and Ctrl+S saves.

A key, a click on a button and a choice in a list are preceded by the text of each box edited since
(its ``vnplan-field-NAME`` class and value): ipywidgets holds a box's text back while the kernel is
busy, and would send it after the click, so that Approve would miss the last edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

#: The key (letter) → the action's name, as the panel offers them.
KEYS = {"a": "approve_next", "r": "reject", "s": "save", "n": "next", "j": "next", "p": "previous", "k": "previous",
        "u": "undo"}  # fmt: skip
HINT = "Keys (click in the panel): a approve ▸ next · r reject · s save · n/j next · p/k previous · u undo; Alt+key in a text box, Ctrl+S saves"  # noqa: E501

ESM = """
const TYPING = "textarea, input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit])";

function fieldOf(target) {
  for (let node = target; node && node.classList; node = node.parentElement) {
    const name = [...node.classList].find((c) => c.startsWith("vnplan-field-"));
    if (name) return name.slice("vnplan-field-".length);
  }
  return null;
}

function render({ model, el }) {
  const hint = document.createElement("div");
  hint.className = "vnplan-keys-hint";
  hint.style.cssText = "font-size: 90%; color: #555; margin: 2px 0";
  hint.textContent = model.get("hint");
  el.appendChild(hint);
  const edited = new Map();  // text boxes changed since the kernel was last sent their text: name -> element

  function inPanel(event) {
    const panel = el.closest(".vnplan-panel");
    return panel && event.target instanceof Element && panel.contains(event.target) ? event.target : null;
  }
  function texts() {
    const out = {};
    for (const [name, box] of edited) out[name] = box.value;
    edited.clear();
    return out;
  }
  function onEdit(event) {
    const target = inPanel(event);
    const name = target && target.matches(TYPING) ? fieldOf(target) : null;
    if (name) edited.set(name, target);
  }
  function beforeWidget(event) {  // a button pressed or a list chosen: the kernel gets the edited text first
    const target = inPanel(event);
    if (!target || !edited.size) return;
    if (event.type === "change" ? target.matches("select") : target.closest("button")) {
      model.send({ action: "sync", texts: texts() });
    }
  }
  function focusable(event) {  // a click on the panel's background or text gives the panel the focus
    const target = inPanel(event);
    const panel = target && el.closest(".vnplan-panel");
    if (panel && !panel.hasAttribute("tabindex")) panel.tabIndex = -1;
  }
  function onKey(event) {
    const target = inPanel(event);
    if (!target) return;
    const typing = target.matches(TYPING) || target.isContentEditable;
    const keys = model.get("bindings");
    const letter = event.code && event.code.startsWith("Key") ? event.code.slice(3).toLowerCase() : "";
    let action = null;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && letter === "s") {
      action = "save";
    } else if (event.altKey && !event.ctrlKey && !event.metaKey) {
      action = keys[letter] || null;
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      action = keys[event.key.toLowerCase()] || null;
    }
    if (action) {
      event.preventDefault();
      event.stopPropagation();
      if (typing) onEdit(event);
      model.send({ action, texts: texts() });
    } else if (!typing && !event.ctrlKey && !event.metaKey) {
      event.stopPropagation();  // JupyterLab's command keys (a, b, x, arrows) stay out of the panel
    }
  }
  const listeners = [["keydown", onKey], ["input", onEdit], ["change", onEdit], ["click", beforeWidget],
                     ["change", beforeWidget], ["mousedown", focusable]];
  for (const [type, listener] of listeners) window.addEventListener(type, listener, true);
  return () => { for (const [type, listener] of listeners) window.removeEventListener(type, listener, true); };
}

export default { render };
"""


class Shortcuts(anywidget.AnyWidget):
    """The panel's keys: shows the keys it offers and calls ``on_action(action, texts)`` for each key
    pressed in the panel, and ``on_action("sync", texts)`` before a button or a list takes a click;
    ``texts`` holds the text boxes edited since the last call, by their ``vnplan-field-NAME``."""

    _esm = ESM
    bindings = traitlets.Dict(KEYS).tag(sync=True)
    hint = traitlets.Unicode(HINT).tag(sync=True)

    def __init__(self, on_action: Callable[[str, dict[str, str]], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_action = on_action
        self.on_msg(self._received)

    def press(self, action: str, texts: dict[str, str] | None = None) -> None:
        """Act as if the browser sent this key (what a test or a script uses)."""
        self._handle_custom_msg({"action": action, "texts": texts or {}}, [])

    def _received(self, _widget: object, content: Any, _buffers: list[bytes]) -> None:
        if isinstance(content, dict) and isinstance(content.get("action"), str):
            texts = content.get("texts")
            texts = texts if isinstance(texts, dict) else {}
            self._on_action(content["action"], {str(k): str(v) for k, v in texts.items()})
