"""A fixed, hand-made history of the week 2026-03-02 (Mon) … 03-08 (Sun), Asia/Shanghai.

All times below are local. Deadlines end at 23:59:59 of their day.

A 金龙: reported 03-02 09:00, due 03-05; rectified 03-04 10:00; verified 03-05 09:00
B 金龙: reported 03-02 10:00, due 03-03; rectified OFFLINE 03-03 20:00 (synced 03-04 10:00);
        verified 03-06 09:00
C 金龙: reported 03-02 11:00, due 03-04; rectified 03-03 11:00; REJECTED 03-03 15:00 with a new
        deadline 03-06; rectified 03-07 10:00
D 金龙: reported 03-02 12:00, due 03-04; asked 03-03, EXTENSION approved 03-04 09:00 to 03-07;
        rectified 03-07 09:00
E 金龙: reported 03-03 09:00, due 03-05; nothing since (overdue)
F 金龙→金源: reported 03-03 10:00, due 03-06 at 金龙; DISPUTED 03-04 10:00; dispatched to 金源
        03-04 15:00, due 03-07; rectified 03-06 10:00; verified 03-06 16:00
G 金龙: reported 02-25 (the week before) 09:00, due 02-27; rectified 03-02 09:00 (late);
        verified 03-02 15:00
H 金龙: reported 03-05 09:00, due 03-08; CANCELLED 03-06 09:00
I —: reported 03-05 10:00, never dispatched
J 祥瑞: reported 03-02 09:00, due 03-03; rectified 03-03 09:00; verified 03-03 12:00
K 金源: reported 03-08 09:00, due 03-10
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from server.reports.periods import Period
from tests.server.reports.helpers import HandMade, end_of, local

WEEK = Period(date(2026, 3, 2), date(2026, 3, 8))
NOW = local(2026, 3, 10, 12)  # after the week: its figures are as of 03-09 00:00


@pytest.fixture
def history(app: Any) -> HandMade:
    return HandMade()


def _at(location: str, description: str) -> dict[str, str]:
    return {"location": location, "description": description}


@pytest.fixture
def week(history: HandMade) -> dict[str, Any]:
    h = history
    y = 2026
    a = h.issue(
        "jinlong", reported=local(y, 3, 2, 9), deadline=end_of(y, 3, 5), **_at("金龙小区11栋前坪", "有废弃物一堆")
    )
    h.rectify(a, at=local(y, 3, 4, 10))
    h.verify(a, at=local(y, 3, 5, 9))

    b = h.issue("jinlong", reported=local(y, 3, 2, 10), deadline=end_of(y, 3, 3), **_at("金龙小区11栋", "楼道存有堆物"))
    h.rectify(b, at=local(y, 3, 3, 20), synced=local(y, 3, 4, 10))
    h.verify(b, at=local(y, 3, 6, 9))

    c = h.issue(
        "jinlong", reported=local(y, 3, 2, 11), deadline=end_of(y, 3, 4), **_at("金龙小区7栋", "居民花坛随意种菜")
    )
    h.rectify(c, at=local(y, 3, 3, 11))
    h.reject(c, at=local(y, 3, 3, 15), deadline=end_of(y, 3, 6))
    h.rectify(c, at=local(y, 3, 7, 10))

    d = h.issue("jinlong", reported=local(y, 3, 2, 12), deadline=end_of(y, 3, 4), **_at("金龙小区7栋", "违规搭棚3处"))
    h.extend(d, asked=local(y, 3, 3, 9), at=local(y, 3, 4, 9), deadline=end_of(y, 3, 7))
    h.rectify(d, at=local(y, 3, 7, 9))

    e = h.issue(
        "jinlong", reported=local(y, 3, 3, 9), deadline=end_of(y, 3, 5), **_at("棕榈园B3栋楼梯口", "有一处堆物")
    )

    f = h.issue("jinlong", reported=local(y, 3, 3, 10), deadline=end_of(y, 3, 6), **_at("松枫路垃圾池", "暴露垃圾"))
    h.dispute(f, at=local(y, 3, 4, 10))
    h.dispatch(f, "jinyuan", at=local(y, 3, 4, 15), deadline=end_of(y, 3, 7))
    h.rectify(f, at=local(y, 3, 6, 10))
    h.verify(f, at=local(y, 3, 6, 16))

    g = h.issue("jinlong", reported=local(y, 2, 25, 9), deadline=end_of(y, 2, 27))
    h.rectify(g, at=local(y, 3, 2, 9))
    h.verify(g, at=local(y, 3, 2, 15))

    i_h = h.issue(
        "jinlong", reported=local(y, 3, 5, 9), deadline=end_of(y, 3, 8), **_at("金龙小区大门口", "两车乱停放")
    )
    h.cancel(i_h, at=local(y, 3, 6, 9))

    i = h.issue(None, reported=local(y, 3, 5, 10))

    j = h.issue(
        "xiangrui", reported=local(y, 3, 2, 9), deadline=end_of(y, 3, 3), **_at("祥瑞小区B3栋楼梯口", "有一处堆物。")
    )
    h.rectify(j, at=local(y, 3, 3, 9))
    h.verify(j, at=local(y, 3, 3, 12))

    k = h.issue(
        "jinyuan", reported=local(y, 3, 8, 9), deadline=end_of(y, 3, 10), **_at("金源小区宣传栏", "广告乱贴乱画")
    )
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g, "H": i_h, "I": i, "J": j, "K": k}
