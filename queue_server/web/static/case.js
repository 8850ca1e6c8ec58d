"use strict";
// The citizen's page of a case (the slip's QR code): state, the day it is due, the answer.
(() => {
  const {el, boot, words} = YC;
  const $ = (id) => document.getElementById(id);
  $("hall-name").textContent = boot.hall;
  $("print").addEventListener("click", () => window.print());
  (async () => {
    const r = await fetch("/api/complaints/" + encodeURIComponent(boot.token));
    const c = await r.json().catch(() => null);
    if (!r.ok) { $("state").textContent = (c && c.error && c.error.message) || "暂时无法查询，请稍后刷新"; $("print").hidden = true; return; }
    $("kind").textContent = c.kind_text;
    $("number").textContent = c.number;
    $("state").textContent = c.state_text;
    $("deadline").textContent = c.deadline_text;
    $("figures").replaceChildren(...[["登记日期", c.opened_on], ["答复期限", c.due], ["办理事项", c.item_name],
      ["想办的事", c.tried], ["反映的问题", c.summary]]
      .filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("answer").hidden = !c.answer;
    $("answer").textContent = c.answer ? "答复：" + c.answer : "";
    $("qr").src = c.qr;
  })();
})();
