"""站点监控 in headless Chromium: the county's manager sees every site's line, backlog and last
sync, read from the county store (PostgreSQL) as the receiver fills it; a line that drops
shows as 网络中断 on the next refresh."""
from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from hall.protocol import sync as contract
from queue_server.service import HallService
from queue_server.sync.county import CountyReceiver
from queue_server.web import start_console
from sites import COUNTY, NOON, TOWN, VILLAGE, county_config

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


@pytest.fixture
def console(tmp_path, county_store, county_dsn):
    config = county_config()
    config = dataclasses.replace(config, sync=dataclasses.replace(config.sync, store=county_dsn))
    for site in config.sync.sites:
        county_store.add_site(site.id, site.kind, site.name)
    service = HallService(config, str(tmp_path / "county.sqlite"))
    service.staff.add("m01", "王大力", "manager", "guanli123")
    handle = start_console(service, config, host="127.0.0.1", port=0)
    yield handle
    handle.stop()
    service.close()


def test_the_manager_sees_each_sites_line_backlog_and_last_sync(console, county_store):
    from playwright.sync_api import sync_playwright
    # What the receiver does with the hub's messages (no broker needed to fill the store):
    receiver = CountyReceiver(county_store, "mqtt://127.0.0.1:1", county=COUNTY)
    receiver.handle(contract.topic(TOWN, "bridge"), b"1")
    receiver.handle(contract.topic(TOWN, "up"), contract.encode(
        [contract.envelope(TOWN, "rating", f"e{i}", NOON, {"level": 5}) for i in range(3)]))
    receiver.handle(contract.topic(TOWN, "status"), b'{"backlog": 4, "oldest": 1.0}')
    receiver.handle(contract.topic(VILLAGE, "bridge"), b"0")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                   timezone_id="Asia/Shanghai").new_page()
        page.goto(console.url + "/login")
        page.fill("input[name=staff]", "m01")
        page.fill("input[name=password]", "guanli123")
        page.click("button[type=submit]")
        page.wait_for_url("**/manage")
        page.click("nav a[data-page=sites]")
        town = page.locator("#sites tbody tr", has_text="白沙镇便民服务中心")
        village = page.locator("#sites tbody tr", has_text="石桥村便民服务站")
        expect(town.locator("td").nth(2)).to_have_text("网络正常")
        expect(town.locator("td").nth(3)).to_have_text("4")
        expect(town.locator("td").nth(6)).not_to_have_text("从未")
        expect(village.locator("td").nth(2)).to_have_text("网络中断")
        expect(village.locator("td").nth(6)).to_have_text("从未")
        page.screenshot(path=str(console_shot()))

        receiver.handle(contract.topic(TOWN, "bridge"), b"0")        # the township's line drops
        expect(town.locator("td").nth(2)).to_have_text("网络中断", timeout=15000)
        browser.close()


def console_shot():
    import os
    import tempfile
    from pathlib import Path
    folder = Path(os.environ.get("YC_SCREENSHOTS") or tempfile.mkdtemp(prefix="yc-sites-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "console-sites.png"
