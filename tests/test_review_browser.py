"""The reviewer notebook in a real browser: JupyterLab served, headless Chromium driven by Selenium,
clicking through choose, edit, approve-and-next (by button and by key), a bad date and a filter, then the
database checked; JupyterLab's own keys still work in another cell.

Skipped, saying why, where Chromium, its driver, Selenium or JupyterLab is absent
(Debian: ``apt-get install chromium chromium-driver``; PyPI: ``pip install selenium 'vnplan[review]'``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import NOTEBOOK, TASK, owners_of, task_fields

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
MISSING = [
    what
    for what, there in (
        ("chromium (apt-get install chromium)", CHROMIUM),
        ("chromedriver (apt-get install chromium-driver)", DRIVER),
        ("selenium (pip install selenium)", importlib.util.find_spec("selenium")),
        ("jupyterlab (pip install 'vnplan[review]')", importlib.util.find_spec("jupyterlab")),
    )
    if not there
]
pytestmark = pytest.mark.skipif(bool(MISSING), reason="no real browser test without " + ", ".join(MISSING))
#: Chromium's flags: no sandbox (containers run as root), nothing fetched or synced in the background.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1600,1200",
)
WAIT = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(plan: tuple[str, Path], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """JupyterLab serving a fresh copy of the notebook on the plan's database: (its URL, the database URL)."""
    db_url, _ = plan
    if not db_url.startswith("sqlite"):
        pytest.skip("the browser test runs once, on SQLite (the panel's tests cover PostgreSQL)")
    folder = tmp_path / "lab"
    folder.mkdir()
    shutil.copyfile(NOTEBOOK, folder / NOTEBOOK.name)
    port, token = free_port(), uuid.uuid4().hex
    env = {**os.environ, "VNPLAN_DB": db_url, "VNPLAN_REVIEWER": "Phạm Thu Hà", "JUPYTER_CONFIG_DIR": str(tmp_path)}
    server = subprocess.Popen(
        [
            *(
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                f"--ServerApp.port={port}",
                "--ServerApp.ip=127.0.0.1",
            ),
            *(f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--allow-root"),
            *(
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "lab.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:])
                time.sleep(0.5)
        yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}", db_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_a_reviewer_in_a_real_browser(lab: tuple[str, str], browser: object, tmp_path: Path) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    try:
        review_in(browser, *lab)
    except (WebDriverException, AssertionError, StopIteration) as exc:
        browser.save_screenshot(str(tmp_path / "browser.png"))
        said = browser.find_elements(By.CSS_SELECTOR, ".vnplan-status")
        status = said[0].text if said else "(no panel)"
        page = browser.find_element(By.TAG_NAME, "body").text[-1500:]
        pytest.fail(f"{type(exc).__name__} {str(exc)[:200]}; the panel said {status!r}; screenshot {tmp_path}; {page}")


def review_in(browser: object, url: str, db_url: str) -> None:
    """Choose, edit, approve and next by button and by key, a bad date, a filter: as a reviewer does,
    checking the database; JupyterLab's keys are kept out of the panel and still work outside it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, WAIT)

    def find(name: str, inner: str = "") -> object:
        return wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, f".vnplan-{name} {inner}".strip())))

    def status_says(words: str) -> None:
        wait.until(lambda _: words in browser.find_element(By.CSS_SELECTOR, ".vnplan-status").text)

    def cells() -> int:
        return browser.execute_script("return document.querySelectorAll('.jp-Notebook .jp-Cell').length")

    def shown() -> str:
        return browser.find_element(By.CSS_SELECTOR, ".vnplan-field-text textarea").get_property("value")

    browser.get(url)
    wait.until(lambda d: d.execute_script("return !!(window.jupyterapp && document.querySelector('.jp-Notebook'))"))
    kernel = "return window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status"
    wait.until(lambda d: d.execute_script(kernel) == "idle")  # cells run before the kernel is up are lost
    count = cells()
    browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    queue = find("queue", "select")
    for no in browser.find_elements(By.XPATH, "//button[normalize-space()='No']"):  # JupyterLab's news question
        no.click()

    def option(words: str) -> object:
        return next(o for o in queue.find_elements(By.TAG_NAME, "option") if words in o.text)

    # choose, edit, approve and next by the button
    option(TASK[:40]).click()
    wait.until(lambda _: TASK in shown())
    button, page = find("approve-next"), find("page")  # the page's column: its picture (none for a text) and text
    assert button.location["y"] < queue.location["y"] + 100  # the buttons are by the queue, not 1,000 px below
    assert page.location["x"] > button.location["x"] and page.location["y"] < queue.location["y"] + 100
    owner = find("owner-new", "input")
    owner.send_keys("so noi vu")
    # ipywidgets sends a box's keystrokes one at a time, a click at once: wait until the kernel has them all
    wait.until(lambda _: "Sở Nội vụ" in browser.find_element(By.CSS_SELECTOR, ".vnplan-suggestions select").text)
    find("owner-add").click()
    wait.until(lambda _: "Sở Nội vụ" in browser.find_element(By.CSS_SELECTOR, ".vnplan-owners select").text)
    end = find("deadline-end", "input")
    end.clear()
    end.send_keys("30/06/2025", Keys.TAB)
    find("approve-next").click()
    status_says("approved")
    wait.until(lambda _: task_fields(db_url, TASK)["review_status"] == "approved")
    fields = task_fields(db_url, TASK)
    assert owners_of(db_url, TASK) == ["Sở Nội vụ"] and fields["deadline"]["end"] == "2025-06-30"
    wait.until(lambda _: TASK not in shown() and shown())
    second = shown()
    find("counts").click()  # nothing typed for the first task reaches the second
    ActionChains(browser).send_keys("s").perform()
    status_says("nothing changed")

    # a bad date, typed in US order, is refused in the panel, in one line
    end = find("deadline-end", "input")
    end.clear()
    end.send_keys("02/31/2025", Keys.TAB)
    status_says("is not a date: write day/month/year")

    # Alt+A in a text box approves and moves on, with what the box shows (not yet sent by ipywidgets)
    end.clear()
    end.send_keys("31/12/2030")
    ActionChains(browser).key_down(Keys.ALT).send_keys("a").key_up(Keys.ALT).perform()
    wait.until(lambda _: task_fields(db_url, second)["review_status"] == "approved")
    assert task_fields(db_url, second)["deadline"]["end"] == "2030-12-31"
    wait.until(lambda _: shown() not in ("", second))
    third = shown()

    # plain keys after a click in the panel (not in a box): s saves, a approves and moves on, p goes back;
    # JupyterLab's own 'a' (insert a cell above) and '↓' (next cell) do not fire
    find("counts").click()
    active = "return window.jupyterapp.shell.currentWidget.content.activeCellIndex"
    cell = browser.execute_script(active)
    ActionChains(browser).send_keys("s").perform()
    status_says("nothing changed")
    ActionChains(browser).send_keys(Keys.ARROW_DOWN, "a").perform()
    wait.until(lambda _: task_fields(db_url, third)["review_status"] == "approved")
    wait.until(lambda _: shown() not in ("", third))
    ActionChains(browser).send_keys("p").perform()
    wait.until(lambda _: shown() == third)
    assert cells() == count and browser.execute_script(active) == cell

    # outside the panel JupyterLab's keys work as ever: 'b' in command mode inserts a cell below the first
    browser.find_element(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell .jp-MarkdownOutput").click()
    ActionChains(browser).send_keys(Keys.ESCAPE, "b").perform()
    wait.until(lambda _: cells() == count + 1)

    # filter the queue: any status, then words without marks; the task approved by key is listed as approved
    Select(find("status-filter", "select")).select_by_visible_text("any")
    search = find("search", "input")
    search.send_keys("kiem tra cong tac", Keys.ENTER)
    wait.until(lambda _: len(queue.find_elements(By.TAG_NAME, "option")) == 1)
    listed = queue.find_elements(By.TAG_NAME, "option")[0].text
    assert "Kiểm tra công tác cải cách hành chính" in listed and listed.startswith("(approved)")
