"use strict";
// The citizen's application page (the receipt's QR code): state, deadline, what is missing,
// where to collect. Nothing personal is shown or sent.
(() => {
  const {el, boot} = YC;
  const $ = (id) => document.getElementById(id);
  $("hall-name").textContent = boot.hall;
  $("print").addEventListener("click", () => window.print());
  const show = (id, text) => { $(id).hidden = !text; $(id).textContent = text || ""; };
  async function start() {
    let r;
    try { r = await fetch("/api/applications/" + encodeURIComponent(boot.token)); } catch (e) { $("offline").hidden = false; setTimeout(start, 3000); return; }
    $("offline").hidden = true;
    const a = await r.json().catch(() => null);
    if (!r.ok) { $("state").textContent = (a && a.error && a.error.message) || "暂时无法查询，请稍后刷新"; $("print").hidden = true; return; }
    $("item").textContent = a.item_name;
    $("state").textContent = a.state_text;
    $("state").dataset.state = a.state;
    $("deadline").textContent = a.deadline_text;
    $("figures").replaceChildren(...[["办件编号", a.number], ["提交日期", a.submitted_on],
      ["受理日期", a.accepted_on], ["承诺办结", a.due ? a.due + "（" + a.committed_days + "个工作日）" : null]]
      .filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("missing-box").hidden = !a.missing.length;
    $("missing").replaceChildren(...a.missing.map((m) => el("li", {}, m)));
    show("owed", a.owed.length ? "容缺受理，办结前请补交：" + a.owed.join("、") : "");
    show("reason", a.reason ? "不予办理的理由：" + a.reason : "");
    show("collect", a.collect_at);
  }
  start();
})();
