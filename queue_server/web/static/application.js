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
    // The same lines as the kiosk's 办件查询 (the server's, hall/application_text.py); the
    // state, the missing materials and where to collect stand out on their own.
    const apart = ["state", "deadline", "missing", "collect"];
    $("figures").replaceChildren(...a.lines.filter((l) => !apart.includes(l.key))
      .flatMap((l) => [el("dt", {}, l.label), el("dd", {}, l.text)]));
    $("missing-box").hidden = !a.missing.length;
    $("missing").replaceChildren(...a.missing.map((m) => el("li", {}, m)));
    $("notice").hidden = !a.notice_url;
    if (a.notice_url) $("notice").href = new URL(a.notice_url).pathname;
    show("collect", a.collect_at);
  }
  start();
})();
