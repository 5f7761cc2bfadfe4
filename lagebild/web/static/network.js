// The network page: fetch /api/graph for the chosen date range, lay it out with a small force
// simulation and draw it as SVG. Only textContent and setAttribute are used: labels are untrusted.
"use strict";
(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const W = 900, H = 600;
  const box = document.getElementById("net");
  const side = document.getElementById("evidence");
  const form = document.getElementById("range");
  if (!box) return;

  function el(name, attrs, text) {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function html(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function layout(nodes, edges) {
    const n = nodes.length, idx = new Map();
    nodes.forEach((nd, i) => {
      idx.set(nd.key, i);
      const a = (2 * Math.PI * i) / Math.max(1, n);
      nd.x = W / 2 + (W / 3) * Math.cos(a);
      nd.y = H / 2 + (H / 3) * Math.sin(a);
    });
    const links = edges.map((e) => [idx.get(e.source), idx.get(e.target), e.weight]);
    const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.5;
    let t = W / 8;
    for (let it = 0; it < 300; it++) {
      const dx = new Float64Array(n), dy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ddx = nodes[i].x - nodes[j].x, ddy = nodes[i].y - nodes[j].y;
          let d2 = ddx * ddx + ddy * ddy;
          if (d2 < 0.01) { ddx = Math.random() - 0.5; ddy = Math.random() - 0.5; d2 = 0.5; }
          if (d2 > 9 * k * k) continue;   // repulsion only nearby, or gravity loses to far-away nodes
          const f = (k * k) / d2;
          dx[i] += ddx * f; dy[i] += ddy * f; dx[j] -= ddx * f; dy[j] -= ddy * f;
        }
      }
      for (const [a, b, w] of links) {
        const ddx = nodes[a].x - nodes[b].x, ddy = nodes[a].y - nodes[b].y;
        const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
        const f = (d / k) * (1 + Math.log1p(w) * 0.3);
        dx[a] -= ddx * f; dy[a] -= ddy * f; dx[b] += ddx * f; dy[b] += ddy * f;
      }
      for (let i = 0; i < n; i++) {
        dx[i] += (W / 2 - nodes[i].x) * 0.05; dy[i] += (H / 2 - nodes[i].y) * 0.05;   // gravity keeps components together
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const s = Math.min(d, t) / d;
        nodes[i].x = Math.min(W - 40, Math.max(40, nodes[i].x + dx[i] * s));
        nodes[i].y = Math.min(H - 25, Math.max(25, nodes[i].y + dy[i] * s));
      }
      t *= 0.985;
    }
    return idx;
  }

  function showEvidence(edge, byKey) {
    side.replaceChildren();
    const a = byKey.get(edge.source), b = byKey.get(edge.target);
    side.appendChild(html("h2", "", (a ? a.name : edge.source) + " — " + (b ? b.name : edge.target)));
    side.appendChild(html("p", "meta", "cooperation " + edge.cooperation + " · conflict " + edge.conflict +
      " · other " + edge.neutral + " · " + edge.events + " events"));
    const ol = html("ol", "evidence-list");
    for (const ev of edge.evidence) {
      const li = html("li", "pol-" + ev.polarity);
      li.appendChild(html("b", "", ev.type + " "));
      li.appendChild(html("span", "", "“" + (ev.sentence || ev.trigger || "") + "” "));
      const link = html("a", "evidence-link", ev.title || ev.doc_id.slice(0, 12));
      link.setAttribute("href", "/doc/" + encodeURIComponent(ev.doc_id) + "#e" + Number(ev.idx));
      li.appendChild(link);
      if (ev.date) li.appendChild(html("span", "meta", " " + ev.date));
      ol.appendChild(li);
    }
    side.appendChild(ol);
  }

  function draw(data) {
    box.replaceChildren();
    if (!data.nodes.length) {
      box.appendChild(html("p", "empty", "No relations between actors in this range."));
      return;
    }
    const byKey = new Map(data.nodes.map((n) => [n.key, n]));
    const idx = layout(data.nodes, data.edges);
    const svg = el("svg", { viewBox: "0 0 " + W + " " + H, class: "network", role: "img",
                            "aria-label": "actor network" });
    const maxW = Math.max(1, ...data.edges.map((e) => e.weight));
    for (const e of data.edges) {
      const a = data.nodes[idx.get(e.source)], b = data.nodes[idx.get(e.target)];
      const g = el("g", { class: "edge pol-" + e.polarity, "data-source": e.source, "data-target": e.target, tabindex: 0 });
      g.appendChild(el("title", {}, (a.name || a.key) + " — " + (b.name || b.key) + ": " +
        Object.entries(e.types).map(([t, c]) => t + " ×" + c).join(", ")));
      g.appendChild(el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "hit" }));
      g.appendChild(el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "stroke",
                                 "stroke-width": (1.5 + 7 * e.weight / maxW).toFixed(1) }));
      g.addEventListener("click", () => showEvidence(e, byKey));
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") showEvidence(e, byKey); });
      svg.appendChild(g);
    }
    const maxN = Math.max(1, ...data.nodes.map((n) => n.weight));
    for (const n of data.nodes) {
      const g = el("g", { class: "node kind-" + n.kind, "data-key": n.key, tabindex: 0 });
      g.appendChild(el("title", {}, (n.name || n.key) + (n.country ? " (" + n.country + ")" : "")));
      g.appendChild(el("circle", { cx: n.x, cy: n.y, r: (6 + 12 * Math.sqrt(n.weight / maxN)).toFixed(1) }));
      const right = n.x > W - 160;   // labels near the right edge grow leftwards
      g.appendChild(el("text", { x: right ? n.x - 10 : n.x + 10, y: n.y - 10, "text-anchor": right ? "end" : "start" },
                       n.name || n.key));
      const open = () => {
        if (data.group === "country") {
          const f = document.getElementById("group");
          if (f) { f.value = "actor"; reload(); }
        } else {
          window.location.href = "/actor/" + encodeURIComponent(n.key);
        }
      };
      g.addEventListener("click", open);
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
      svg.appendChild(g);
    }
    box.appendChild(svg);
  }

  function params() {
    const p = new URLSearchParams();
    const f = document.getElementById("from"), t = document.getElementById("to"), g = document.getElementById("group");
    if (f && f.value) p.set("from", f.value);
    if (t && t.value) p.set("to", t.value);
    if (g && g.value) p.set("group", g.value);
    return p;
  }

  function reload() {
    const p = params();
    history.replaceState(null, "", "/network" + (p.toString() ? "?" + p.toString() : ""));
    fetch("/api/graph?" + p.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        if (!ok) { box.replaceChildren(html("p", "error", body.error ? body.error.message : "error")); return; }
        draw(body);
        box.setAttribute("data-ready", "1");
      })
      .catch((err) => box.replaceChildren(html("p", "error", String(err))));
  }

  if (form) {
    form.addEventListener("submit", (ev) => { ev.preventDefault(); reload(); });
    form.addEventListener("change", reload);
  }
  reload();
})();
