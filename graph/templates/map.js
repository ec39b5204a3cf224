// The debate map's behaviour: its views (overview, argument map, bill text), details panel,
// filters, search, neighbourhood highlighting, the evaluation's colours, reset. Corpus text only
// ever reaches the page through textContent (el() below), never innerHTML, and a link opens only
// an http(s) URL: a label that holds markup is shown as the characters it is. The overview and
// the bill text are drawn by overview.js and reader.js, which follow this script in the page.
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

  // The lanes' bands with their dates, and the captions of the blocks, drawn on the canvas as
  // text (and kept in drawnText, for users' scripts and the tests: what the canvas says).
  var drawnText = [];
  network.on("beforeDrawing", function (ctx) {
    drawnText = [];
    ctx.save();
    ctx.fillStyle = "#f7f9fb";
    ctx.strokeStyle = "#e3e8ee";
    ctx.lineWidth = 1;
    data.lanes.forEach(function (b) {
      ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.strokeRect(b.x, b.y, b.w, b.h);
    });
    ctx.textBaseline = "middle";
    ctx.font = "600 17px system-ui, sans-serif";
    ctx.fillStyle = "#37474f";
    data.lanes.forEach(function (b) {
      if (!b.date) return;
      var at = b.dateAt || [b.x + 14, b.y + 20];
      ctx.font = "600 17px system-ui, sans-serif";
      ctx.fillStyle = "#37474f";
      ctx.fillText(b.date, at[0], at[1]);
      drawnText.push({ text: b.date, x: at[0], y: at[1], doc: b.doc });
      if (b.by) {
        var x = at[0] + ctx.measureText(b.date).width + 14;
        ctx.font = "15px system-ui, sans-serif";
        ctx.fillStyle = "#546e7a";
        ctx.fillText(b.by, x, at[1]);
        drawnText.push({ text: b.by, x: x, y: at[1], doc: null, authorsOf: b.doc });
      }
    });
    ctx.font = "600 22px system-ui, sans-serif";
    ctx.fillStyle = "#757575";
    data.captions.forEach(function (c) {
      ctx.fillText(c.text, c.x, c.y);
      drawnText.push({ text: c.text, x: c.x, y: c.y, doc: null });
    });
    drawUndercuts(ctx);
    ctx.restore();
  });
  network.on("afterDrawing", function (ctx) { drawInferenceMarks(ctx); });

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
  var homed = false;

  // ---- views: the overview (the first screen), the argument map, the bill's text ----
  var view = "overview";
  var viewHooks = {};
  function setView(name) {
    if (name === view && homed) return;
    view = name;
    document.body.setAttribute("data-view", name);
    document.querySelectorAll("button.view").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === name));
    });
    document.getElementById("overview").hidden = name !== "overview";
    document.getElementById("reader").hidden = name !== "reader";
    if (name === "map") {
      network.redraw();
      if (!homed) { homed = true; home(); }
    }
    if (viewHooks[name]) viewHooks[name]();
  }
  document.querySelectorAll("button.view").forEach(function (b) {
    b.addEventListener("click", function () { setView(b.getAttribute("data-view")); });
  });

  var FADED_NODE = { background: "#f3f3f3", border: "#dedede" };
  var FADED_FONT = "#c4c4c4";
  var FADED_EDGE = { color: "#ececec", highlight: "#ececec", hover: "#ececec" };
  var ARGUMENT = { supports: 1, rebuts: 1, undercuts: 1, undermines: 1 };
  var RELATION_WORDS = {
    supports: "supports", rebuts: "rebuts", undercuts: "undercuts", undermines: "undermines"
  };

  var original = {};
  data.nodes.forEach(function (n) {
    original[n.id] = { color: n.color, font: n.font, image: n.shape === "image",
                       borderWidth: n.borderWidth, shapeProperties: n.shapeProperties || {} };
  });
  var incident = {};
  var edgeById = {};
  data.edges.forEach(function (e) {
    (incident[e.from] = incident[e.from] || []).push(e);
    (incident[e.to] = incident[e.to] || []).push(e);
    edgeById[e.id] = e;
  });

  // ---- the evaluation: each claim in, out or undecided under grounded semantics ----
  var evaluation = data.evaluation || { labels: {}, defeaters: {}, why: {} };
  function steady(c) {
    // A colour that stays itself when selected or hovered (vis-network would turn it blue).
    return { background: c.background, border: c.border,
             highlight: { background: c.background, border: c.border },
             hover: { background: c.background, border: c.border } };
  }
  var EVAL_COLOR = {
    "in": steady({ background: "#e3f2fd", border: "#1565c0" }),
    out: steady({ background: "#e0e0e0", border: "#616161" }),
    undec: steady({ background: "#fff8e1", border: "#f9a825" })
  };
  var EVAL_WORDS = {
    "in": "Stands (in): no claim that stands attacks it.",
    out: "Falls (out): a claim that stands attacks it.",
    undec: "Undecided: the claims that attack it are themselves undecided (attacks go both ways)."
  };

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
    org: "", topic: "", section: "", selected: null, evaluate: false
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
    return ((state.link[e.kind] && !e.far) || touches) && visible[e.from] && visible[e.to];
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
      var judged = state.evaluate && evaluation.labels[id];
      if (!hidden) count++;
      var key = (hidden ? "h" : "v") + (faded ? "f" : "n") + (judged || "");
      if (styleOf[id] === key) return;
      styleOf[id] = key;
      var o = original[id];
      var color = faded ? FADED_NODE : judged ? EVAL_COLOR[judged] : o.color;
      var fontColor = faded ? { color: FADED_FONT } : {};
      var font = Object.assign({}, o.font || {}, fontColor);
      var update = { id: id, hidden: hidden, color: color, font: font };
      if (o.image) update.opacity = faded ? 0.25 : 1;
      if (info[id].kind === "claim") {
        update.borderWidth = judged === "in" ? 3 : o.borderWidth;
        update.shapeProperties = Object.assign({}, o.shapeProperties,
          { borderDashes: judged === "out" ? [5, 4] : judged === "undec" ? [2, 3] :
            (o.shapeProperties.borderDashes || false) });
      }
      nodeUpdates.push(update);
      shownNodes[id] = !hidden;
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var hidden = !edgeShown(e, visible);
      var faded = !!sel && e.from !== sel && e.to !== sel;
      var key = (hidden ? "h" : "v") + (faded ? "f" : "n");
      if (edgeStyleOf[e.id] === key) return;
      edgeStyleOf[e.id] = key;
      // An undercut is drawn by the page (drawUndercuts), not by vis-network.
      edgeUpdates.push({ id: e.id, hidden: hidden || !!overlay[e.id],
                         color: faded ? FADED_EDGE : e.color });
      shownEdges[e.id] = !hidden;
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    document.getElementById("shown").textContent = String(count);
  }

  // ---- undercuts: an arrow from the premise to the inference it attacks ----
  // vis-network joins nodes only. An undercut attacks an inference (the step from a premise to
  // a conclusion), so its arrow is drawn here, from its premise to the middle of the arrow of
  // the relation it attacks, marked there with a ring; a click on it is caught below.
  var overlay = {};  // an undercut's edge id: the edge of the inference it attacks
  var edgesOfRelation = {};
  data.edges.forEach(function (e) {
    if (e.relation) (edgesOfRelation[e.relation] = edgesOfRelation[e.relation] || []).push(e);
  });
  data.edges.forEach(function (e) {
    var target = e.inference && edgesOfRelation[e.inference];
    if (target && target.length) overlay[e.id] = target[0];
  });

  function clip(box, from, to) {
    // Where the line from the middle of ``box`` towards ``to`` leaves the box.
    var dx = to.x - from.x, dy = to.y - from.y, t = 1;
    if (dx > 0) t = Math.min(t, (box.right - from.x) / dx);
    if (dx < 0) t = Math.min(t, (box.left - from.x) / dx);
    if (dy > 0) t = Math.min(t, (box.bottom - from.y) / dy);
    if (dy < 0) t = Math.min(t, (box.top - from.y) / dy);
    return { x: from.x + dx * Math.max(0, t), y: from.y + dy * Math.max(0, t) };
  }

  function undercutGeometry(id) {
    var e = edgeById[id], target = overlay[id];
    var at = network.getPositions([e.from, target.from, target.to]);
    var p = at[target.from], q = at[target.to];
    var mid = { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    var start = clip(network.getBoundingBox(e.from), at[e.from], mid);
    return { id: id, from: start, to: mid, inference: target.id, premise: e.from,
             conclusion: e.to, inferenceFrom: target.from, inferenceTo: target.to };
  }

  function drawUndercuts(ctx) {
    if (!overlay) return;  // drawn before the script has finished: nothing to add yet
    Object.keys(overlay).forEach(function (id) {
      if (!shownEdges[id]) return;
      var g = undercutGeometry(id);
      var faded = edgeStyleOf[id] && edgeStyleOf[id].charAt(1) === "f";
      var color = faded ? FADED_EDGE.color : edgeById[id].color.color;
      var dx = g.to.x - g.from.x, dy = g.to.y - g.from.y;
      var len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len;
      var tip = { x: g.to.x - ux * 8, y: g.to.y - uy * 8 };
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = edgeById[id].width || 3;
      ctx.setLineDash([8, 5]);
      ctx.beginPath();
      ctx.moveTo(g.from.x, g.from.y);
      ctx.lineTo(tip.x - ux * 10, tip.y - uy * 10);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(tip.x, tip.y);
      ctx.lineTo(tip.x - ux * 14 - uy * 7, tip.y - uy * 14 + ux * 7);
      ctx.lineTo(tip.x - ux * 14 + uy * 7, tip.y - uy * 14 - ux * 7);
      ctx.closePath();
      ctx.fill();
    });
  }

  function drawInferenceMarks(ctx) {
    if (!overlay) return;
    ctx.save();
    Object.keys(overlay).forEach(function (id) {
      if (!shownEdges[id]) return;
      var g = undercutGeometry(id);
      var faded = edgeStyleOf[id] && edgeStyleOf[id].charAt(1) === "f";
      ctx.lineWidth = 3;
      ctx.strokeStyle = faded ? FADED_EDGE.color : edgeById[id].color.color;
      ctx.fillStyle = "#ffffff";
      ctx.beginPath();
      ctx.arc(g.to.x, g.to.y, 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
  }

  function undercutAt(point) {
    // The undercut drawn within a few pixels of ``point`` (canvas coordinates), if any.
    var best = null, bestDistance = 9 / network.getScale();
    Object.keys(overlay).forEach(function (id) {
      if (!shownEdges[id]) return;
      var g = undercutGeometry(id);
      var dx = g.to.x - g.from.x, dy = g.to.y - g.from.y;
      var t = ((point.x - g.from.x) * dx + (point.y - g.from.y) * dy) / (dx * dx + dy * dy || 1);
      t = Math.max(0, Math.min(1, t));
      var ex = g.from.x + t * dx - point.x, ey = g.from.y + t * dy - point.y;
      var d = Math.sqrt(ex * ex + ey * ey);
      if (d < bestDistance) { best = id; bestDistance = d; }
    });
    return best;
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

  function openPanel(id) {
    if (id && view !== "map" && shownOnMap(id)) {
      var go = el("button", "action on-map", "Show on the argument map");
      go.type = "button";
      go.addEventListener("click", function () { select(id, true); });
      body.appendChild(go);
    }
    panel.hidden = false;
    panel.scrollTop = 0;
    document.body.classList.add("panel-open");
  }

  function shownOnMap(id) { return Object.prototype.hasOwnProperty.call(original, id); }

  // Why a claim stands or falls, when every attack is weighed (grounded semantics).
  function evaluationSection(id) {
    var label = evaluation.labels[id];
    if (!label) return;
    var sec = section("Evaluation: does it stand?", "evaluation");
    var p = el("p", "eval-label");
    p.appendChild(el("span", "eval-swatch " + label));
    p.appendChild(el("span", null, EVAL_WORDS[label]));
    sec.appendChild(p);
    var by = evaluation.defeaters[id] || [];
    if (by.length) {
      sec.appendChild(el("p", null, by.length > 1 ?
        "Defeated by these claims together, which stand:" : "Defeated by this claim, which stands:"));
      var ul = el("ul", "defeaters");
      by.forEach(function (d) { var li = el("li"); li.appendChild(nodeLink(d)); ul.appendChild(li); });
      sec.appendChild(ul);
    }
    var why = evaluation.why[id];
    if (why) {
      var details = el("details");
      details.appendChild(el("summary", null, "The reasoning, step by step"));
      var list = el("ul", "why");
      why.split("\n").forEach(function (line) {
        var li = el("li", null, line.trim());
        li.style.marginLeft = (line.length - line.replace(/^ +/, "").length) * 6 + "px";
        list.appendChild(li);
      });
      details.appendChild(list);
      sec.appendChild(details);
    }
  }

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
      evaluationSection(id);
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
        if (i.kind === "organization" || i.kind === "person") whereItStands(id);
        (i.links || []).forEach(function (group) {
          linkList(group[0] + " (" + group[1].length + ")", "links", group[1]);
        });
      }
    }
    openPanel(id);
  }

  // An organization's or person's side in the overview, and why.
  function whereItStands(id) {
    var ov = data.overview;
    if (!ov || !ov.reasons[id]) return;
    var group = null;
    ov.groups.forEach(function (g) { if (g.agents.indexOf(id) >= 0) group = g; });
    var sec = section("Where it stands", "side");
    sec.appendChild(el("p", null, (group ? group.heading : "") + ": " + ov.reasons[id] + "."));
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
        (rel.inferenceFrom || []).forEach(function (id, k) {
          if (k) p.appendChild(el("span", null, "; "));
          p.appendChild(nodeLink(id));
        });
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
    if (view !== "map") setView("map");
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
    document.body.classList.remove("panel-open");
    apply();
  }

  network.on("click", function (params) {
    var undercut = params.nodes.length ? null : undercutAt(params.pointer.canvas);
    if (params.nodes.length) {
      select(params.nodes[0], false);
    } else if (undercut) {
      state.selected = null;
      apply();
      showEdge(undercut);
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

  // ---- search: every match counted, and stepped through with Enter, ‹ and › ----
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var searchCount = document.getElementById("search-count");
  var prevMatch = document.getElementById("search-prev");
  var nextMatch = document.getElementById("search-next");
  var found = [];
  var current = -1;
  var SHOWN_RESULTS = 15;
  var KIND_RANK = { claim: 0, source: 1, organization: 2, person: 2, section: 3, topic: 4 };

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function showCount() {
    if (!found.length) {
      searchCount.textContent = norm(search.value) ? "no match" : "";
    } else if (current < 0) {
      searchCount.textContent = plural(found.length, "match", "matches");
    } else {
      searchCount.textContent = (current + 1) + " of " + found.length;
    }
    prevMatch.disabled = nextMatch.disabled = !found.length;
  }

  function runSearch() {
    var words = norm(search.value).split(" ").filter(Boolean);
    results.textContent = "";
    found = [];
    current = -1;
    if (!words.length) { results.hidden = true; showCount(); return; }
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
    found.slice(0, SHOWN_RESULTS).forEach(function (id, k) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.setAttribute("data-node", id);
      b.appendChild(el("span", null, labelOf(id)));
      b.appendChild(el("span", "kind", info[id].kindLabel));
      b.addEventListener("click", function () { pick(k); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > SHOWN_RESULTS) {
      results.appendChild(el("li", "more", "and " + (found.length - SHOWN_RESULTS) +
        " more: press Enter or › to step through all " + found.length + "."));
    }
    results.hidden = false;
    showCount();
  }
  function pick(k) {
    current = k;
    results.hidden = true;
    showCount();
    select(found[k], true);
  }
  function step(by) {
    if (!found.length) return;
    pick(((current < 0 ? (by > 0 ? -1 : 0) : current) + by + found.length) % found.length);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && found.length) { ev.preventDefault(); step(ev.shiftKey ? -1 : 1); }
    if (ev.key === "Escape") { search.value = ""; runSearch(); }
  });
  prevMatch.addEventListener("click", function () { step(-1); });
  nextMatch.addEventListener("click", function () { step(1); });
  document.addEventListener("click", function (ev) {
    if (!results.contains(ev.target) && ev.target !== search) results.hidden = true;
  });

  // ---- tooltips keep clear of the details panel ----
  function keepTooltipClear(tip) {
    if (panel.hidden || tip.style.visibility === "hidden") return;
    var t = tip.getBoundingClientRect(), p = panel.getBoundingClientRect();
    var box = container.getBoundingClientRect();
    var overlaps = t.right > p.left && t.left < p.right && t.bottom > p.top && t.top < p.bottom;
    if (!overlaps) return;
    var left = Math.max(0, p.left - box.left - t.width - 12);
    if (String(Math.round(left)) + "px" !== tip.style.left) tip.style.left = Math.round(left) + "px";
  }
  new MutationObserver(function () {
    container.querySelectorAll(".vis-tooltip").forEach(function (tip) {
      if (tip.getAttribute("data-watched")) return;
      tip.setAttribute("data-watched", "true");
      new MutationObserver(function () { keepTooltipClear(tip); })
        .observe(tip, { attributes: true, attributeFilter: ["style"] });
      keepTooltipClear(tip);
    });
  }).observe(container, { childList: true, subtree: true });

  // ---- the evaluation's colours, on and off ----
  var evaluate = document.getElementById("evaluate");
  var evalLegend = document.getElementById("evaluation-legend");
  var evalCounts = { "in": 0, out: 0, undec: 0 };
  Object.keys(evaluation.labels).forEach(function (id) {
    if (original[id]) evalCounts[evaluation.labels[id]]++;
  });
  ["in", "out", "undec"].forEach(function (k) {
    document.getElementById("eval-" + k).textContent = String(evalCounts[k]);
  });
  function setEvaluation(on) {
    state.evaluate = on;
    evaluate.checked = on;
    evalLegend.hidden = !on;
    document.body.classList.toggle("evaluating", on);
    if (on && view !== "map") setView("map");
    apply();
    if (state.selected) showNode(state.selected);
  }
  evaluate.addEventListener("change", function () { setEvaluation(evaluate.checked); });

  // ---- reset ----
  document.getElementById("reset").addEventListener("click", function () {
    resetFilters();
    search.value = "";
    runSearch();
    clearSelection();
    home();
    if (viewHooks.reset) viewHooks.reset();
  });

  // For users' own scripts, the overview and the bill's text (overview.js, reader.js), and the
  // browser tests: the live network, its data, and what the page draws.
  window.debateMap = {
    network: network, nodes: nodes, edges: edges, info: info, data: data, select: select,
    setView: setView, view: function () { return view; }, showNode: showNode, el: el,
    onView: function (name, hook) { viewHooks[name] = hook; }, openPanel: openPanel,
    closePanel: clearSelection, evaluate: setEvaluation, drawnText: function () { return drawnText; },
    undercuts: function () { return Object.keys(overlay).filter(function (id) { return shownEdges[id]; }).map(undercutGeometry); },
    searchCount: function () { return searchCount.textContent; },
    shownOnMap: shownOnMap, labelOf: labelOf, safeUrl: safeUrl
  };

  apply();
})();
