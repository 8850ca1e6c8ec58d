"use strict";
// 受理凭证 (A4 through the browser's print): number, committed finish day, QR to the phone page.
(() => {
  const {el, boot} = YC;
  const $ = (id) => document.getElementById(id);
  $("hall-name").textContent = boot.hall;
  $("print").addEventListener("click", () => window.print());
  async function start() {
    const r = await fetch("/api/applications/" + encodeURIComponent(boot.token));
    const a = await r.json().catch(() => null);
    if (!r.ok) { $("note").textContent = (a && a.error && a.error.message) || "暂时无法查询"; return; }
    // The lines the phone page and the kiosk show (hall/application_text.py), one source.
    $("figures").replaceChildren(...a.lines.flatMap((l) => [el("dt", {}, l.label), el("dd", {}, l.text)]));
    $("qr").src = a.qr;
    $("qr").hidden = false;
    $("note").textContent = "请妥善保管本凭证，凭本凭证到统一出件窗口领取办理结果。";
  }
  start();
})();
