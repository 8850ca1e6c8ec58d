"use strict";
// 一次性告知书 behind its unguessable link: the window prints it, the citizen keeps it on the phone.
(() => {
  const {el, boot} = YC;
  const $ = (id) => document.getElementById(id);
  $("hall-name").textContent = boot.hall;
  $("print").addEventListener("click", () => window.print());
  async function start() {
    let r;
    try { r = await fetch("/api/notices/" + encodeURIComponent(boot.token)); } catch (e) { $("offline").hidden = false; setTimeout(start, 3000); return; }
    $("offline").hidden = true;
    const n = await r.json().catch(() => null);
    if (!r.ok) { $("lead").textContent = (n && n.error && n.error.message) || "暂时无法查询，请稍后刷新"; $("print").hidden = true; return; }
    $("figures").replaceChildren(...[[n.number_label, n.number], ["办件编号", n.application], ["办理事项", n.item_name],
      ["号码", n.ticket], ["日期", n.date]].filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("lead").textContent = n.lead;
    $("materials").replaceChildren(...n.materials.map((m) => el("li", {}, m)));
    $("back").textContent = n.back;
  }
  start();
})();
