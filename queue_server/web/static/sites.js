"use strict";
// 站点监控: every site of the county, its line, what it still owes and is owed, its last sync.
(() => {
  const {api, el, rows} = YC;
  const $ = (id) => document.getElementById(id);
  const KIND = {township: "乡镇便民服务中心", village: "村便民服务站"};
  const when = (ts) => ts ? new Date(ts * 1000).toLocaleString("zh-CN", {hour12: false}) : "从未";
  async function load() {
    try {
      const sites = await api("GET", "/api/manage/sites");
      rows($("sites").tBodies[0], sites, (s) => [
        s.name || s.site, KIND[s.kind] || s.kind,
        el("span", {class: "line-" + s.line, "data-site": s.site}, s.line_text),
        s.backlog, s.down_backlog,
        el("span", {class: s.stale ? "stale" : ""}, when(s.last_seen)), when(s.last_sync)]);
      $("none").hidden = sites.length > 0;
      $("error").hidden = true;
    } catch (e) {
      $("error").textContent = e.message;
      $("error").hidden = false;
    }
  }
  load();
  setInterval(load, 10000);
})();
