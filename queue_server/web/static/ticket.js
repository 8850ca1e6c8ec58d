"use strict";
(() => {
  const {live, el, clock, boot} = YC;
  const $ = (id) => document.getElementById(id);
  let lastStatus = null;
  const ENDED = ["done", "transferred", "cancelled"];

  // A skipped ticket is not the end: say what the citizen can still do, and by when.
  function advice(t) {
    if (t.status !== "no_show") return null;
    if (t.requeue_until && Date.now() / 1000 < t.requeue_until) {
      return "请在 " + clock(t.requeue_until) + " 前到取号机或窗口办理“过号重排”，重新排队；过了时间请重新取号。";
    }
    return "已过重排时间，如需办理请重新取号。";
  }

  function render(t) {
    $("category").textContent = t.category;
    $("item").hidden = !t.item;
    $("item").textContent = t.item || "";
    // 一次性告知书 given at the window: what is still missing, and the notice itself.
    $("notices").replaceChildren(...(t.notices || []).map((n) => el("a", {class: "notice-link", href: n.url},
      el("b", {}, "一次性告知书 " + n.number), "还需补齐：" + n.materials.join("、") + " ›")));
    $("number").textContent = t.number;
    $("status").textContent = t.status_text;
    $("card").dataset.status = t.status;
    const called = t.status === "called";
    $("called").hidden = !called;
    if (called) $("called").textContent = "请到 " + t.window_name + " 办理";
    const tip = advice(t);
    $("advice").hidden = !tip;
    $("advice").textContent = tip || "";
    // the promise to tell about the call holds only while a call can still come
    $("note").hidden = t.status === "no_show" || ENDED.includes(t.status);
    const figures = t.status === "waiting"
      ? (t.waiting_for ? [["转到", t.waiting_for + "，请等候该窗口叫号"]] : []).concat(
        [["前面还有", t.waiting_ahead + " 人"], ["预计等候", t.wait_text], ["取号时间", clock(t.issued_at)]])
      : [["取号时间", clock(t.issued_at)]].concat(t.called_at ? [["叫号时间", clock(t.called_at)]] : []);
    $("figures").replaceChildren(...figures.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    if (called && lastStatus !== "called" && lastStatus !== null && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    lastStatus = t.status;
  }

  function invalid(text, title) {
    $("number").textContent = title || "无效";
    $("status").textContent = text;
    $("called").hidden = true;
    $("advice").hidden = true;
    $("figures").replaceChildren();
    $("note").hidden = true;
  }

  // Ask once first: an unknown or expired link is said at once and never listened to (an
  // endless reconnect would count as guessing against the hall's Wi-Fi address).
  const path = "/api/tickets/" + encodeURIComponent(boot.token);
  async function start() {
    let r;
    try { r = await fetch(path); } catch (e) { document.getElementById("offline").hidden = false; setTimeout(start, 3000); return; }
    document.getElementById("offline").hidden = true;
    const data = await r.json().catch(() => null);
    if (!r.ok) return invalid((data && data.error && data.error.message) || "暂时无法查询，请稍后刷新", r.status === 429 ? "请稍候" : "无效");
    render(data);
    const stream = live(path + "/events", {ticket: render, gone: () => { stream.stop(); invalid("这张号票已过期"); }});
  }
  start();
})();
