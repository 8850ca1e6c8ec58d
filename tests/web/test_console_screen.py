"""The hall screen on a 1920x1080 TV with a busy hall: every window name, however long,
is shown whole inside its tile; the newest call and the recent calls fit their boxes; no
scroll bars. Writes docs/images/console-screen.png."""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import STAFF, open_page, shot

LIVE_MS = 1000
# Every element that shows text on the screen, checked against the box it must stay in.
OVERFLOWS = """() => {
  const out = [];
  const inside = (node, box) => {
    const a = node.getBoundingClientRect(), b = box.getBoundingClientRect();
    return a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  };
  for (const n of document.querySelectorAll('.win-name, .win-ticket'))
    if (n.scrollWidth > n.clientWidth + 1 || !inside(n, n.closest('.win-cell'))) out.push(n.textContent);
  for (const n of document.querySelectorAll('#latest .call > *'))
    if (!inside(n, document.getElementById('latest'))) out.push('latest: ' + n.textContent);
  for (const n of document.querySelectorAll('#recent li > *'))
    if (!inside(n, document.querySelector('.recent'))) out.push('recent: ' + n.textContent);
  for (const n of document.querySelectorAll('.queue > *'))
    if (!inside(n, n.closest('.queue'))) out.push('queue: ' + n.textContent);
  return out;
}"""


def call_at(hall, window: str, staff: str) -> str:
    hall.service.handle("window", window, "window.login", {"staff": staff, "password": STAFF[staff][2]})
    answer = hall.service.handle("window", window, "window.call_next", {})
    assert answer["status"] == "ok", answer
    return answer["data"]["ticket"]["number"]


def test_a_busy_hall_fits_the_tv_with_long_window_names_whole(hall, browser):
    screen = open_page(browser, hall, "/screen", "tv")
    for category in ("zonghe", "zonghe", "zonghe", "yibao", "yibao", "fanying", "zonghe", "zonghe"):
        hall.issue(category)
    staff = iter(("w01", "w02", "w03", "w04"))
    for window in ("1", "2", "5", "16"):            # 16: 办不成事反映窗口, the longest name
        number = call_at(hall, window, next(staff))
    expect(screen.locator("#latest-ticket")).to_have_text(number, timeout=LIVE_MS)
    expect(screen.locator("#latest .win")).to_have_text("办不成事反映窗口")
    expect(screen.locator(".win-cell[data-window='16'] .win-name")).to_have_text("办不成事反映窗口")
    expect(screen.locator(".win-cell[data-window='16'] .win-ticket")).to_have_text(number)
    expect(screen.locator("#recent li")).to_have_count(3)
    assert screen.evaluate(OVERFLOWS) == []
    assert screen.evaluate("document.documentElement.scrollHeight <= innerHeight && "
                           "document.documentElement.scrollWidth <= innerWidth")
    # readable from 10 m: the tile names stay at least 2.2% of the screen height (24 px here)
    sizes = screen.locator(".win-name").evaluate_all("ns => ns.map(n => parseFloat(getComputedStyle(n).fontSize))")
    assert min(sizes) >= 0.022 * 1080, sizes
    screen.wait_for_timeout(300)        # the newest call's first flash
    shot(screen, "screen")
    screen.context.close()


def test_recent_calls_take_one_row_per_ticket_and_five_rows_fit(hall, browser):
    """A ticket recalled twice holds one row of 最近叫号; with more calls than rows, the five
    rows shown are whole inside their box and the screen."""
    screen = open_page(browser, hall, "/screen", "tv")
    numbers = []
    for i in range(7):
        hall.issue("zonghe")
        hall.service.handle("window", "1", "window.finish", {})        # what it held before
        numbers.append(call_at(hall, "1", "w01"))
        if i == 3:                                                      # a citizen who is slow to come
            for _ in range(2):
                assert hall.service.handle("window", "1", "window.recall", {})["status"] == "ok"
    expect(screen.locator("#latest-ticket")).to_have_text(numbers[-1], timeout=LIVE_MS)
    rows = screen.locator("#recent li b")
    expect(rows).to_have_count(5)
    assert rows.all_text_contents() == numbers[-2:-7:-1]              # newest first, each once
    boxes = screen.locator("#recent li").evaluate_all(
        "ns => ns.map(n => { const r = n.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; })")
    assert all(0 <= top and bottom <= 1080 and 0 <= left and right <= 1920 for top, bottom, left, right in boxes), boxes
    assert screen.evaluate(OVERFLOWS) == []
    # a page opened afterwards starts from the hub's list: the same rows
    again = open_page(browser, hall, "/screen", "tv")
    expect(again.locator("#recent li b")).to_have_text(numbers[-2:-7:-1], timeout=LIVE_MS)
    shot(screen, "screen")
    again.context.close()


def test_the_screen_shows_the_call_sentence_the_server_words(hall, browser, monkeypatch):
    """One source for the call sentence (hall/words.py via event/call text): the screen sets
    the number and the window name apart in it and adds no words of its own."""
    import queue_server.service
    monkeypatch.setattr(queue_server.service, "call_sentence", lambda t, w: f"请{t}号到{w}办理业务")
    screen = open_page(browser, hall, "/screen", "tv")
    hall.service.handle("window", "1", "window.finish", {})   # after the test above
    hall.issue("zonghe")
    number = call_at(hall, "1", "w01")
    name = hall.config.window("1").name
    expect(screen.locator("#latest-ticket")).to_have_text(number, timeout=LIVE_MS)
    expect(screen.locator("#latest .call")).to_have_text(f"请{number}号到{name}办理业务")
    expect(screen.locator("#latest .win")).to_have_text(name)
    screen.context.close()
