"use strict";
(() => {
  const {api, el, rows, today, boot} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("filter");
  const names = {"window.login": "登录窗口", "window.logout": "退出窗口", "window.call_next": "叫号", "window.recall": "重呼",
    "window.skip": "过号", "window.start": "开始办理", "window.finish": "办结", "window.transfer": "转移",
    "window.pause": "暂停服务", "window.resume": "恢复服务", "console.login": "登录后台", "console.login_failed": "登录失败",
    "console.takeover": "接管窗口", "staff.add": "新增账号", "staff.set_password": "重设密码", "staff.set_active": "启用/停用账号",
    "evaluation.rectify": "差评整改"};
  const channels = {web: "网页", mqtt: "呼叫器"};
  for (const w of boot.windows) form.elements.window.append(el("option", {value: w.id}, w.name));
  form.elements.date.value = today();
  const time = (ts) => new Date(ts * 1000).toLocaleTimeString("zh-CN", {hour12: false});
  const detail = (d) => Object.entries(d).map(([k, v]) => k + "=" + (typeof v === "object" ? JSON.stringify(v) : v)).join("，");

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
