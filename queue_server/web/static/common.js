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

  return {boot, api, live, el, rows, duration, clock, today, windowStates, roleNames, words};
})();
