"use strict";
// Shared by every console page: boot data, API calls with the CSRF token, live updates.
const YC = (() => {
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const csrf = () => document.querySelector("meta[name=csrf]").content;

  async function api(method, path, body) {
    const init = {method, credentials: "same-origin", headers: {"X-CSRF-Token": csrf()}};
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      const err = new Error((data && data.error && data.error.message) || "请求失败（" + r.status + "）");
      err.code = data && data.error && data.error.code;
      err.status = r.status;
      throw err;
    }
    return data;
  }

  // Server-sent events with our own reconnect: the browser gives up for good after a non-200
  // answer (a server restarting behind a proxy), and a silent dead link is caught by the
  // watchdog (the server sends "ping" every 15 s). Each (re)connect starts with a full snapshot.
  // Returns {stop()} for a page that has nothing more to wait for.
  function live(url, handlers) {
    let source = null, retryTimer = null, watchdog = null;
    const banner = document.getElementById("offline");
    const online = (up) => { banner.hidden = up; document.body.classList.toggle("is-offline", !up); };
    const kick = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => { source.close(); online(false); retry(); }, 40000);
    };
    const retry = () => { clearTimeout(retryTimer); retryTimer = setTimeout(open, 1500); };
    function open() {
      if (source) source.close();
      source = new EventSource(url);
      source.onopen = () => { online(true); kick(); };
      source.onerror = () => { online(false); if (source.readyState === EventSource.CLOSED) retry(); };
      source.addEventListener("ping", kick);
      for (const [name, fn] of Object.entries(handlers)) {
        source.addEventListener(name, (ev) => { kick(); fn(JSON.parse(ev.data)); });
      }
      kick();
    }
    open();
    return {stop: () => { clearTimeout(retryTimer); clearTimeout(watchdog); source.close(); online(true); }};
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  function rows(tbody, list, cells) {
    tbody.replaceChildren(...list.map((item) => el("tr", {}, cells(item).map((c) => el("td", {}, c)))));
  }

  function duration(s) {
    if (s === null || s === undefined) return "—";
    const m = Math.round(s / 60);
    if (m < 1) return "不到1分钟";
    if (m < 60) return m + "分钟";
    return Math.floor(m / 60) + "小时" + (m % 60 ? (m % 60) + "分" : "");
  }

  function clock(ts) {
    if (!ts) return "";
    const d = new Date(ts * 1000);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  // The words people read come with the page (hall/words.py): no copies here.
  const words = boot.words;
  const windowStates = words.window_state;
  const roleNames = words.role;

  async function logout() {
    try { await api("DELETE", "/api/session"); } finally { location.href = "/login"; }
  }

  function chrome() {
    document.querySelectorAll("#hall-name").forEach((n) => { n.textContent = boot.hall; });
    const me = document.getElementById("me");
    if (me && boot.session) me.textContent = boot.session.name + "（" + roleNames[boot.session.role] + "）";
    document.querySelectorAll(".topnav a").forEach((a) => a.classList.toggle("active", a.dataset.page === boot.page));
    if (!boot.session || boot.session.role !== "admin") document.querySelectorAll(".admin-only").forEach((n) => n.remove());
    const out = document.getElementById("logout");
    if (out) out.addEventListener("click", logout);
  }
  chrome();

  // One case (bad rating or 办不成事 complaint) with the steps this viewer may take now: the
  // manager's page and the window's page show the same panel. The server checks again.
  // role(c): "manager", "lead" or "window"; post(number, step, body) -> the changed case;
  // evidence(number): the path of the case's evidence photos (the lead and managers only).
  function casePanel(node, {role, post, changed, evidence}) {
    const steps = boot.steps;
    const text = el("textarea", {maxlength: 500, rows: 3, id: "c-text"});
    const how = el("select", {id: "c-how"}, Object.entries(words.revisit_how).map(([k, v]) => el("option", {value: k}, v)));
    const at = el("input", {type: "datetime-local", id: "c-at"});
    const said = el("input", {maxlength: 500, id: "c-said"});
    const satisfied = el("input", {type: "checkbox", id: "c-satisfied"});
    const lead = el("input", {maxlength: 32, id: "c-lead"});
    const message = el("p", {class: "message", role: "status", id: "c-message"});
    async function show(c, notes) {
      const can = Object.keys(steps).filter((s) => steps[s].sources.includes(c.state) && steps[s].roles.includes(role(c)));
      const rows = [["工单类型", words.case_kind[c.kind]], ["事项", c.item_name], ["想办的事", c.tried],
        ["反映的问题", c.summary], ["评价", c.level ? words.rating[c.level] : ""], ["票号", c.ticket],
        ["部门", c.department], ["负责人", c.lead || "未指派"], ["渠道", words.case_channel[c.channel]],
        ["开单日期", c.opened_on], ["办理期限", c.due], ["联系电话", c.phone], ["整改/答复", c.answer],
        ["不属实理由", c.reason],
        ["回访", c.revisit ? words.revisit_how[c.revisit.how] + " " + c.revisit.at.replace("T", " ") + " " + c.revisit.said + (c.revisit.satisfied ? "（满意）" : c.revisit.satisfied === false ? "（不满意）" : "") : ""]];
      const button = (s) => el("button", {type: "button", "data-step": s, class: s === "close" || s === "confirm" ? "good" : "",
        onclick: () => act(c, s)}, words.case_action[s]);
      node.replaceChildren(
        el("div", {class: "number", id: "c-number"}, c.number),
        el("div", {}, el("span", {class: "badge", id: "c-state", "data-state": c.state}, words.case_state[c.state]), " ",
          el("span", {class: "deadline-" + c.deadline, id: "c-deadline"}, c.deadline_text)),
        el("dl", {class: "figures"}, rows.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
        (notes || []).length ? el("ol", {class: "notes"}, notes.map((n) => el("li", {}, clock(n.ts) + " " + (words.case_action[n.action] || n.action) + "：" + n.text))) : "",
        photos(c),
        can.length ? el("div", {class: "case-form"},
          el("label", {}, "整改措施 / 答复 / 理由 / 记录", text),
          can.includes("revisit") ? el("fieldset", {}, el("legend", {}, "回访"), el("label", {}, "方式 ", how),
            el("label", {}, "时间 ", at), el("label", {}, "群众意见 ", said), el("label", {class: "inline"}, satisfied, " 满意")) : "",
          can.includes("assign") ? el("label", {}, "负责人工号 ", lead) : "",
          el("div", {class: "buttons"}, can.map(button))) : el("p", {class: "muted"}, "当前没有您可以做的操作"),
        message);
    }
    // Evidence photos (整改材料): shown to the lead and managers, who may add one while the
    // case is live; the image bytes go as the body (sealed by the server).
    function photos(c) {
      if (!["lead", "manager"].includes(role(c))) return "";
      const path = evidence(c.number);
      const file = el("input", {type: "file", accept: "image/jpeg,image/png", id: "c-photo"});
      const add = async () => {
        if (!file.files.length) return;
        const r = await fetch(path, {method: "POST", credentials: "same-origin", body: file.files[0],
          headers: {"X-CSRF-Token": csrf(), "Content-Type": file.files[0].type || "application/octet-stream"}});
        const data = await r.json().catch(() => null);
        if (!r.ok) { message.textContent = (data && data.error && data.error.message) || "上传失败"; message.classList.add("error"); return; }
        changed(data.case);
        message.textContent = words.case_evidence.add + "：已保存";
      };
      const live = !["closed", "dismissed", "withdrawn"].includes(c.state);
      return el("div", {class: "evidence", id: "c-evidence"}, el("h3", {}, words.case_evidence.title),
        (c.evidence || []).map((e) => el("a", {href: path + "/" + e.index, target: "_blank"},
          el("img", {src: path + "/" + e.index, alt: words.case_evidence.title + (e.index + 1), height: 96}))),
        live ? el("div", {}, file, el("button", {type: "button", id: "c-photo-add", onclick: add}, words.case_evidence.add)) : "");
    }
    async function act(c, step) {
      const body = {text: text.value};
      if (step === "revisit") body.revisit = {how: how.value, at: at.value, said: said.value, satisfied: satisfied.checked};
      if (step === "assign") body.lead = lead.value;
      try {
        const r = await post(c.number, step, body);
        text.value = "";
        changed(r.case);
        message.textContent = words.case_action[step] + "：已保存";
      } catch (e) { message.textContent = e.message; message.classList.add("error"); }
    }
    return {show};
  }

  // A 办不成事 complaint as the phone page and the window's form both send it.
  function complaintBody(f) {
    const body = {tried: f.tried.value, problem: f.problem.value};
    if (f.item.value) body.item = f.item.value;
    if (f.phone.value) body.phone = f.phone.value;
    return body;
  }

  // The bar of a window's side pages (templates/window_bar.html): the window and who holds it.
  const bar = document.getElementById("window-bar");
  if (bar) {
    const me = boot.session || {};
    bar.querySelector("#window-name").textContent = (boot.windows.find((w) => w.id === me.window) || {}).name || "";
    bar.querySelector("#staff-name").textContent = me.name || "";
  }

  return {boot, api, live, el, rows, duration, clock, today, windowStates, roleNames, words, casePanel,
          complaintBody};
})();
