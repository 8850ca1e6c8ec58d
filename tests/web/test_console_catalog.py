"""事项管理: a manager adds, edits and retires service items in headless Chromium; the
history keeps before and after; bad edits and window accounts are refused; edits survive a
restart of the server and reach the pages that show items (the mobile guide)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

from conftest import Hall, login, shot

from queue_server.service import HallService


class Staff:
    """A browser-less console client logged in as one account."""

    def __init__(self, url: str, staff: str, password: str, window: str | None = None):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.csrf = self.call("GET", "/api/session")[1]["csrf"]
        status, me = self.call("POST", "/api/session", {"staff": staff, "password": password,
                                                      **({"window": window} if window else {})})
        assert status == 200, me
        self.csrf = me.get("csrf", self.csrf)

    def call(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "X-CSRF-Token": getattr(self, "csrf", "")}
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def fill_new_item(page) -> None:
    page.click("#new")
    page.fill("#item input[name=code]", "TEST-900")
    page.fill("#item input[name=name]", "老年人优待证办理")
    page.select_option("#item select[name=domain]", "民政")
    page.select_option("#item select[name=category]", "zonghe")
    page.fill("#item textarea[name=aliases]", "优待证\n老年证")
    page.fill("#item textarea[name=conditions]", "本县户籍年满60周岁的老年人")
    page.click("#add-material")
    page.fill("#materials tbody tr:last-child input[data-k=name]", "居民身份证")
    page.click("#add-material")
    page.fill("#materials tbody tr:last-child input[data-k=name]", "近期免冠照片")
    page.fill("#materials tbody tr:last-child input[data-k=count]", "2")
    page.check("#materials tbody tr:last-child input[data-k=later]")
    page.fill("#item input[name=legal_days]", "5")
    page.fill("#item input[name=committed_days]", "1")


def test_manager_adds_edits_and_retires_an_item_with_history(hall, browser):
    page = login(browser, hall, "m01", size="dashboard")
    page.click("nav a[data-page=catalog]")
    page.wait_for_url("**/manage/catalog")
    page.locator("#items tbody tr").first.wait_for(timeout=10000)
    page.fill("#find input[name=q]", "社保卡")                         # an alias finds the item
    assert page.locator("#items tbody tr").count() >= 1
    assert all("社保" in t for t in page.locator("#items tbody tr td:nth-child(3)").all_inner_texts())

    fill_new_item(page)
    page.click("#save")
    page.locator("#saved:has-text('已保存')").wait_for(timeout=10000)
    item = hall.service.config.catalog.item("TEST-900")
    assert item.name == "老年人优待证办理" and item.committed_days == 1
    assert [(m.name, m.count, m.later) for m in item.materials] == [("居民身份证", 1, False),
                                                                   ("近期免冠照片", 2, True)]

    page.fill("#item input[name=committed_days]", "3")                  # edit: a longer promise
    page.click("#save")
    page.locator("#history td:has-text('承诺时限：1 → 3')").wait_for(timeout=10000)
    assert hall.service.config.catalog.item("TEST-900").committed_days == 3

    page.fill("#item input[name=committed_days]", "9")                  # longer than the law: refused
    page.click("#save")
    page.locator("#error:has-text('承诺时限')").wait_for(timeout=10000)
    assert "“承诺时限”填写有误" in page.locator("#error").inner_text()
    assert hall.service.config.catalog.item("TEST-900").committed_days == 3   # nothing lost
    page.fill("#item input[name=committed_days]", "3")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "catalog")

    page.click("#retire")
    page.locator("#saved:has-text('已停用')").wait_for(timeout=10000)
    retired = hall.service.config.catalog.item("TEST-900")
    assert retired.retired and retired not in hall.service.config.catalog.offered()
    page.locator("#history td:has-text('已停用：否 → 是')").wait_for(timeout=10000)   # redrawn after #saved
    history = page.locator("#history tbody").inner_text()
    assert "停用" in history and "已停用：否 → 是" in history and "新增" in history
    rows = hall.service.catalogue.history("TEST-900")
    assert [r["action"] for r in rows] == ["retire", "edit", "add"]
    assert rows[1]["before"]["committed_days"] == 1 and rows[1]["after"]["committed_days"] == 3
    assert all(r["staff"] == "m01" for r in rows)
    page.click("#new")                     # the whole page with the history of every change
    page.locator("#history tbody tr").first.wait_for(timeout=10000)
    shot(page, "catalog-history", full_page=True)
    audit = [a["action"] for a in hall.service.audit_log()]
    assert {"catalogue.add", "catalogue.edit", "catalogue.retire"} <= set(audit)


def test_an_edit_shows_on_the_mobile_guide_at_once(hall):
    manager = Staff(hall.url, "m01", "guanli123")
    status, listing = manager.call("GET", "/api/manage/catalog")
    item = next(i for i in listing["items"] if i["code"] == "YB-001")
    status, after = manager.call("PUT", "/api/manage/catalog/items/YB-001",
                                 {"item": {**item, "fee": "免费办理"}})
    assert status == 200 and after["fee"] == "免费办理"
    status, guide = manager.call("GET", "/api/guide/YB-001")
    assert status == 200 and "免费办理" in json.dumps(guide, ensure_ascii=False)


def test_bad_edits_are_refused_with_the_field_in_chinese(hall):
    manager = Staff(hall.url, "m01", "guanli123")
    item = next(i for i in manager.call("GET", "/api/manage/catalog")[1]["items"] if i["code"] == "YB-001")
    cases = [({**item, "name": "ABC"}, "“事项名称”填写有误"),
             ({**item, "category": "nope"}, "“取号业务”填写有误"),
             ({**item, "materials": [{"name": "身份证", "form": "scan"}]}, "“申请材料”填写有误"),
             ({**item, "code": "OTHER"}, "事项编码不能修改"),
             ({**item, "delivery": ["drone"]}, "“送达方式”填写有误")]
    for fields, message in cases:
        status, answer = manager.call("PUT", "/api/manage/catalog/items/YB-001", {"item": fields})
        assert (status, answer["error"]["message"]) == (409, message), fields
    status, answer = manager.call("POST", "/api/manage/catalog/items", {"item": item})
    assert (status, answer["error"]["message"]) == (409, "事项编码已存在，请换一个编码")
    deep: dict = {}
    for _ in range(200):
        deep = {"x": deep}
    status, answer = manager.call("POST", "/api/manage/catalog/items", {"item": {**item, "code": "D-1", "fee": deep}})
    assert status == 409
    assert hall.service.config.catalog.item("D-1") is None


def test_an_item_of_a_bundle_cannot_be_retired_alone(hall):
    bundle = next(b for b in hall.service.config.catalog.bundles if not b.retired)
    manager = Staff(hall.url, "m01", "guanli123")
    status, answer = manager.call("POST", f"/api/manage/catalog/items/{bundle.items[0]}/retire")
    assert status == 409 and bundle.name in answer["error"]["message"]
    assert not hall.service.config.catalog.item(bundle.items[0]).retired


def test_the_api_describes_every_field_of_an_item():
    from hall.catalog.edits import ITEM_OPTIONS
    from queue_server.web.catalog import ITEM
    assert set(ITEM["properties"]) == set(ITEM_OPTIONS)


def test_a_window_account_may_not_edit_the_catalogue(hall):
    clerk = Staff(hall.url, "w01", "chuangkou1", window="1")
    assert clerk.call("GET", "/api/manage/catalog")[0] == 403
    status, _ = clerk.call("POST", "/api/manage/catalog/items/YB-001/retire")
    assert status == 403
    assert not hall.service.config.catalog.item("YB-001").retired


def test_the_edited_catalogue_downloads_as_a_file_the_hall_can_ship(hall, tmp_path):
    from hall.catalog import load_catalog
    manager = Staff(hall.url, "m01", "guanli123")
    request = urllib.request.Request(hall.url + "/api/manage/catalog/file")
    with manager.opener.open(request, timeout=30) as r:
        assert r.headers["Content-Type"].startswith("application/yaml")
        (tmp_path / "catalog.yaml").write_bytes(r.read())
    shipped = load_catalog(tmp_path / "catalog.yaml", hall.service.config)
    assert shipped.items == hall.service.config.catalog.items
    assert shipped.bundles == hall.service.config.catalog.bundles


def test_edits_survive_a_restart(tmp_path):
    first = Hall(tmp_path)
    try:
        manager = Staff(first.url, "m01", "guanli123")
        item = next(i for i in manager.call("GET", "/api/manage/catalog")[1]["items"] if i["code"] == "YB-001")
        assert manager.call("PUT", "/api/manage/catalog/items/YB-001",
                            {"item": {**item, "name": "城乡居民医保参保登记"}})[0] == 200
        assert manager.call("POST", "/api/manage/catalog/items",
                            {"item": {**item, "code": "NEW-1", "name": "新增的测试事项"}})[0] == 200
    finally:
        first.stop()
    again = HallService(first.config, str(tmp_path / "hall.sqlite"))
    try:
        catalog = again.config.catalog
        assert catalog.item("YB-001").name == "城乡居民医保参保登记"
        assert catalog.item("NEW-1").name == "新增的测试事项"
        assert [r["action"] for r in again.catalogue.history()] == ["add", "edit"]
    finally:
        again.close()
