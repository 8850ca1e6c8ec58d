"use strict";
(() => {
  const {live, el, duration, clock, boot} = YC;
  const $ = (id) => document.getElementById(id);
  let lastStatus = null;

  function render(t) {
    $("category").textContent = t.category;
    $("number").textContent = t.number;
    $("status").textContent = t.status_text;
    $("card").dataset.status = t.status;
    const called = t.status === "called";
    $("called").hidden = !called;
    if (called) $("called").textContent = "请到 " + t.window_name + " 办理";
    const figures = t.status === "waiting"
      ? [["前面还有", t.waiting_ahead + " 人"], ["预计等候", "约 " + duration(t.estimated_wait_s)], ["取号时间", clock(t.issued_at)]]
      : [["取号时间", clock(t.issued_at)]].concat(t.called_at ? [["叫号时间", clock(t.called_at)]] : []);
    $("figures").replaceChildren(...figures.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    if (called && lastStatus !== "called" && lastStatus !== null && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    lastStatus = t.status;
  }

  live("/api/tickets/" + encodeURIComponent(boot.token) + "/events", {ticket: render});
  // An unknown or forged link answers 404: say so instead of retrying forever.
  fetch("/api/tickets/" + encodeURIComponent(boot.token)).then((r) => {
    if (r.status === 404) { $("number").textContent = "无效"; $("status").textContent = "没有找到这张号票，请核对二维码"; }
  }).catch(() => {});
})();
