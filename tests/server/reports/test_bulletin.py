"""督查通报: its exact text on the hand-made week, and its formats over HTTP."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from server.reports.bulletin import build_bulletin, problem_text, render_markdown, render_text
from tests.server.reports.conftest import NOW, WEEK
from tests.server.reports.helpers import user

ISSUER = "衡阳市创建全国文明城市工作指挥部办公室"


@pytest.mark.usefixtures("week")
def test_bulletin_text_of_the_week() -> None:
    bulletin = build_bulletin(user("supervisor"), WEEK, NOW, issuer=ISSUER)
    # Found in the week, by community (org tree order), cancelled H and never-dispatched I left out.
    # 金源: F (re-dispatched here after 金龙's dispute; closed), K (due 03-10: not overdue on 03-09).
    # 祥瑞: J (closed; its trailing 。 is not doubled).
    # 金龙: A B C D E in the order found; closed A B; overdue E.
    assert render_text(bulletin) == (
        "督查通报\n"
        "（2026-03-02 至 2026-03-08）\n"
        "\n"
        "金源社区：存在的问题有：松枫路垃圾池暴露垃圾；金源小区宣传栏广告乱贴乱画。\n"
        "发现问题 2 个，已整改 1 个，逾期 0 个。\n"
        "\n"
        "祥瑞社区：存在的问题有：祥瑞小区B3栋楼梯口有一处堆物。\n"
        "发现问题 1 个，已整改 1 个，逾期 0 个。\n"
        "\n"
        "金龙社区：存在的问题有：金龙小区11栋前坪有废弃物一堆；金龙小区11栋楼道存有堆物；"
        "金龙小区7栋居民花坛随意种菜；金龙小区7栋违规搭棚3处；棕榈园B3栋楼梯口有一处堆物。\n"
        "发现问题 5 个，已整改 2 个，逾期 1 个。\n"
        "\n"
        "请各社区对照上述问题，在整改时限内整改到位，并通过巡查系统提交整改情况；"
        "市创建办将组织复查，复查结果纳入同台PK考评。\n"
        "\n"
        "衡阳市创建全国文明城市工作指挥部办公室\n"
        "2026年3月10日\n"
    )


@pytest.mark.usefixtures("week")
def test_bulletin_markdown_and_one_community() -> None:
    jinlong = build_bulletin(user("street_baishazhou"), WEEK, NOW, issuer=ISSUER)
    text = render_markdown(jinlong)
    assert text.startswith("# 督查通报\n\n（2026-03-02 至 2026-03-08）\n\n**金龙社区**：存在的问题有：金龙小区11栋前坪")
    assert "发现问题 5 个，已整改 2 个，逾期 1 个。" in text
    assert "金源" not in text
    assert "祥瑞" not in text


def test_an_empty_period_says_so(app: Any) -> None:
    text = render_text(build_bulletin(user("supervisor"), WEEK, NOW, issuer=ISSUER))
    assert "本期督查未发现问题。" in text


@pytest.mark.parametrize(
    ("location", "description", "expected"),
    [
        ("金龙小区11栋前坪", "有废弃物一堆", "金龙小区11栋前坪有废弃物一堆"),
        ("棕榈园三期南门", "棕榈园三期南门早餐店私自搭棚，污水外溢。", "棕榈园三期南门早餐店私自搭棚，污水外溢"),
        ("", "签到表填写不规范；", "签到表填写不规范"),
    ],
)
def test_problem_text(location: str, description: str, expected: str) -> None:
    assert problem_text(location, description) == expected


@pytest.mark.parametrize(
    ("fmt", "mimetype", "extension"),
    [
        ("txt", "text/plain; charset=utf-8", "txt"),
        ("md", "text/markdown; charset=utf-8", "md"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
    ],
)
def test_bulletin_over_http(supervisor: Any, fmt: str, mimetype: str, extension: str) -> None:
    response = supervisor.get(f"/api/v1/exports/bulletin?from=2026-03-02&to=2026-03-08&format={fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mimetype
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''%E7%9D%A3%E6%9F%A5%E9%80%9A%E6%8A%A5_20260302-20260308." + extension in disposition
    if fmt == "docx":
        paragraphs = [p.text for p in Document(io.BytesIO(response.data)).paragraphs]
        assert paragraphs[:2] == ["督查通报", "（2026-03-02 至 2026-03-08）"]
    else:
        assert "督查通报" in response.data.decode()


def test_bulletin_refuses_bad_arguments(supervisor: Any) -> None:
    assert supervisor.get("/api/v1/exports/bulletin?format=pdf").status_code == 422
    assert supervisor.get("/api/v1/exports/bulletin?from=2026-03-08&to=2026-03-01").status_code == 422
    assert supervisor.raw.application.test_client().get("/api/v1/exports/bulletin").status_code == 401
