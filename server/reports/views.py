"""HTTP handlers for rankings and documents: parse, check, call stats/documents, serialize."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, jsonify, send_file

from server.auth.session import require_user
from server.db import utcnow
from server.reports import bp
from server.reports.operations import (
    Document,
    bulletin_document,
    export_issue_list,
    notice_for_issue,
    notices_for_community,
)
from server.reports.periods import period_from_args
from server.reports.schemas import (
    BulletinArgsSchema,
    ExcelArgsSchema,
    LeagueSchema,
    NoticesArgsSchema,
    PeriodArgsSchema,
    TrendArgsSchema,
    dump_trend,
)
from server.reports.stats import League, community_league, street_league, weekly_trend
from server.schemas import load_args


@bp.get("/stats/communities")
def community_stats() -> Response:
    """The community league table (同台PK).
    ---
    get:
      summary: Per community found, rectified, closed, 整改率, 按期整改率, 返工率, overdue, median hours, rank
      description: >
        Every figure is replayed from the event log; the exact definitions are in
        server/reports/stats.py. from/to are local dates (both included); the
        default is the last 7 days. previous_rank is the rank in the period of the
        same length just before.
      parameters:
        - in: query
          schema: PeriodArgsSchema
      responses:
        200:
          content:
            application/json:
              schema: LeagueSchema
        401: {description: not logged in}
        422: {description: invalid dates, from after to, or more than 366 days}
    """
    return _league(community_league)


@bp.get("/stats/streets")
def street_stats() -> Response:
    """The same figures per street (街道).
    ---
    get:
      summary: Per street (its communities' counts added up; rates from the sums)
      parameters:
        - in: query
          schema: PeriodArgsSchema
      responses:
        200:
          content:
            application/json:
              schema: LeagueSchema
        401: {description: not logged in}
        422: {description: invalid dates}
    """
    return _league(street_league)


@bp.get("/stats/trend")
def trend() -> Response:
    """Found vs closed per ISO week.
    ---
    get:
      summary: Issues found and closed per ISO week (local time), the current week last
      parameters:
        - in: query
          schema: TrendArgsSchema
      responses:
        200:
          content:
            application/json:
              schema: TrendSchema
        401: {description: not logged in}
    """
    user = require_user()
    args = load_args(TrendArgsSchema())
    return jsonify(dump_trend(weekly_trend(user, args["weeks"], utcnow(), args["community_id"], args["last"])))


def _league(build: Any) -> Response:
    user = require_user()
    args = load_args(PeriodArgsSchema())
    now = utcnow()
    league: League = build(user, period_from_args(args["first"], args["last"], now), now)
    return jsonify(LeagueSchema().dump(league))


# ------------------------------------------------------------------ documents


@bp.get("/exports/issues.xlsx")
def export_excel() -> Response:
    """《督查限时整改一览表》 as Excel.
    ---
    get:
      summary: The issue list as 督查限时整改一览表 (.xlsx), filtered like GET /issues
      description: >
        One row per issue (序号, 社区, 位置, 问题描述, 类别, 发现时间, 整改时限, 责任单位,
        状态, 整改情况), a title row and a frozen header; times are Excel dates in
        local time. from/to select by 发现时间 (local days). thumbnails=1 adds a
        photo column (at most 500 rows). Staff get only their own community's issues.
      parameters:
        - in: query
          schema: ExcelArgsSchema
      responses:
        200:
          description: the workbook, as an attachment with a Chinese file name (RFC 5987)
          content:
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {}
        401: {description: not logged in}
        422: {description: invalid filter, or too many rows}
    """
    user = require_user()
    args = load_args(ExcelArgsSchema())
    now = utcnow()
    period = period_from_args(args["first"], args["last"], now) if args["first"] or args["last"] else None
    return _download(export_issue_list(user, args, period, now))


@bp.get("/exports/notice/<uuid:issue_id>.pdf")
def export_notice(issue_id: Any) -> Response:
    """整改通知单 of one issue.
    ---
    get:
      summary: The rectification notice (整改通知单) of one issue, as PDF
      responses:
        200:
          description: one A4 page
          content:
            application/pdf: {}
        401: {description: not logged in}
        404: {description: no such issue, or not visible to you}
        503: {description: the server has no CJK font (install fonts-noto-cjk)}
    """
    user = require_user()
    return _download(notice_for_issue(user, str(issue_id), utcnow()))


@bp.get("/exports/notices.pdf")
def export_notices() -> Response:
    """整改通知单 for a community, one page per issue.
    ---
    get:
      summary: Notices for every issue of a community in the given statuses (default assigned)
      parameters:
        - in: query
          schema: NoticesArgsSchema
      responses:
        200:
          content:
            application/pdf: {}
        401: {description: not logged in}
        404: {description: no matching issue visible to you}
        422: {description: invalid arguments, or more than 200 notices}
        503: {description: the server has no CJK font (install fonts-noto-cjk)}
    """
    user = require_user()
    args = load_args(NoticesArgsSchema())
    return _download(notices_for_community(user, args["community_id"], args["status"], utcnow()))


@bp.get("/exports/bulletin")
def export_bulletin() -> Response:
    """督查通报 for a date range.
    ---
    get:
      summary: The inspection bulletin (督查通报) as text, Markdown or Word
      description: >
        Per community, 「{社区}：存在的问题有：{位置}{描述}；…。」 then 发现问题 N 个，已整改 M 个，
        逾期 K 个, and a closing line; from/to are local dates (default the last 7 days).
      parameters:
        - in: query
          schema: BulletinArgsSchema
      responses:
        200:
          content:
            text/plain: {}
            text/markdown: {}
            application/vnd.openxmlformats-officedocument.wordprocessingml.document: {}
        401: {description: not logged in}
        422: {description: invalid dates or format}
    """
    user = require_user()
    args = load_args(BulletinArgsSchema())
    now = utcnow()
    period = period_from_args(args["first"], args["last"], now)
    document = bulletin_document(user, period, now, args["format"], args["community_id"])
    return _download(document, inline=args["format"] != "docx")


def _download(document: Document, *, inline: bool = False) -> Response:
    """The document with its (Chinese) file name: ``filename*=UTF-8''…`` per RFC 5987/6266."""
    response = send_file(
        io.BytesIO(document.data),
        mimetype=document.mimetype,
        as_attachment=not inline,
        download_name=document.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
