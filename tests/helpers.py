"""What several test modules share: the plans they ingest (tests/data/), the tasks they look at in
them, and small readers of a stored database. Fixtures stay in conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from vnplan.models import corrections
from vnplan.models.database import connect
from vnplan.models.schema import TaskRow

DATA = Path(__file__).parent / "data"
NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "review.ipynb"

#: 45/KH-UBND (Hà Giang, 2020): task sections with items, field scopes and addressees, and a table.
TASKS_PLAN = (DATA / "tasks_plan.txt").read_text(encoding="utf-8")
#: Tasks of TASKS_PLAN: the first (it names no owner) and one Sở Nội vụ owns by its lead-in.
TASK = "Rà soát, đơn giản hóa thủ tục hành chính trong Quý II."
OWNED = "Tổ chức điều tra xã hội học đo lường sự hài lòng của người dân đối với dịch vụ công."

#: 12/KH-UBND (Hà Giang, 2019): letterhead, title, legal basis and signature; no tasks.
SHORT_PLAN = (DATA / "short_plan.txt").read_text(encoding="utf-8")
#: SHORT_PLAN with a budget table whose funding sources (100 + 150) miss its total (300).
TABLE_PLAN = (
    SHORT_PLAN
    + """
KẾ HOẠCH HOẠT ĐỘNG VÀ KINH PHÍ

Đơn vị tính: triệu đồng

STT\tNội dung\tTổng kinh phí\tNguồn sự nghiệp\tNguồn ngân sách tỉnh\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian
1\tTập huấn pháp chế\t300\t100\t150\tSở Tư pháp\tSở TT&TT; UBND các huyện, thành phố\tQuý IV/2019
"""
)


def task_id(db_url: str, text: str) -> int | None:
    """The id of the stored task whose text is ``text``."""
    engine = connect(db_url)
    with Session(engine) as s:
        found = s.scalar(select(TaskRow.id).where(TaskRow.text == text))
    engine.dispose()
    return found


def owners_of(db_url: str, text: str) -> list[str]:
    """The owners of the stored task whose text is ``text``."""
    engine = connect(db_url)
    with Session(engine) as s:
        task = s.scalar(select(TaskRow).where(TaskRow.text == text))
        assert task is not None, f"no task {text!r}"
        names = [link.agency.name for link in task.agencies if link.role == "owner"]
    engine.dispose()
    return names


def task_fields(db_url: str, text: str) -> dict[str, Any]:
    """Every field reviewers correct, as stored, of the task whose text is ``text``."""
    engine = connect(db_url)
    with Session(engine) as s:
        task = s.scalar(select(TaskRow).where(TaskRow.text == text))
        assert task is not None, f"no task {text!r}"
        fields = {name: corrections.task_value(task, name) for name in corrections.FIELDS}
    engine.dispose()
    return fields


def red_pixels(image: Image.Image) -> np.ndarray:
    """Where an image is red: the outline drawn around a record's box."""
    pixels = np.asarray(image)
    return (pixels[..., 0] > 180) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
