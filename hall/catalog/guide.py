"""An item's guide (办事指南) in the words citizens read, one part at a time, and the lines of
its materials checklist and one-time notice (一次性告知书).

One source for the kiosk's guide screens and spoken guide, the printed checklist and the
console's mobile guide and notice pages: each shows `guide_parts(item, hall)` its own way.

    parts = guide_parts(item, hall)          # [Part("申请条件", ("...",)), ...]
    part.spoken                               # what elderly mode reads aloud
    checklist_lines(item)                     # ["□ 居民身份证（原件）", ...]
"""
from __future__ import annotations

from dataclasses import dataclass

from ..config.catalog_model import DELIVERIES, FORMS, Item, Material
from ..words import (
    CONDITIONS,
    FEES,
    MATERIALS,
    NO_CONDITIONS,
    NO_MATERIALS,
    PLACE,
    TIME_LIMIT,
)


@dataclass(frozen=True)
class Part:
    title: str                   # 申请材料
    lines: tuple[str, ...]       # one line each, plain Chinese

    @property
    def spoken(self) -> str:
        """The part read aloud: its title, then its lines."""
        return "，".join((self.title, *self.lines))


def material_line(material: Material) -> str:
    """居民身份证（原件，2份）：可容缺后补"""
    if material.not_needed:
        return f"{material.name}：无需提供" + (f"（{material.note}）" if material.note else "")
    form = FORMS.get(material.form, "")
    count = f"，{material.count}份" if material.count > 1 else ""
    extras = [w for w, on in (("可容缺后补", material.later), ("可签署告知承诺书代替", material.promise))
              if on]
    if material.note:
        extras.append(material.note)
    return f"{material.name}（{form}{count}）" + (f"：{'；'.join(extras)}" if extras else "")


def time_limit_lines(item: Item) -> tuple[str, ...]:
    if item.immediate:
        first = "即办件：材料齐全当场办结"
    elif item.committed_days < item.legal_days:
        first = f"承诺{item.committed_days}个工作日内办结（法定{item.legal_days}个工作日）"
    else:
        first = f"{item.committed_days}个工作日内办结"
    delivery = "、".join(DELIVERIES.get(d, d) for d in item.delivery)
    return (first, f"办理结果：{delivery}")


def place_lines(item: Item, hall) -> tuple[str, ...]:
    """Where to go: the category to take a ticket in and the windows that serve the item."""
    category = hall.category(item.category)
    windows = [w for w in hall.windows if (w.id in item.windows if item.windows
                                           else item.category in w.categories)]
    lines = [f"请取“{category.name if category else item.category}”的号"]
    if windows:
        lines.append("办理窗口：" + "、".join(w.name for w in windows))
    if item.kiosk:
        lines.append("也可在自助服务终端办理" + ("（需刷脸核验）" if item.face_check else ""))
    return tuple(lines)


def guide_parts(item: Item, hall) -> list[Part]:
    """The guide's five parts, in the order the kiosk pages through them."""
    materials = tuple(material_line(m) for m in item.materials) or (NO_MATERIALS,)
    return [
        Part(CONDITIONS, item.conditions or (NO_CONDITIONS,)),
        Part(MATERIALS, materials),
        Part(TIME_LIMIT, time_limit_lines(item)),
        Part(FEES, (item.fee,)),
        Part(PLACE, place_lines(item, hall)),
    ]


def checklist_lines(item: Item) -> list[str]:
    """The materials to bring, one box to tick each (the hall reads the others itself)."""
    return [f"□ {material_line(m)}" for m in item.materials if m.brought] or [NO_MATERIALS]


def missing_problem(item: Item, names: list[str]) -> str:
    """Why these names cannot be a notice of this item ("" when they can): each must be a
    material the citizen brings for it."""
    brought = {m.name for m in item.materials if m.brought}
    return "" if set(names) <= brought else "所选材料不是该事项的申请材料"


def notice_lines(item: Item, names: list[str]) -> list[str]:
    """The missing materials as the notice lists them, in the guide's order."""
    chosen = set(names)
    return [material_line(m) for m in item.materials if m.name in chosen]
