"""Names a document shortens for itself are stored in the long form it also uses."""

from __future__ import annotations

from vnplan.extractors.local_names import expand_short_names
from vnplan.extractors.scope import own_words
from vnplan.models.records import Task


def test_an_abbreviated_owner_takes_the_long_form_the_document_uses() -> None:
    tasks = [
        Task("Chọn mẫu", owners=["Trung tâm QLCL"], co_owners=["Các khoa"]),
        Task("Tổng hợp", owners=["Trung tâm Quản lý chất lượng"]),
        Task("Ban hành", owners=["Phòng Đào tạo"], co_owners=["Trung tâm QLCL", "Trung tâm Quản lý chất lượng"]),
    ]
    expanded = expand_short_names(tasks)
    assert expanded[0].owners == ["Trung tâm Quản lý chất lượng"]
    assert expanded[0].co_owners == ["Các khoa"]
    assert expanded[2].co_owners == ["Trung tâm Quản lý chất lượng"]  # written both ways: once


def test_an_abbreviation_without_one_long_form_is_left_as_written() -> None:
    tasks = [
        Task("a", owners=["Trung tâm QLCL"]),
        Task("b", owners=["Trung tâm Quản lý công luận", "Trung tâm Quản lý chất lượng"]),
        Task("c", owners=["Sở TTTT"]),
    ]
    expanded = expand_short_names(tasks)
    assert expanded[0].owners == ["Trung tâm QLCL"]  # two names have those initials: no guess
    assert expanded[2].owners == ["Sở TTTT"]


def test_a_unit_named_in_running_text_by_its_abbreviation() -> None:
    assert own_words("Bố trí cán bộ kỹ thuật phối hợp phòng CNTT đảm bảo các điều kiện").co_owners == ["Phòng CNTT"]
    tasks = [Task("a", owners=["Phòng Công nghệ thông tin"]), Task("b", owners=["X"], co_owners=["Phòng CNTT"])]
    assert expand_short_names(tasks)[1].co_owners == ["Phòng Công nghệ thông tin"]
