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
    $("figures").replaceChildren(...[["办件编号", a.number], ["办理事项", a.item_name], ["当前状态", a.state_text],
      ["受理日期", a.accepted_on || "—"], ["承诺办结日期", a.due || "受理后计算"],
      ["承诺时限", a.committed_days ? a.committed_days + "个工作日（补正期间不计）" : "即办件"]]
      .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("qr").src = a.qr;
    $("qr").hidden = false;
    $("note").textContent = "请妥善保管本凭证，凭本凭证到统一出件窗口领取办理结果。";
  }
  start();
})();
