// The debate map's behaviour: details panel, filters, search, neighbourhood highlighting, reset.
// Corpus text only ever reaches the page through textContent (el() below), never innerHTML, and a
// link opens only an http(s) URL: a label that holds markup is shown as the characters it is.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("map-data").textContent);
  var options = JSON.parse(document.getElementById("map-options").textContent);
  var info = data.info;
  var ids = data.nodes.map(function (n) { return n.id; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  network.once("afterDrawing", function () { document.body.setAttribute("data-ready", "true"); });

  // Captions of the blocks under the debate, drawn on the canvas as text.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.fillStyle = "#f7f9fb";
    ctx.strokeStyle = "#e3e8ee";
    ctx.lineWidth = 1;
    data.lanes.forEach(function (b) {
      ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.strokeRect(b.x, b.y, b.w, b.h);
    });
    ctx.font = "600 22px system-ui, sans-serif";
    ctx.fillStyle = "#757575";
    ctx.textBaseline = "middle";
    data.captions.forEach(function (c) { ctx.fillText(c.text, c.x, c.y); });
    ctx.restore();
  });

  // The first view: the debate itself (claims, documents, authors, sections, topics), at a
  // scale where its words can be read; the outline and history wait under it.
  var MIN_SCALE = 0.7;
  function home() {
    var ids = data.home.length ? data.home : data.nodes.map(function (n) { return n.id; });
    network.fit({ nodes: ids, animation: false });
    if (network.getScale() < MIN_SCALE && ids.length) {
      var box = container.getBoundingClientRect();
      var xs = [], ys = [];
      var at = network.getPositions(ids);
      ids.forEach(function (id) { xs.push(at[id].x); ys.push(at[id].y); });
      // Anchor on the first band (the top rows): a far-left author of a later band must not
      // push the opening view into empty space.
      var top = Math.min.apply(null, ys);
      var firstRows = xs.filter(function (x, i) { return ys[i] < top + 400; });
      var left = Math.min.apply(null, firstRows) - 140;
      top -= 60;
      network.moveTo({ scale: MIN_SCALE, animation: false, position: {
        x: left + box.width / 2 / MIN_SCALE, y: top + box.height / 2 / MIN_SCALE } });
    }
  }
  home();
  // For users' own scripts and for the browser tests: the live network and its data.
  window.debateMap = { network: network, nodes: nodes, edges: edges, info: info, select: select };

  var FADED_NODE = { background: "#f3f3f3", border: "#dedede" };
  var FADED_FONT = "#c4c4c4";
  var FADED_EDGE = { color: "#ececec", highlight: "#ececec", hover: "#ececec" };
  var ARGUMENT = { supports: 1, rebuts: 1, undercuts: 1, undermines: 1 };
  var RELATION_WORDS = {
    supports: "supports", rebuts: "rebuts", undercuts: "undercuts", undermines: "undermines"
  };

  var original = {};
  data.nodes.forEach(function (n) { original[n.id] = { color: n.color, font: n.font }; });
  var incident = {};
  data.edges.forEach(function (e) {
    (incident[e.from] = incident[e.from] || []).push(e);
    (incident[e.to] = incident[e.to] || []).push(e);
  });

  // The ticked boxes of one filter, as a set.
  function ticked(kind) {
    var out = {};
    document.querySelectorAll('input[data-filter="' + kind + '"]').forEach(function (box) {
      if (box.checked) out[box.value] = true;
    });
    return out;
  }

  var state = {
    kind: ticked("kind"), stance: ticked("stance"), link: ticked("link"),
    org: "", topic: "", section: "", selected: null
  };
  var shownNodes = {};
  var shownEdges = {};
  var styleOf = {};
  var edgeStyleOf = {};

  // ---- small DOM helpers: text only ----
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  function norm(text) { return String(text).toLowerCase().replace(/\s+/g, " ").trim(); }
  function labelOf(id) { return info[id] ? info[id].label : id; }

  // ---- what is shown: filters, then the neighbourhood of the selection ----
  function passes(id) {
    var i = info[id];
    if (!state.kind[i.kind]) return false;
    if (i.stanceFacet && !state.stance[i.stanceFacet]) return false;
    if (i.kind === "claim" || i.kind === "source") {
      var facets = ["org", "topic", "section"];
      for (var k = 0; k < facets.length; k++) {
        var want = state[facets[k]];
        if (want && (i.facets[facets[k]] || []).indexOf(want) < 0) return false;
      }
    }
    return true;
  }

  function visibleSet() {
    var narrowed = state.org || state.topic || state.section;
    var visible = {};
    ids.forEach(function (id) {
      var kind = info[id].kind;
      if (passes(id) && (!narrowed || kind === "claim" || kind === "source")) visible[id] = true;
    });
    if (narrowed) {
      // Keep what places the chosen claims: their organizations, sections, topics, bill.
      data.edges.forEach(function (e) {
        if (!state.link[e.kind]) return;
        [[e.from, e.to], [e.to, e.from]].forEach(function (pair) {
          var kind = info[pair[1]].kind;
          if (visible[pair[0]] && kind !== "claim" && kind !== "source" && passes(pair[1])) {
            var k0 = info[pair[0]].kind;
            if (k0 === "claim" || k0 === "source") visible[pair[1]] = true;
          }
        });
      });
      [state.org, state.topic, state.section].forEach(function (id) {
        if (id && passes(id)) visible[id] = true;
      });
    }
    return visible;
  }

  // A link is drawn when its kind is ticked, or when it touches the selected node.
  function edgeShown(e, visible) {
    var touches = state.selected && (e.from === state.selected || e.to === state.selected);
    return (state.link[e.kind] || touches) && visible[e.from] && visible[e.to];
  }

  function apply() {
    var visible = visibleSet();
    if (state.selected && !visible[state.selected]) state.selected = null;
    var sel = state.selected;
    var near = {};
    if (sel) {
      near[sel] = true;
      (incident[sel] || []).forEach(function (e) {
        if (edgeShown(e, visible)) near[e.from === sel ? e.to : e.from] = true;
      });
    }
    var nodeUpdates = [];
    var count = 0;
    ids.forEach(function (id) {
      var hidden = !visible[id];
      var faded = !!sel && !near[id];
      if (!hidden) count++;
      var key = (hidden ? "h" : "v") + (faded ? "f" : "n");
      if (styleOf[id] === key) return;
      styleOf[id] = key;
      var o = original[id];
      var font = Object.assign({}, o.font || {}, faded ? { color: FADED_FONT } : {});
      nodeUpdates.push({ id: id, hidden: hidden, color: faded ? FADED_NODE : o.color, font: font });
      shownNodes[id] = !hidden;
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var hidden = !edgeShown(e, visible);
      var faded = !!sel && e.from !== sel && e.to !== sel;
      var key = (hidden ? "h" : "v") + (faded ? "f" : "n");
      if (edgeStyleOf[e.id] === key) return;
      edgeStyleOf[e.id] = key;
      edgeUpdates.push({ id: e.id, hidden: hidden, color: faded ? FADED_EDGE : e.color });
      shownEdges[e.id] = !hidden;
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    document.getElementById("shown").textContent = String(count);
  }

  // ---- the details panel ----
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");

  function section(title, field) {
    var wrap = el("div");
    wrap.setAttribute("data-field", field);
    wrap.appendChild(el("h3", null, title));
    body.appendChild(wrap);
    return wrap;
  }

  function nodeLink(id) {
    if (!info[id]) return el("span", null, id);
    var b = el("button", "link", labelOf(id));
    b.type = "button";
    b.setAttribute("data-node", id);
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }

  function linkList(title, field, list) {
    if (!list || !list.length) return;
    var ul = el("ul");
    list.forEach(function (id) {
      var li = el("li");
      li.appendChild(nodeLink(id));
      ul.appendChild(li);
    });
    section(title, field).appendChild(ul);
  }

  function relationList(title, field, list) {
    if (!list || !list.length) return;
    var ul = el("ul");
    list.forEach(function (item) {
      var li = el("li");
      if (item[1] !== "supports") li.appendChild(el("span", "rel", RELATION_WORDS[item[1]] || item[1]));
      li.appendChild(nodeLink(item[0]));
      ul.appendChild(li);
    });
    section(title, field).appendChild(ul);
  }

  function externalLink(parent, url, text) {
    var safe = safeUrl(url);
    if (!safe) return;
    var p = el("p");
    var a = el("a", null, text);
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    p.appendChild(a);
    p.appendChild(el("div", "url", safe));
    parent.appendChild(p);
  }

  function stanceBadge(parent, i) {
    if (!i.stanceLabel) return;
    var b = el("span", "badge", i.stanceLabel);
    b.style.background = data.stanceColors[i.stanceFacet || i.stance] || "#757575";
    parent.appendChild(document.createTextNode(" "));
    parent.appendChild(b);
  }

  function openPanel() { panel.hidden = false; panel.scrollTop = 0; }

  function showNode(id) {
    var i = info[id];
    body.textContent = "";
    var kind = el("p", "kind", i.kindLabel);
    if (i.kind === "claim" || i.kind === "source") stanceBadge(kind, i);
    body.appendChild(kind);
    body.appendChild(el("h2", null, i.label));
    if (i.kind === "claim") {
      if (i.quote) {
        section("Quote", "quote").appendChild(el("blockquote", null, "“" + i.quote + "”"));
      } else if (i.paraphrase) {
        var para = section("Paraphrase", "paraphrase");
        para.appendChild(el("span", "paraphrase", "Paraphrase: not the document's own words"));
        if (i.where) para.appendChild(el("p", null, "Where in the document: " + i.where));
      }
      var src = section("Source", "source");
      var doc = i.source && info[i.source];
      var p = el("p");
      if (doc) p.appendChild(nodeLink(i.source)); else p.appendChild(el("span", null, i.sourceTitle || "unknown"));
      if (i.date) p.appendChild(el("span", "meta", ", " + i.date));
      src.appendChild(p);
      if (doc) externalLink(src, doc.url, "Open the document");
      linkList("Made by", "orgs", i.orgs);
      linkList("About", "sections", i.sections);
      linkList("Topics", "topics", i.topics);
      relationList("Supported by", "supported-by", i.supportedBy);
      relationList("Attacked by", "attacked-by", i.attackedBy);
      relationList("It supports", "supports", i.supports);
      relationList("It attacks", "attacks", i.attacks);
    } else {
      var facts = [];
      if (i.date) facts.push(["Date", i.date]);
      if (i.citation) facts.push(["Citation", i.citation]);
      if (i.identifier && i.identifier !== i.label) facts.push(["Identifier", i.identifier]);
      if (i.role) facts.push(["Role", i.role]);
      if (i.body) facts.push(["Body", i.body]);
      if (i.ayes !== undefined) facts.push(["Vote", i.ayes + " ayes, " + (i.noes || 0) + " noes" +
        (i.not_voting !== undefined ? ", " + i.not_voting + " not voting" : "")]);
      if (i.result) facts.push(["Result", i.result]);
      if (facts.length) {
        var dl = section("Facts", "facts");
        facts.forEach(function (f) { dl.appendChild(el("p", null, f[0] + ": " + f[1])); });
      }
      if (i.description) section("Description", "description").appendChild(el("p", null, i.description));
      if (i.url) externalLink(section("Link", "url"), i.url, "Open");
      if (i.kind === "source") {
        linkList("Authors", "orgs", i.orgs);
        linkList("Claims (" + (i.claims || []).length + ")", "claims", i.claims);
      } else {
        (i.links || []).forEach(function (group) {
          linkList(group[0] + " (" + group[1].length + ")", "links", group[1]);
        });
      }
    }
    openPanel();
  }

  function showEdge(edgeId) {
    var e = edges.get(edgeId);
    if (!e) return;
    body.textContent = "";
    var rel = e.relation && data.relations[e.relation];
    body.appendChild(el("p", "kind", rel ? "Argument relation" : "Link"));
    var h = el("h2");
    h.appendChild(nodeLink(e.from));
    h.appendChild(el("span", "rel", " " + (data.edgeLabels[e.kind] || e.kind) + " "));
    h.appendChild(nodeLink(e.to));
    body.appendChild(h);
    if (rel) {
      if (rel.inference) {
        var inf = section("The inference it attacks", "inference");
        var p = el("p");
        (rel.inferenceFrom || []).forEach(function (id) { p.appendChild(nodeLink(id)); p.appendChild(el("span", null, "; ")); });
        p.appendChild(el("span", "rel", " leads to "));
        if (rel.inferenceTo) p.appendChild(nodeLink(rel.inferenceTo));
        inf.appendChild(p);
      }
      section("Relation", "relation").appendChild(el("p", null, rel.label));
      if (rel.source) {
        var s = section("Made in", "source");
        s.appendChild(nodeLink(rel.source));
      }
    }
    openPanel();
  }

  // ---- selection and focus ----
  function resetFilters() {
    document.querySelectorAll("input[data-filter]").forEach(function (box) {
      box.checked = box.hasAttribute("data-default");
    });
    document.querySelectorAll("select[data-facet]").forEach(function (s) { s.value = ""; });
    state.kind = ticked("kind"); state.stance = ticked("stance"); state.link = ticked("link");
    state.org = state.topic = state.section = "";
  }

  function select(id, move) {
    if (!info[id]) return;
    if (!shownNodes[id]) resetFilters();
    state.selected = id;
    apply();
    network.selectNodes([id]);
    showNode(id);
    if (move) {
      network.focus(id, { scale: Math.max(network.getScale(), 0.9),
                          animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    } else {
      keepClearOfPanel(id);
    }
  }

  // A node clicked near the right edge would sit under the details panel: slide the map left.
  function keepClearOfPanel(id) {
    var width = container.getBoundingClientRect().width;
    var at = network.canvasToDOM(network.getPositions([id])[id]);
    var covered = at.x - (width - panel.getBoundingClientRect().width - 60);
    if (covered > 0 && !panel.hidden) {
      var view = network.getViewPosition();
      network.moveTo({ position: { x: view.x + covered / network.getScale(), y: view.y },
                       animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    }
  }

  function clearSelection() {
    state.selected = null;
    network.unselectAll();
    panel.hidden = true;
    apply();
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0], false);
    } else if (params.edges.length) {
      state.selected = null;
      apply();
      showEdge(params.edges[0]);
    } else {
      clearSelection();
    }
  });
  document.getElementById("panel-close").addEventListener("click", clearSelection);

  // ---- filters ----
  document.querySelectorAll("input[data-filter]").forEach(function (box) {
    box.addEventListener("change", function () {
      state[box.getAttribute("data-filter")][box.value] = box.checked;
      apply();
    });
  });
  var facetWords = { org: "claims", topic: "claims", section: "claims" };
  document.querySelectorAll("select[data-facet]").forEach(function (sel) {
    var facet = sel.getAttribute("data-facet");
    (data.facets[facet] || []).forEach(function (row) {
      var opt = el("option", null, row.label + " (" + row.count + " " + facetWords[facet] + ")");
      opt.value = row.id;
      sel.appendChild(opt);
    });
    sel.addEventListener("change", function () { state[facet] = sel.value; apply(); });
  });

  // ---- search ----
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var found = [];
  var KIND_RANK = { claim: 0, source: 1, organization: 2, person: 2, section: 3, topic: 4 };

  function runSearch() {
    var words = norm(search.value).split(" ").filter(Boolean);
    results.textContent = "";
    found = [];
    if (!words.length) { results.hidden = true; return; }
    found = ids.filter(function (id) {
      var text = info[id].search;
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    });
    found.sort(function (a, b) {
      var ra = KIND_RANK[info[a].kind] === undefined ? 9 : KIND_RANK[info[a].kind];
      var rb = KIND_RANK[info[b].kind] === undefined ? 9 : KIND_RANK[info[b].kind];
      return ra - rb || (labelOf(a) < labelOf(b) ? -1 : labelOf(a) > labelOf(b) ? 1 : 0);
    });
    if (!found.length) {
      results.appendChild(el("li", "none", "Nothing matches."));
    }
    found.slice(0, 15).forEach(function (id) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.setAttribute("data-node", id);
      b.appendChild(el("span", null, labelOf(id)));
      b.appendChild(el("span", "kind", info[id].kindLabel));
      b.addEventListener("click", function () { pick(id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function pick(id) { results.hidden = true; select(id, true); }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && found.length) { ev.preventDefault(); pick(found[0]); }
    if (ev.key === "Escape") { search.value = ""; runSearch(); }
  });
  document.addEventListener("click", function (ev) {
    if (!results.contains(ev.target) && ev.target !== search) results.hidden = true;
  });

  // ---- reset ----
  document.getElementById("reset").addEventListener("click", function () {
    resetFilters();
    search.value = "";
    runSearch();
    clearSelection();
    home();
  });

  apply();
})();
