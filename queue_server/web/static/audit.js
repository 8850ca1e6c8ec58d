"use strict";
(() => {
  const {api, el, rows, today, boot, words} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("filter");
  const names = words.audit;
  const channels = {web: "网页", mqtt: "呼叫器"};
  for (const w of boot.windows) form.elements.window.append(el("option", {value: w.id}, w.name));
  form.elements.date.value = today();
  const time = (ts) => new Date(ts * 1000).toLocaleTimeString("zh-CN", {hour12: false});
  const keys = {result: "结果", staff: "工号", address: "地址", cause: "原因", action: "整改措施", callback: "回访结果",
    reason: "原因", to_category: "转到业务", to_window: "转到窗口", outcome: "结果", from: "原登录", staff_id: "工号",
    name: "姓名", role: "角色", active: "启用", ticket_status: "号的去向",
    category: "业务", slot: "时段", capacity: "可约人数"};
  const values = {ok: "成功", done: words.action.finish, not_done: "未办结", true: "是", false: "否", conflict: "被拒绝"};
  const category = Object.fromEntries(boot.categories.map((c) => [c.id, c.name]));
  const windowName = Object.fromEntries(boot.windows.map((w) => [w.id, w.name]));
  const shown = (k, v) => (k === "to_category" ? category[v] : k === "to_window" ? windowName[v] :
    k === "ticket_status" ? words.status[v] : null) ||
    (typeof v === "object" ? JSON.stringify(v) : values[v] || words.status[v] || v);
  const detail = (d) => Object.entries(d).map(([k, v]) => (keys[k] || k) + "：" + shown(k, v)).join("，");

  async function load() {
    const q = new URLSearchParams({date: form.elements.date.value});
    if (form.elements.window.value) q.set("window", form.elements.window.value);
    if (form.elements.staff.value.trim()) q.set("staff", form.elements.staff.value.trim());
    const list = await api("GET", "/api/audit?" + q);
    rows($("log").tBodies[0], list, (a) => [time(a.ts), a.staff || "—", a.window || "—", names[a.action] || a.action,
      a.ticket || "", detail(a.details), channels[a.channel] || a.channel]);
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();
