// payproc SRE console: polls GET /admin/console/feed each second with the admin key (a header, never in a URL)
// and draws it; tuning goes through the existing GET/PUT /admin/config and GET /admin/audit. Plain JS, no build.
"use strict";

const KEY_STORE = "payproc.adminKey";
const KEEP_SECONDS = 300;
const OUTCOMES = [["APPROVED", "#2fbf71"], ["DECLINED", "#ef4e4e"], ["CHALLENGE", "#f0b429"], ["REVIEW", "#4c9aff"]];
const STAGES = [["end_to_end", "#dde3ea"], ["intake_queue", "#4c9aff"], ["risk", "#b78cff"], ["settlement_queue", "#f0b429"], ["commit", "#2fbf71"]];
const TUNABLES = [
  ["maxInFlight", "admission limit (in flight)"],
  ["settlementBatchCap", "settlement batch cap"],
  ["terminalRatePerSecond", "per-terminal rate / s (0 = none)"],
  ["merchantRatePerSecond", "per-merchant rate / s (0 = none)"],
];
const ERROR_COLOURS = ["#ef4e4e", "#f0b429", "#ff8a4c", "#b78cff", "#4cd3ff", "#ff6ec7"];

const $ = (id) => document.getElementById(id);
let adminKey = sessionStorage.getItem(KEY_STORE);
let samples = [];          // the feed's per-second series, oldest first
let lastT = null;          // newest sample time received, for ?since=
let charts = {};
let errorStatuses = "";    // the status codes the error chart was built for
let pollTimer = null, slowTimer = null;

// ---- talking to the processor ----

function adminFetch(path, options = {}) {
  const headers = Object.assign({ "Authorization": "Bearer " + adminKey }, options.headers || {});
  return fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
}

async function readError(res) {
  try { return await res.json(); } catch (e) { return { message: res.status + " " + res.statusText }; }
}

function refused(status) { return status === 401 || status === 403; }

// ---- sign in and out ----

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  adminKey = $("login-key").value.trim();
  $("login-error").textContent = "";
  let res;
  try {
    res = await adminFetch("/admin/console/feed?since=" + Date.now());
  } catch (e) {
    $("login-error").textContent = "The processor did not answer: " + e.message;
    return;
  }
  if (refused(res.status)) {
    const body = await readError(res);
    signOut("Key refused (" + res.status + "): " + (body.message || "not the admin key"));
    return;
  }
  sessionStorage.setItem(KEY_STORE, adminKey);
  start();
});

$("sign-out").addEventListener("click", () => signOut(""));

function signOut(message) {
  clearTimeout(pollTimer);
  clearInterval(slowTimer);
  adminKey = null;
  sessionStorage.removeItem(KEY_STORE);
  $("login-key").value = "";
  $("login-error").textContent = message;
  $("dashboard").hidden = true;
  $("meta").hidden = true;
  $("login").hidden = false;
}

function start() {
  $("login").hidden = true;
  $("dashboard").hidden = false;
  $("meta").hidden = false;
  samples = [];
  lastT = null;
  buildConfigRows();
  poll();
  loadConfigAndAudit();
  slowTimer = setInterval(loadConfigAndAudit, 5000);
}

// ---- the feed ----

async function poll() {
  try {
    const res = await adminFetch("/admin/console/feed" + (lastT === null ? "" : "?since=" + lastT));
    if (refused(res.status)) {
      signOut("The admin key was refused (" + res.status + ")");
      return;
    }
    if (!res.ok) throw new Error("feed answered " + res.status);
    render(await res.json());
    setLive(true);
  } catch (e) {
    setLive(false, e.message);
  }
  pollTimer = setTimeout(poll, 1000);
}

function setLive(live, why) {
  const pill = $("live");
  pill.textContent = live ? "LIVE" : "STALE";
  pill.className = "pill " + (live ? "live" : "stale");
  pill.title = live ? "" : why || "";
}

function render(feed) {
  for (const s of feed.series) samples.push(s);
  if (samples.length > KEEP_SECONDS) samples = samples.slice(samples.length - KEEP_SECONDS);
  if (samples.length) lastT = samples[samples.length - 1].t;
  $("updated").textContent = clock(feed.at);
  $("rule-version").textContent = "v" + feed.risk.ruleSetVersion;
  renderAlerts(feed.alerts);
  renderTiles(feed);
  renderCharts();
  renderQueues(feed);
  renderStageTable(feed.latencyMs);
  renderReasons(feed.risk.topReasons);
  renderFlagged(feed.risk);
}

function codes(alerts) { return new Set(alerts.map((a) => a.code)); }

function renderAlerts(alerts) {
  const box = $("alerts");
  box.replaceChildren();
  if (!alerts.length) {
    box.append(el("div", "alert clear", "All clear: database up, breaker closed, queues below 80%, no drift from the baseline"));
    return;
  }
  const order = { critical: 0, warning: 1 };
  for (const a of alerts.slice().sort((x, y) => order[x.level] - order[y.level])) {
    const div = el("div", "alert " + a.level);
    div.append(el("b", null, a.level.toUpperCase() + " " + a.code), document.createTextNode(a.message));
    box.append(div);
  }
}

function tile(id, value, state, sub) {
  $(id).textContent = value;
  $("tile-" + id).className = "tile " + state;
  if (sub !== undefined) $(id + "-sub").textContent = sub;
}

function renderTiles(feed) {
  const h = feed.headline, alerts = codes(feed.alerts), q = feed.queues, db = feed.database;
  tile("rps", fmt(h.requestsPerSecond, 1), "", "last 5 s · " + fmt(h.decisionsPerSecond, 1) + " decisions/s");
  tile("p99", h.p99Ms === null ? "–" : fmt(h.p99Ms, h.p99Ms < 10 ? 2 : 1) + " ms",
    alerts.has("P99_LATENCY") ? "crit" : h.p99Ms === null ? "" : h.p99Ms < 100 ? "ok" : "warn");
  tile("decline", h.declinePercent === null ? "–" : fmt(h.declinePercent, 1) + "%",
    alerts.has("DECLINE_RATE") ? "crit" : h.declinePercent === null ? "" : h.declinePercent < 10 ? "ok" : "warn");
  tile("errors", fmt(h.errorsPerSecond, 1), alerts.has("SERVER_ERRORS") ? "crit" : h.errorsPerSecond > 0 ? "warn" : "ok",
    "last 5 s · " + (h.errorPercent === null ? "–" : fmt(h.errorPercent, 2) + "%") + " of the last minute");
  const fill = q.inFlight.current / q.inFlight.limit;
  tile("inflight", String(q.inFlight.current), fill >= 0.95 ? "crit" : fill >= 0.8 ? "warn" : "ok", "limit " + q.inFlight.limit);
  tile("db", db.up ? "UP" : "DOWN", !db.up || db.breaker === "OPEN" ? "crit" : db.breaker === "HALF_OPEN" ? "warn" : "ok",
    "breaker " + db.breaker + (db.breakerFailurePercent === null ? "" : " · " + fmt(db.breakerFailurePercent, 1) + "% failing"));
}

// ---- charts (uPlot) ----

function chart(id, series, opts = {}) {
  const target = $(id);
  if (charts[id]) charts[id].destroy();
  const axis = { stroke: "#8c97a6", grid: { stroke: "#222b38", width: 1 }, ticks: { stroke: "#263041", width: 1 } };
  charts[id] = new uPlot(Object.assign({
    width: target.clientWidth || 600,
    height: (target.clientHeight || 210) - 30,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max * 1.1, opts.minMax || 1)] } },
    axes: [axis, Object.assign({ size: 50 }, axis)],
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
    series: [{}].concat(series.map(([label, stroke, dash]) => ({ label, stroke, width: 1.6, dash, spanGaps: false,
      value: (u, v) => v === null || v === undefined ? "–" : fmt(v, v < 10 ? 2 : 1) }))),
  }, opts.extra || {}), [[]], target);
}

function ensureCharts() {
  if (!charts["chart-outcomes"]) {
    chart("chart-outcomes", OUTCOMES.map(([n, c]) => [n, c]));
    chart("chart-e2e", [["p50", "#2fbf71"], ["p99", "#f0b429"], ["p99.9", "#ef4e4e"]]);
    buildStageChart();
    chart("chart-queues", [["intake", "#4c9aff"], ["settlement", "#f0b429"], ["in flight", "#dde3ea"]]);
  }
  const statuses = [...new Set(samples.flatMap((s) => Object.keys(s.errors)))].sort();
  if (!charts["chart-errors"] || statuses.join() !== errorStatuses) {
    errorStatuses = statuses.join();
    chart("chart-errors", [["all errors", "#dde3ea", [4, 4]]].concat(statuses.map((s, i) => [s, ERROR_COLOURS[i % ERROR_COLOURS.length]])));
  }
}

function buildStageChart() {
  chart("chart-stages", STAGES.map(([n, c]) => [n, c]), { minMax: 0.1 });
}

$("stage-quantile").addEventListener("change", renderCharts);

function renderCharts() {
  if (!samples.length) return;
  ensureCharts();
  const x = samples.map((s) => s.t / 1000);
  const col = (f) => samples.map(f);
  charts["chart-outcomes"].setData([x].concat(OUTCOMES.map(([n]) => col((s) => s.decisions[n]))));
  const e2e = (i) => col((s) => s.latencyMs.end_to_end ? s.latencyMs.end_to_end[i] : null);
  charts["chart-e2e"].setData([x, e2e(0), e2e(1), e2e(2)]);
  const qi = Number($("stage-quantile").value);
  charts["chart-stages"].setData([x].concat(STAGES.map(([n]) => col((s) => s.latencyMs[n] ? s.latencyMs[n][qi] : null))));
  charts["chart-queues"].setData([x, col((s) => s.intakeDepth), col((s) => s.settlementDepth), col((s) => s.inFlight)]);
  const statuses = errorStatuses ? errorStatuses.split(",") : [];
  charts["chart-errors"].setData([x, col((s) => Object.values(s.errors).reduce((a, b) => a + b, 0))]
    .concat(statuses.map((st) => col((s) => s.errors[st] || 0))));
}

window.addEventListener("resize", () => {
  for (const [id, u] of Object.entries(charts)) u.setSize({ width: $(id).clientWidth, height: $(id).clientHeight - 30 });
});

// ---- queues, stages, risk ----

function bar(label, value, max, text, cls) {
  const row = el("div", "bar");
  const track = el("div", "track");
  const fill = el("div", "fill " + (cls || ""));
  fill.style.width = Math.min(100, max > 0 ? 100 * value / max : 0) + "%";
  track.append(fill);
  row.append(el("span", "label", label), track, el("span", "value", text));
  return row;
}

function level(value, max) { return value >= 0.95 * max ? "crit" : value >= 0.8 * max ? "warn" : ""; }

function renderQueues(feed) {
  const q = feed.queues, db = feed.database, b = feed.settlementBatch;
  const box = $("queues");
  box.replaceChildren(
    bar("in flight", q.inFlight.current, q.inFlight.limit, q.inFlight.current + " / " + q.inFlight.limit, level(q.inFlight.current, q.inFlight.limit)),
    bar("intake queue", q.intake.depth, q.intake.capacity, q.intake.depth + " / " + q.intake.capacity, level(q.intake.depth, q.intake.capacity)));
  q.settlement.forEach((w, i) => box.append(bar("settlement writer " + i, w.depth, w.capacity, w.depth + " / " + w.capacity, level(w.depth, w.capacity))));
  const rows = [
    ["database", db.up ? "up" : "DOWN"],
    ["circuit breaker", db.breaker + (db.breakerFailurePercent === null ? "" : " (" + fmt(db.breakerFailurePercent, 1) + "% failing)")],
    ["read pool", db.readPool.open + " of " + db.readPool.max + " connections open"],
    ["settlement writers", db.writers + ", one connection each"],
    ["batch size, last minute", b.p50 === null ? "no commits" : "p50 " + b.p50 + " · p99 " + b.p99 + " · max " + b.max],
    ["webhook backlog", feed.webhooks.backlog + " events · " + feed.webhooks.endpointsBehind + (feed.webhooks.endpointsBehind === 1 ? " endpoint" : " endpoints") + " behind · " + feed.webhooks.inFlight + " in flight"],
    ["webhooks parked", feed.webhooks.parked + " events"],
    ["open disputes", disputesText(feed.disputes)],
    ["cluster", clusterText(feed.cluster)],
  ];
  $("pipeline").replaceChildren(...rows.map(([k, v]) => { const tr = el("tr"); tr.append(el("td", null, k), el("td", null, v)); return tr; }));
}

// Cluster mode: members, partitions owned, and the forwarding rate from this poll's totals and the previous one's.
let lastCluster = null;
function clusterText(c) {
  if (!c) return "single process";
  const now = Date.now();
  let rate = "";
  if (lastCluster && now > lastCluster.at) {
    const s = (now - lastCluster.at) / 1000;
    rate = " · forwarding " + fmt((c.forwardedOut - lastCluster.out) / s, 1) + "/s out, " + fmt((c.forwardedIn - lastCluster.in) / s, 1) + "/s in";
  }
  lastCluster = { at: now, out: c.forwardedOut, in: c.forwardedIn };
  const p99 = c.forwardLatencyMs && c.forwardLatencyMs.p99 !== null && c.forwardLatencyMs.p99 !== undefined ? " · forward p99 " + fmt(c.forwardLatencyMs.p99, 1) + " ms" : "";
  return c.members + (c.members === 1 ? " member" : " members") + " · owns " + c.partitionsOwned + " of " + c.partitions + " partitions"
    + rate + " · " + c.forwardedOut + " forwarded out, " + c.forwardedIn + " in, " + c.forwardFailures + " failed" + p99;
}

// Undecided disputes (open or with evidence submitted) and the amount they hold, per currency in its own decimals.
function disputesText(d) {
  if (!d || d.asOf === null) return "not read yet";
  const held = d.byCurrency.map(c => (c.amountDecimal === null ? c.amount : c.amountDecimal) + " " + c.currency + " (" + c.count + ")");
  return d.open + (d.open === 1 ? " dispute" : " disputes") + (held.length ? " · " + held.join(" · ") : "");
}

function renderStageTable(latency) {
  const body = $("stage-table").tBodies[0];
  body.replaceChildren(...STAGES.map(([n]) => {
    const q = latency[n], tr = el("tr");
    tr.append(el("td", null, n.replace(/_/g, " ")));
    for (const k of ["p50", "p99", "p999", "max"]) tr.append(el("td", null, q[k] === null ? "–" : fmt(q[k], q[k] < 10 ? 3 : 1)));
    return tr;
  }));
}

function renderReasons(top) {
  const box = $("reasons");
  if (!top.length) {
    box.replaceChildren(el("p", "empty", "No rule fired in the last minute."));
    return;
  }
  const max = top[0].count;
  box.replaceChildren(...top.map((r) => bar(r.code, r.count, max, String(r.count), "crit")));
}

function money(amount, currency) {
  let digits = 2;
  try { digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits; } catch (e) { /* unknown code */ }
  return (amount / Math.pow(10, digits)).toFixed(digits) + " " + currency;
}

function renderFlagged(risk) {
  $("flagged-asof").textContent = risk.flaggedAsOf ? "as of " + clock(risk.flaggedAsOf) : "";
  const body = $("flagged").tBodies[0];
  if (!risk.flagged.length) {
    const tr = el("tr"), td = el("td", "empty", "None yet.");
    td.colSpan = 7;
    tr.append(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...risk.flagged.map((p) => {
    const tr = el("tr");
    tr.dataset.id = p.id;
    const reasons = el("td", "reasons");
    for (const r of p.reasons) {
      const span = el("span", "reason");
      span.title = r.code + ": " + r.message;
      span.append(el("span", "code", r.code), el("span", "msg", r.message));
      reasons.append(span);
    }
    tr.append(el("td", "mono", clock(p.at)), td(el("span", "badge " + p.status, p.status)),
      el("td", "mono", money(p.amount, p.currency)), el("td", "card", p.card),
      el("td", null, p.merchantId + " / " + p.terminalId), el("td", "mono", String(p.riskScore)), reasons);
    return tr;
  }));
}

// ---- tuning ----

function buildConfigRows() {
  $("config-rows").replaceChildren(...TUNABLES.map(([field, label]) => {
    const tr = el("tr");
    const input = el("input");
    input.id = "cfg-" + field;
    input.name = field;
    input.inputMode = "numeric";
    input.placeholder = "unchanged";
    const cell = el("td");
    cell.append(input, Object.assign(el("span", "field-error"), { id: "err-" + field }));
    tr.append(el("td", null, label), Object.assign(el("td", "mono"), { id: "cfg-now-" + field }), cell);
    return tr;
  }), ...[["queueCapacity", "queue capacity (fixed at start)"], ["riskRulesVersion", "risk rule-set version"]].map(([field, label]) => {
    const tr = el("tr");
    tr.append(el("td", null, label), Object.assign(el("td", "mono"), { id: "cfg-now-" + field }), el("td"));
    return tr;
  }));
}

function showConfig(c) {
  for (const k of Object.keys(c)) { const cell = $("cfg-now-" + k); if (cell) cell.textContent = c[k]; }
}

async function loadConfigAndAudit() {
  try {
    const [cfg, audit] = await Promise.all([adminFetch("/admin/config"), adminFetch("/admin/audit?limit=10")]);
    if (refused(cfg.status) || refused(audit.status)) { signOut("The admin key was refused (" + cfg.status + ")"); return; }
    if (cfg.ok) showConfig(await cfg.json());
    if (audit.ok) renderAudit((await audit.json()).entries);
  } catch (e) { /* the feed's pill already says the processor is not answering */ }
}

function renderAudit(entries) {
  $("audit").tBodies[0].replaceChildren(...entries.map((e) => {
    const tr = el("tr");
    const detail = el("td", "mono", e.detail.length > 90 ? e.detail.slice(0, 90) + "…" : e.detail);
    detail.title = e.detail;
    tr.append(el("td", "mono", String(e.seq)), el("td", "mono", new Date(e.at).toLocaleString("en-GB")), el("td", null, e.actor),
      el("td", null, e.action), detail);
    return tr;
  }));
}

$("config-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const message = $("cfg-message");
  for (const [field] of TUNABLES) { $("err-" + field).textContent = ""; $("cfg-" + field).classList.remove("invalid"); }
  const change = {};
  for (const [field] of TUNABLES) {
    const raw = $("cfg-" + field).value.trim();
    // A number when it reads as one; anything else goes as typed, so the server's own validation answers it.
    if (raw !== "") change[field] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  if (!Object.keys(change).length) { note("Type a new value first.", "bad"); return; }
  note("Applying…", "");
  try {
    const res = await adminFetch("/admin/config", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(change) });
    if (refused(res.status)) { signOut("The admin key was refused (" + res.status + ")"); return; }
    if (res.ok) {
      showConfig(await res.json());
      for (const [field] of TUNABLES) $("cfg-" + field).value = "";
      note("Applied: " + Object.entries(change).map(([k, v]) => k + " = " + v).join(", "), "ok");
      loadConfigAndAudit();
      return;
    }
    const body = await readError(res);
    const at = body.field && $("err-" + body.field);
    if (at) {
      at.textContent = body.message;
      $("cfg-" + body.field).classList.add("invalid");
      note("Not applied: nothing changed.", "bad");
    } else {
      note("Not applied: " + (body.field ? body.field + " " : "") + body.message, "bad");
    }
  } catch (e) {
    note("Not applied: " + e.message, "bad");
  }
});

function note(text, cls) { const m = $("cfg-message"); m.textContent = text; m.className = "note " + cls; }

// ---- helpers ----

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;  // never innerHTML: every string here came from the network
  return e;
}

function td(child) { const c = el("td"); c.append(child); return c; }

function clock(t) { return new Date(t).toLocaleTimeString("en-GB"); }

function fmt(v, digits) { return v === null || v === undefined ? "–" : Number(v).toFixed(digits); }

if (adminKey) start();
