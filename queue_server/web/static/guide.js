"use strict";
// The item's guide, part by part, as the kiosk shows it (GET /api/guide/{code}).
(() => {
  const {el, boot} = YC;
  const $ = (id) => document.getElementById(id);
  $("hall-name").textContent = boot.hall;
  async function start() {
    let r;
    try { r = await fetch("/api/guide/" + encodeURIComponent(boot.code)); } catch (e) { $("offline").hidden = false; setTimeout(start, 3000); return; }
    $("offline").hidden = true;
    const data = await r.json().catch(() => null);
    if (!r.ok) { $("name").textContent = (data && data.error && data.error.message) || "暂时无法查询，请稍后刷新"; return; }
    document.title = data.name + " · 办事指南";
    $("name").textContent = data.name;
    $("domain").textContent = "办事指南 · " + data.domain;
    $("parts").replaceChildren(...data.parts.map((p) =>
      el("section", {class: "card part"}, el("h2", {}, p.title), el("ul", {}, p.lines.map((line) => el("li", {}, line))))));
  }
  start();
})();
