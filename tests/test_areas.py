"""The 责任体系 (issue 29): importing the areas, areas partitioning the city, the area ranking and
the 片区与网格 page, on worlds built here whose every figure is counted by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.importer import import_files
from cockpit.settings import load_settings
from tests.test_import import table, write_csv, write_xlsx

SETTINGS = load_settings(Path(__file__).resolve().parent.parent / "settings.toml")
HEADERS = ["片区", "包抓领导", "包抓部门", "区县", "街道", "社区", "网格", "网格长", "楼院长"]


def _import(paths, store):
    return import_files(paths, db_directory=store, settings=SETTINGS)


# ---- importing -----------------------------------------------------------------------------

def test_areas_import_from_gbk_csv_with_header_variants(tmp_path):
    store = tmp_path / "db"
    headers = ["责任片区", "联片领导", "责任部门", "所属区县", "乡镇", "村(社区)", "网格", "网格长", "楼院长"]
    path = write_csv(tmp_path / "包抓责任表.csv", headers, [
        ["第一片区", "王明", "区城管局、区住建局", "广陵区", "东关街道", "", "", "", ""],
        ["第一片区", "", "", "广陵区", "汶河街道", "汶河社区", "汶河一网格", "赵敏", "孙丽"],
        ["第二片区", "李强", "区交通局", "广陵区", "汶河街道", "文昌社区", "", "", ""],
    ], encoding="gbk")
    result = _import([path], store)
    assert [o.status for o in result.outcomes] == ["imported"]
    assert result.outcomes[0].prepared.dataset == "responsibility"
    # the blank leader and departments of the second row are its area's (merged cells leave them blank)
    assert table(store, "select area, leader, departments, street, community, grid, grid_chief, building_chief "
                        "from responsibility order by all") == [
        ("第一片区", "王明", "区城管局、区住建局", "东关街道", None, None, None, None),
        ("第一片区", "王明", "区城管局、区住建局", "汶河街道", "汶河社区", "汶河一网格", "赵敏", "孙丽"),
        ("第二片区", "李强", "区交通局", "汶河街道", "文昌社区", None, None, None),
    ]


def test_a_place_in_two_areas_is_a_row_error_naming_both(tmp_path):
    store = tmp_path / "db"
    path = write_xlsx(tmp_path / "责任体系.xlsx", HEADERS, [
        ["第一片区", "王明", "区城管局", "广陵区", "东关街道", "", "", "", ""],          # row 2
        ["第二片区", "李强", "区交通局", "广陵区", "汶河街道", "汶河社区", "", "", ""],  # row 3
        ["第三片区", "张华", "区教育局", "广陵区", "东关街道", "", "", "", ""],          # row 4: street again
        ["第一片区", "王明", "区城管局", "广陵区", "汶河街道", "汶河社区", "", "", ""],  # row 5: community again
        ["第三片区", "张华", "区教育局", "广陵区", "东关街道", "东关社区", "", "", ""],  # row 6: inside row 2's street
        ["第一片区", "王明", "区城管局", "广陵区", "东关街道", "", "", "", ""],          # row 7: repeats row 2
        ["第二片区", "李强", "区交通局", "广陵区", "汶河街道", "文昌社区", "", "", ""],  # row 8
        *[["第四片区", "刘洋", "区卫健委", "邗江区", f"第{n}街道", "", "", "", ""] for n in range(1, 21)],  # rows 9-28
    ])
    result = _import([path], store)
    assert result.outcomes[0].status == "imported"
    assert table(store, "select row_number, column_name, cell_value, reason from import_rejects order by 1") == [
        (4, "街道", "东关街道", "街道“东关街道”已在第 2 行划入片区“第一片区”，本行又划入片区“第三片区”：一个地方只能属于一个片区"),
        (5, "社区", "汶河社区", "社区“汶河社区”已在第 3 行划入片区“第二片区”，本行又划入片区“第一片区”：一个地方只能属于一个片区"),
        (6, "社区", "东关社区", "街道“东关街道”已在第 2 行整体划入片区“第一片区”，本行又把其中的社区“东关社区”划入片区“第三片区”"
                                "：一个地方只能属于一个片区"),
        (7, "街道", "东关街道", "与第 2 行重复，只保留第一行"),
    ]
    assert table(store, "select area, street, community from responsibility where area <> '第四片区' order by all") == [
        ("第一片区", "东关街道", None), ("第二片区", "汶河街道", "文昌社区"), ("第二片区", "汶河街道", "汶河社区")]


def test_a_new_list_replaces_the_last(tmp_path):
    store = tmp_path / "db"
    first = write_csv(tmp_path / "责任体系_20260601.csv", HEADERS, [["第一片区", "王明", "", "", "东关街道", "", "", "", ""]])
    second = write_csv(tmp_path / "责任体系_20260608.csv", HEADERS, [["第二片区", "李强", "", "", "东关街道", "", "", "", ""]])
    _import([first], store)
    _import([second], store)
    assert table(store, "select area, leader, street from responsibility") == [("第二片区", "李强", "东关街道")]
