"use strict";
// The window's applications: file one (for the called ticket or a walk-in), open one, accept it,
// tell once what is missing (补正), refuse with a reason, decide, hand out (统一出件).
(() => {
  const {api, el, rows, boot} = YC;
  const $ = (id) => document.getElementById(id);
  const me = boot.session;
  const items = Object.fromEntries(boot.items.map((i) => [i.code, i]));
  const STATUS = boot.words.material_status;
  let current = null;
  $("window-name").textContent = (boot.windows.find((w) => w.id === me.window) || {}).name || "";
  $("staff-name").textContent = me.name;
  // The called ticket's item first: the server files for it when none is picked.
  const called = items[boot.called_item];
  $("item").replaceChildren(el("option", {value: ""}, called ? "当前叫号的事项：" + called.name : "请选择办理事项"),
    ...boot.items.map((i) => el("option", {value: i.code}, i.domain + " · " + i.name)));

  // One row per material with the statuses the item allows it (容缺, 告知承诺).
  function checklist(tbody, materials, statusOf) {
    tbody.replaceChildren(...materials.map((m) => {
      const choices = ["received", ...(m.later ? ["later"] : []), ...(m.promise ? ["promise"] : []), "missing"];
      const pick = el("select", {"data-material": m.name, "aria-label": m.name},
        choices.map((s) => el("option", {value: s, selected: s === statusOf(m) ? "selected" : null}, STATUS[s])));
      return el("tr", {}, el("td", {}, m.name), el("td", {}, pick));
    }));
  }
  const statuses = (tbody) => Object.fromEntries([...tbody.querySelectorAll("select")]
    .filter((s) => s.value !== "missing").map((s) => [s.dataset.material, s.value]));
  const missing = (tbody) => [...tbody.querySelectorAll("select")].filter((s) => s.value === "missing").map((s) => s.dataset.material);

  function newChecklist() {
    const item = items[$("item").value] || called;
    checklist($("new-materials").tBodies[0], item ? item.materials : [], () => "missing");
  }
  $("item").addEventListener("change", newChecklist);

  const say = (text, bad) => { $("message").textContent = text; $("message").classList.toggle("bad", !!bad); };

  $("new-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const form = {};
    if (f.get("address")) form["住址"] = f.get("address");
    if (f.get("purpose")) form["申请事由"] = f.get("purpose");
    const body = {identity: {id_number: f.get("id_number").trim(), name: f.get("name").trim()}, form,
                  materials: statuses($("new-materials").tBodies[0])};
    if (f.get("item")) body.item = f.get("item");
    if (f.get("phone")) body.phone = f.get("phone").trim();
    try {
      const r = await api("POST", "/api/window/applications", body);
      ev.target.reset(); newChecklist();
      await open(r.application.number);
      loadLists();
      say("已提交办件 " + r.application.number);
    } catch (e) { say(e.message, true); }
  });

  $("open-form").addEventListener("submit", (ev) => { ev.preventDefault(); open(new FormData(ev.target).get("number").trim()); });

  async function open(number) {
    try { current = await api("GET", "/api/window/applications/" + encodeURIComponent(number)); }
    catch (e) { say(e.message, true); return; }
    say("");
    show();
  }

  function show() {
    const a = current;
    $("detail").hidden = false;
    $("d-number").textContent = a.number;
    $("d-state").textContent = a.state_text;
    $("d-state").dataset.state = a.state;
    $("d-deadline").textContent = a.deadline_text + (a.due ? "（承诺" + a.due + "办结）" : "");
    $("d-figures").replaceChildren(...[["办理事项", a.item_name], ["申请人", a.name], ["手机", a.phone],
      ["号码", a.ticket], ["提交日期", a.submitted_on], ["受理日期", a.accepted_on],
      ["所缺材料", a.missing.join("、")], ["容缺待补", a.owed.join("、")], ["不予办理理由", a.reason]]
      .filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("d-form").replaceChildren(...Object.entries(a.form).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    checklist($("d-materials").tBodies[0], a.materials.filter((m) => m.status !== "not_needed"), (m) => m.status);
    // The photos are opened for this window only and never cached (the server's headers).
    const base = "/api/window/applications/" + encodeURIComponent(a.number);
    $("d-photos").replaceChildren(...a.photos.map((p) => el("figure", {},
      el("a", {href: base + "/photos/" + p.index, target: "_blank"},
        el("img", {src: base + "/photos/" + p.index, alt: p.material})), el("figcaption", {}, p.material))));
    $("receipt").href = new URL(a.url).pathname + "/receipt";
    $("receipt-pdf").href = base + "/receipt.pdf";
    $("receipt").hidden = $("receipt-pdf").hidden = !a.accepted_on;
    // 补正: the one-time notice lists everything missing, for the printer and the phone.
    $("notice").hidden = !a.notice_url;
    if (a.notice_url) $("notice").href = new URL(a.notice_url).pathname;
    // Only the steps the state allows (the server checks again).
    document.querySelectorAll("[data-step]").forEach((b) => { b.disabled = !boot.steps[b.dataset.step].includes(a.state); });
    $("reason-box").hidden = !boot.steps.refuse.includes(a.state);
  }

  document.querySelectorAll("[data-step]").forEach((b) => b.addEventListener("click", async () => {
    if (!current) return;
    const step = b.dataset.step, body = {};
    const tbody = $("d-materials").tBodies[0];
    if (["accept", "resubmit", "approve"].includes(step)) body.materials = statuses(tbody);
    if (step === "correct") body.missing = missing(tbody);
    if (step === "refuse") body.reason = $("reason").value;
    try {
      const r = await api("POST", "/api/window/applications/" + encodeURIComponent(current.number) + "/" + step, body);
      say(r.application.number + "：" + r.application.state_text);
      await open(current.number);
      loadLists();
    } catch (e) { say(e.message, true); }
  }));

  async function loadLists() {
    const [list, called] = await Promise.all([api("GET", "/api/window/applications"),
                                              api("GET", "/api/window/called-applications")]);
    const openButton = (a) => el("button", {type: "button", onclick: () => open(a.number)}, "打开");
    // The called ticket's applications: filed on it, to collect with it, or its holder's.
    $("called-box").hidden = !called.length;
    rows($("called").tBodies[0], called, (a) => [a.number, a.item_name, a.state_text, openButton(a)]);
    rows($("ready").tBodies[0], list.filter((a) => a.state === "ready"), (a) => [a.number, a.item_name, openButton(a)]);
    rows($("open-list").tBodies[0], list.filter((a) => a.state !== "ready"),
      (a) => [a.number, a.item_name, a.state_text, a.deadline_text, openButton(a)]);
  }
  newChecklist();
  loadLists();
  setInterval(loadLists, 30000);
})();
