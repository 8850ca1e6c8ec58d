"use strict";
(() => {
  const {api, el, rows, today, boot} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("filter");
  const names = {"window.login": "登录窗口", "window.logout": "退出窗口", "window.call_next": "叫号", "window.recall": "重呼",
    "window.skip": "过号", "window.start": "开始办理", "window.finish": "办结", "window.transfer": "转移",
    "window.pause": "暂停服务", "window.resume": "恢复服务", "ticket.requeue": "过号重排", "ticket.face_verify": "人工核验通过", "console.login": "登录后台", "console.login_failed": "登录失败",
    "console.takeover": "接管窗口", "staff.add": "新增账号", "staff.set_password": "重设密码", "staff.set_active": "启用/停用账号",
    "evaluation.rectify": "差评整改", "booking.capacity": "设置预约人数"};
  const channels = {web: "网页", mqtt: "呼叫器"};
  for (const w of boot.windows) form.elements.window.append(el("option", {value: w.id}, w.name));
  form.elements.date.value = today();
  const time = (ts) => new Date(ts * 1000).toLocaleTimeString("zh-CN", {hour12: false});
  const keys = {result: "结果", staff: "工号", address: "地址", cause: "原因", action: "整改措施", callback: "回访结果",
    reason: "原因", to_category: "转到业务", to_window: "转到窗口", outcome: "结果", from: "原登录", staff_id: "工号",
    name: "姓名", role: "角色", active: "启用", ticket_status: "号的去向",
    category: "业务", slot: "时段", capacity: "可约人数"};
  const values = {ok: "成功", done: "办结", not_done: "未办结", true: "是", false: "否", no_show: "过号", called: "已叫号",
    serving: "办理中", waiting: "等候", conflict: "被拒绝"};
  const category = Object.fromEntries(boot.categories.map((c) => [c.id, c.name]));
  const windowName = Object.fromEntries(boot.windows.map((w) => [w.id, w.name]));
  const shown = (k, v) => (k === "to_category" ? category[v] : k === "to_window" ? windowName[v] : null) ||
    (typeof v === "object" ? JSON.stringify(v) : values[v] || v);
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
