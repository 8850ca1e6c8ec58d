"use strict";
(() => {
  const {api, live, el, rows, duration, clock, windowStates, boot} = YC;
  const me = boot.session;
  const states = {};           // "queue/a/state" -> payload, from the live stream
  let info = null;             // GET /api/window: name, categories, today's figures
  let stopped = false;
  const $ = (id) => document.getElementById(id);
  // Which buttons make sense in which window state (the server checks again).
  const allowed = {
    idle: ["call_next", "pause"],
    calling: ["recall", "start", "finish", "finish_not_done", "skip", "transfer"],
    serving: ["finish", "finish_not_done", "transfer"],
    paused: ["resume"],
    closed: [],
  };

  const mine = () => states["window/" + me.window + "/state"] || {state: "closed"};

  function render() {
    const w = mine();
    $("window-name").textContent = info ? info.name : "";
    $("staff-name").textContent = me.name;
    $("window-state").textContent = windowStates[w.state] + (w.state === "paused" && w.reason ? "：" + w.reason : "");
    $("window-state").dataset.state = w.state;
    $("ticket").textContent = w.ticket || "—";
    $("ticket-info").textContent = w.ticket ? (w.state === "serving" ? "正在办理" : "已叫号，等待群众到窗口") : (w.state === "idle" ? "请叫下一位" : "");
    document.querySelectorAll("[data-action]").forEach((b) => {
      const ok = !stopped && (allowed[w.state] || []).includes(b.dataset.action);
      b.disabled = !ok;
      b.hidden = (b.dataset.action === "pause" && w.state === "paused") || (b.dataset.action === "resume" && w.state !== "paused");
    });
    if (!info) return;
    rows($("queues").tBodies[0], info.categories.map((c) => states["queue/" + c + "/state"]).filter(Boolean),
      (q) => [q.prefix + " " + q.name, el("b", {class: "count"}, q.waiting + "人"), (q.next || []).join(" ")]);
    const t = info.today;
    $("today").replaceChildren(...[["办结", t.served + "件"], ["过号", t.no_show + "个"], ["转移", t.transferred + "个"],
      ["平均办理", duration(t.avg_handle_s)], ["平均等候", duration(t.avg_wait_s)]]
      .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  }

  async function refreshInfo() {
    try { info = await api("GET", "/api/window"); } catch (e) { if (lost(e)) return; }
    render();
  }

  function say(text, bad) {
    $("message").textContent = text;
    $("message").classList.toggle("error", !!bad);
  }

  async function act(action, args) {
    const path = action === "finish_not_done" ? "finish" : action;
    if (action === "finish_not_done") args = {outcome: "not_done"};
    try {
      const data = await api("POST", "/api/window/" + path, args || {});
      const t = data.ticket;
      const done = {call_next: "已叫号", recall: "已重呼", start: "开始办理", finish: "已办结", finish_not_done: "已记为未办结",
        skip: "已过号", transfer: "已转移", pause: "已暂停服务", resume: "已恢复服务"}[action];
      say(t ? done + " " + t.number + (action === "recall" ? "（第" + t.attempt + "次）" : "") + " · " + clock(Date.now() / 1000) : done);
    } catch (e) {
      if (lost(e)) return;
      say(e.code === "no_ticket_waiting" ? "暂无等候的号" : e.message, true);
    }
  }

  // The window went to another browser or person, or the login itself is gone (the server
  // restarted: sessions live in its memory): stop at once and offer to log in again.
  function lost(e) {
    if (e.code === "taken_over") takenOver(e.message);
    else if (e.status === 401) takenOver("登录已失效（服务器重启或长时间未操作），请重新登录");
    else return false;
    return true;
  }

  function takenOver(text) {
    if (stopped) return;           // the first notice says why; later refusals only repeat it
    stopped = true;
    $("takeover-text").textContent = text;
    $("takeover").hidden = false;
    render();
  }

  const dialogs = {transfer: $("transfer-dialog"), pause: $("pause-dialog")};
  const tf = $("transfer-form");
  for (const c of boot.categories) tf.elements.to_category.append(el("option", {value: c.id}, c.prefix + " " + c.name));
  for (const w of boot.windows) if (w.id !== me.window) tf.elements.to_window.append(el("option", {value: w.id}, w.name));
  dialogs.transfer.addEventListener("close", () => {
    const v = dialogs.transfer.returnValue, f = tf.elements;
    if (v !== "ok") return;
    if (!f.to_category.value && !f.to_window.value) return say("请选择要转到的业务类别或窗口", true);
    act("transfer", f.to_window.value ? {to_window: f.to_window.value} : {to_category: f.to_category.value});
  });
  dialogs.pause.addEventListener("close", () => {
    if (dialogs.pause.returnValue === "ok") act("pause", {reason: $("pause-form").elements.reason.value});
  });

  // Enter confirms a dialog wherever the focus is (a focused <select> would swallow it), Esc cancels.
  for (const d of Object.values(dialogs)) {
    d.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); d.close("ok"); } });
  }

  // One target only: picking a category clears the window and the other way round.
  tf.elements.to_category.addEventListener("change", () => { if (tf.elements.to_category.value) tf.elements.to_window.value = ""; });
  tf.elements.to_window.addEventListener("change", () => { if (tf.elements.to_window.value) tf.elements.to_category.value = ""; });

  function press(action) {
    if (dialogs[action]) {
      if (action === "transfer") tf.reset();       // never the last transfer's target again
      dialogs[action].returnValue = "";
      dialogs[action].showModal();
      return;
    }
    act(action);
  }

  document.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => press(b.dataset.action)));
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat) return;
    if (document.querySelector("dialog[open]") || /INPUT|SELECT|TEXTAREA/.test(ev.target.tagName)) return;
    const button = [...document.querySelectorAll("[data-key]")].find((b) => b.dataset.key === ev.key.toLowerCase() && !b.hidden && !b.disabled);
    if (button) { ev.preventDefault(); press(button.dataset.action); }
  });

  live("/api/events", {
    snapshot: (s) => { Object.assign(states, s.states); render(); refreshInfo(); },
    state: (m) => { states[m.key] = m.value; render(); if (m.key === "window/" + me.window + "/state") refreshInfo(); },
    takeover: (m) => takenOver(m.message),
  });
})();
