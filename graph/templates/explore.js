// The served explorer: draw a focus, and add a node's neighbours when it is clicked.
//
// Every answer comes from the server the page came from (GET /explore/neighbourhood); every
// text it holds reaches the page as text (textContent, vis-network's canvas), never as markup.
"use strict";

(function () {
  const limits = JSON.parse(document.getElementById("limits").textContent);
  const status = document.getElementById("status");
  const panel = document.getElementById("panel");
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const network = new vis.Network(
    document.getElementById("graph"),
    { nodes, edges },
    {
      physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 140 } },
      interaction: { hover: true },
      edges: { arrows: { to: { enabled: true, scaleFactor: 0.6 } }, smooth: false },
      nodes: { font: { size: 14 } },
    },
  );
  const expanded = new Set();

  // The layout settles once after each answer, then stands still, so a node stays where
  // the reader saw it (and clicks it).
  network.on("stabilized", () => {
    network.setOptions({ physics: { enabled: false } });
    document.body.dataset.settled = "true";
  });

  function settle() {
    document.body.dataset.settled = "false";
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(150);
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function short(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  async function ask(params) {
    const url = "/explore/neighbourhood?" + new URLSearchParams(params).toString();
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  function add(answer) {
    const before = nodes.length;
    const from = nodes.get(answer.node) ? network.getPositions([answer.node])[answer.node] : null;
    answer.nodes.forEach((n, i) => {
      const shown = {
        id: n.id,
        label: short(n.label, 48),
        title: n.label + "\n" + n.kindLabel + " · " + n.links + " links",
        shape: n.shape,
        color: n.color,
        borderWidth: n.hub ? 4 : 1,
        data: n,
      };
      if (nodes.get(n.id)) {
        nodes.update(shown);
      } else {
        if (from) {
          // New neighbours start around the node they were asked for.
          const angle = (2 * Math.PI * i) / answer.nodes.length;
          shown.x = from.x + 120 * Math.cos(angle);
          shown.y = from.y + 120 * Math.sin(angle);
        }
        nodes.add(shown);
      }
    });
    for (const e of answer.edges) {
      const id = e.from + " " + e.kind + " " + e.to;
      if (!edges.get(id)) {
        edges.add({ id, from: e.from, to: e.to, color: e.color, title: e.label, kind: e.kind });
      }
    }
    expanded.add(answer.node);
    const added = nodes.length - before;
    if (answer.crowded) {
      say(
        "This node has " + answer.links + " links, more than one answer holds (" +
          limits.maxNodes + "); draw them with: map --focus " + answer.node,
        false,
      );
    } else {
      say("Added " + added + " node" + (added === 1 ? "" : "s") + "; " + nodes.length + " drawn.");
    }
    document.body.dataset.drawn = String(nodes.length);
    settle();
  }

  function show(id) {
    const n = nodes.get(id).data;
    panel.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = n.label;
    const list = document.createElement("dl");
    for (const [term, value] of [
      ["Kind", n.kindLabel],
      ["Links", n.links + (n.hub ? " (a hub: more than " + limits.hubLinks + ")" : "")],
      ["IRI", n.id],
      ["Neighbours", expanded.has(n.id) ? "drawn" : "click the node to add them"],
    ]) {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    }
    panel.append(h, list);
  }

  async function expand(params) {
    say("Asking the server…");
    try {
      add(await ask(params));
    } catch (error) {
      say(error.message, true);
    }
  }

  network.on("click", (event) => {
    if (!event.nodes.length) return;
    const id = event.nodes[0];
    show(id);
    if (!expanded.has(id)) expand({ node: id, depth: "1" }).then(() => show(id));
  });

  document.getElementById("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const focus = document.getElementById("focus").value.trim();
    if (!focus) return;
    nodes.clear();
    edges.clear();
    expanded.clear();
    expand({ focus, depth: "1" });
  });

  window.explorer = { network, nodes, edges, expand };
  const start = new URLSearchParams(location.search);
  if (start.get("node")) expand({ node: start.get("node"), depth: "1" });
  else if (start.get("focus")) {
    document.getElementById("focus").value = start.get("focus");
    expand({ focus: start.get("focus"), depth: "1" });
  }
  document.body.dataset.ready = "true";
})();
