"use strict";
// 事项管理: the catalogue with a search box; the form adds or edits an item; retire keeps it.
(() => {
  const {api, el, clock, boot} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("item"), find = $("find");
  const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);
  let data = null, chosen = null;

  function choices() {
    form.elements.domain.replaceChildren(...data.domains.map((d) => el("option", {value: d}, d)));
    form.elements.category.replaceChildren(...data.categories.map((c) => el("option", {value: c.id}, c.name)));
    $("windows").replaceChildren(...data.windows.map((w) => el("label", {},
      el("input", {type: "checkbox", name: "window", value: w.id}), w.name)));
    $("delivery").replaceChildren(...Object.entries(data.deliveries).map(([k, name]) => el("label", {},
      el("input", {type: "checkbox", name: "delivery", value: k}), name)));
  }

  function listed() {
    const q = find.elements.q.value.trim().toLowerCase();
    const all = find.elements.retired.checked;
    const hit = (i) => !q || [i.code, i.name, i.domain, ...i.aliases].some((s) => s.toLowerCase().includes(q));
    $("items").tBodies[0].replaceChildren(...data.items.filter((i) => (all || !i.retired) && hit(i)).map((i) =>
      el("tr", {class: (i.retired ? "retired " : "") + (chosen === i.code ? "chosen" : ""), "data-code": i.code,
                onclick: () => show(i)},
        el("td", {}, i.code), el("td", {}, i.name), el("td", {}, i.domain), el("td", {}, i.retired ? "已停用" : "提供中"))));
  }

  function materialRow(m) {
    const box = (k) => el("td", {}, el("input", {type: "checkbox", "data-k": k, checked: m[k] || null,
                                                 "aria-label": k}));
    return el("tr", {},
      el("td", {}, el("input", {"data-k": "name", value: m.name || "", maxlength: 60, "aria-label": "材料名称"})),
      el("td", {}, el("select", {"data-k": "form"}, ...Object.entries(data.forms).map(([k, name]) =>
        el("option", {value: k, selected: (m.form || "original") === k || null}, name)))),
      el("td", {}, el("input", {"data-k": "count", type: "number", min: 1, max: 99, value: m.count || 1})),
      box("later"), box("promise"), box("not_needed"),
      el("td", {}, el("input", {"data-k": "note", value: m.note || "", maxlength: 60, "aria-label": "说明"})),
      el("td", {}, el("button", {type: "button", class: "link", onclick: (ev) => ev.target.closest("tr").remove()}, "删除")));
  }

  function show(item) {
    chosen = item ? item.code : null;
    const i = item || {code: "", name: "", domain: data.domains[0], category: data.categories[0].id, windows: [],
                       aliases: [], conditions: [], materials: [], legal_days: 0, committed_days: 0, fee: "不收费",
                       basis: [], delivery: ["window"], kiosk: false, face_check: false, retired: false,
                       retention_days: boot.retention_days};
    $("form-title").textContent = item ? "修改事项：" + item.name : "新增事项";
    const f = form.elements;
    f.code.value = i.code; f.code.readOnly = !!item;
    for (const k of ["name", "domain", "category", "legal_days", "committed_days", "fee", "retention_days"]) f[k].value = i[k];
    for (const k of ["aliases", "conditions", "basis"]) f[k].value = i[k].join("\n");
    for (const k of ["kiosk", "face_check", "retired"]) f[k].checked = i[k];
    form.querySelectorAll("input[name=window]").forEach((b) => { b.checked = i.windows.includes(b.value); });
    form.querySelectorAll("input[name=delivery]").forEach((b) => { b.checked = i.delivery.includes(b.value); });
    $("materials").tBodies[0].replaceChildren(...i.materials.map(materialRow));
    $("retire").hidden = !item || i.retired;
    $("error").textContent = ""; $("saved").textContent = "";
    listed();
    history();
  }

  function fields() {
    const f = form.elements;
    const ticked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((b) => b.value);
    const materials = [...$("materials").tBodies[0].rows].map((row) => {
      const m = {};
      row.querySelectorAll("[data-k]").forEach((x) => {
        m[x.dataset.k] = x.type === "checkbox" ? x.checked : x.type === "number" ? Number(x.value) : x.value.trim();
      });
      return m;
    });
    return {code: f.code.value.trim(), name: f.name.value.trim(), domain: f.domain.value, category: f.category.value,
            windows: ticked("window"), aliases: lines(f.aliases.value), conditions: lines(f.conditions.value),
            materials, legal_days: Number(f.legal_days.value), committed_days: Number(f.committed_days.value),
            fee: f.fee.value.trim(), basis: lines(f.basis.value), delivery: ticked("delivery"),
            kiosk: f.kiosk.checked, face_check: f.face_check.checked, retired: f.retired.checked,
            retention_days: Number(f.retention_days.value)};
  }

  function changed(row) {
    if (!row.before) return "新增：" + row.after.name;
    const shown = (v) => Array.isArray(v) ? v.map((x) => typeof x === "object" ? x.name : x).join("、") || "（无）"
      : typeof v === "boolean" ? (v ? "是" : "否") : String(v);
    return Object.keys(row.after).filter((k) => JSON.stringify(row.before[k]) !== JSON.stringify(row.after[k]))
      .map((k) => `${data.fields[k] || k}：${shown(row.before[k])} → ${shown(row.after[k])}`).join("；") || "无改动";
  }

  async function history() {
    const rows = await api("GET", "/api/manage/catalog/history" + (chosen ? "?code=" + encodeURIComponent(chosen) : ""));
    $("history").tBodies[0].replaceChildren(...rows.slice(0, 50).map((r) => el("tr", {},
      el("td", {}, new Date(r.ts * 1000).toLocaleString("zh-CN", {hour12: false})), el("td", {}, r.staff || "—"),
      el("td", {}, (data.actions[r.action] || r.action) + (chosen ? "" : " " + r.code)), el("td", {}, changed(r)))));
  }

  async function save(ev) {
    ev.preventDefault();
    $("error").textContent = ""; $("saved").textContent = "";
    const item = fields();
    try {
      const after = chosen ? await api("PUT", "/api/manage/catalog/items/" + encodeURIComponent(chosen), {item})
                           : await api("POST", "/api/manage/catalog/items", {item});
      await reload(after.code);
      $("saved").textContent = "已保存 " + clock(Date.now() / 1000);
    } catch (e) {
      $("error").textContent = e.message;
    }
  }

  async function retire() {
    $("error").textContent = "";
    try {
      const after = await api("POST", "/api/manage/catalog/items/" + encodeURIComponent(chosen) + "/retire");
      await reload(after.code);
      $("saved").textContent = "已停用 " + clock(Date.now() / 1000);
    } catch (e) {
      $("error").textContent = e.message;
    }
  }

  async function reload(code) {
    data = await api("GET", "/api/manage/catalog");
    show(data.items.find((i) => i.code === code) || null);
  }

  form.addEventListener("submit", save);
  $("retire").addEventListener("click", retire);
  $("new").addEventListener("click", () => show(null));
  $("add-material").addEventListener("click", () => $("materials").tBodies[0].append(materialRow({})));
  find.addEventListener("input", listed);
  find.addEventListener("submit", (ev) => ev.preventDefault());
  (async () => { data = await api("GET", "/api/manage/catalog"); choices(); show(null); })();
})();
