"use strict";
(() => {
  const {api, el, rows, roleNames, words} = YC;
  const $ = (id) => document.getElementById(id);

  async function change(s, body, done) {
    try { await api("POST", "/api/staff/" + encodeURIComponent(s.staff_id), body); $("error").textContent = done; load(); }
    catch (e) { $("error").textContent = e.message; }
  }

  async function load() {
    const list = await api("GET", "/api/staff");
    rows($("accounts").tBodies[0], list, (s) => [s.staff_id, s.name, roleNames[s.role], s.active ? "启用" : "停用",
      el("span", {},
        el("button", {type: "button", onclick: () => {
          const p = prompt("为 " + s.name + " 设置新密码（至少8位，不能太常见）");
          if (p) change(s, {password: p}, "已为 " + s.name + " " + words.audit["staff.set_password"]);
        }}, words.audit["staff.set_password"]), " ",
        el("button", {type: "button", onclick: () => change(s, {active: !s.active}, (s.active ? "已停用 " : "已启用 ") + s.name)},
          s.active ? "停用" : "启用"))]);
  }

  $("add").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    try {
      await api("POST", "/api/staff", {staff_id: f.staff_id.value.trim(), name: f.name.value.trim(), role: f.role.value, password: f.password.value});
      $("error").textContent = "已新增 " + f.name.value;
      ev.target.reset();
      load();
    } catch (e) { $("error").textContent = e.message; }
  });
  load();
})();
