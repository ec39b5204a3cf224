// The overview, the page's first screen: who is for the bill and who is against it, and about
// what (graph/overview.py gives its data). Every organization, person and statement stands in
// the group of its side; the bill's parts run down the middle, in the bill's order, each with
// the weight of the claims and counterclaims about it; a timeline puts statements and the
// bill's history on one date axis. A click on anything opens its details and lights up what
// it connects to. Corpus text reaches the page through textContent only.
(function () {
  "use strict";

  var map = window.debateMap;
  var data = map.data;
  var info = map.info;
  var el = map.el;
  var ov = data.overview;
  var root = document.getElementById("overview");
  var SVG = "http://www.w3.org/2000/svg";
  var SIDE_WORDS = { "for": "for", mixed: "mixed", against: "against", other: "without a side" };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function group(side) {
    for (var i = 0; i < ov.groups.length; i++) if (ov.groups[i].side === side) return ov.groups[i];
    return { side: side, heading: "", agents: [], documents: [] };
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function shortDate(date) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(String(date || ""));
    if (!m) return "undated";
    if (!m[2]) return m[1];
    if (!m[3]) return MONTHS[+m[2] - 1] + " " + m[1].slice(2);
    return +m[3] + " " + MONTHS[+m[2] - 1];
  }

  function nodeButton(cls, id) {
    var b = el("button", cls);
    b.type = "button";
    b.setAttribute("data-node", id);
    b.addEventListener("click", function (ev) { ev.stopPropagation(); pick(id); });
    return b;
  }

  // ---- the groups ----
  function who(list, id) {
    var li = el("li");
    var i = info[id];
    var b = nodeButton("who", id);
    b.appendChild(el("span", "glyph " + i.kind));
    b.appendChild(el("span", "name", i.label));
    b.title = i.label + ": " + (ov.reasons[id] || "");
    li.appendChild(b);
    list.appendChild(li);
  }

  function statement(list, id) {
    var li = el("li");
    var i = info[id];
    var b = nodeButton("doc", id);
    b.appendChild(el("span", "date", shortDate(i.date)));
    var mark = el("span", "stance");
    mark.style.background = data.stanceColors[i.stance] || "#9e9e9e";
    b.appendChild(mark);
    b.appendChild(el("span", "title", i.label));
    b.title = i.label + " (" + (i.stanceLabel || "no stance") + ")";
    li.appendChild(b);
    list.appendChild(li);
  }

  function groupBlock(g, compact) {
    var box = el("section", "ov-group" + (compact ? " compact" : ""));
    box.setAttribute("data-group", g.side);
    var h = el("h2");
    h.appendChild(el("span", "side-mark " + g.side));
    h.appendChild(el("span", null, g.heading));
    box.appendChild(h);
    box.appendChild(el("p", "ov-n", plural(g.agents.length, "organization or person",
      "organizations and people") + " · " + plural(g.documents.length, "statement", "statements")));
    if (g.agents.length) {
      var ul = el("ul", "who-list");
      g.agents.forEach(function (id) { who(ul, id); });
      box.appendChild(ul);
    }
    if (g.documents.length) {
      box.appendChild(el("h3", null, compact ? "Statements" : "Statements, in date order"));
      var ol = el("ol", "doc-list");
      g.documents.forEach(function (id) { statement(ol, id); });
      box.appendChild(ol);
    }
    return box;
  }

  // ---- the spine: the bill's parts, with the weight of the argument on each ----
  var maxClaims = 1;
  ov.spine.forEach(function (row) { maxClaims = Math.max(maxClaims, row.total.claims); });

  function bar(counts, scale, cls) {
    var b = el("span", "bar " + (cls || ""));
    ["for", "mixed", "against", "other"].forEach(function (side) {
      if (!counts[side]) return;
      var seg = el("i", side);
      seg.style.width = (100 * counts[side] / scale) + "%";
      seg.title = plural(counts[side], "claim ", "claims ") + SIDE_WORDS[side];
      b.appendChild(seg);
    });
    return b;
  }

  function weightWords(n) {
    var parts = [];
    ["for", "against", "mixed"].forEach(function (side) {
      if (n[side]) parts.push(n[side] + " " + side);
    });
    if (n.other) parts.push(n.other + " without a side");
    var text = plural(n.claims, "claim", "claims") + (parts.length ? ": " + parts.join(", ") : "");
    if (n.attacks) text += " · " + plural(n.attacks, "counterclaim", "counterclaims");
    return text;
  }

  function cite(id) {
    var i = info[id];
    return i.kind === "bill" ? "The whole bill" : (i.citation || i.label);
  }

  function relative(part, head) {
    if (part === head) return info[head].kind === "bill" ? "as a whole" : "as a whole";
    var c = cite(part), h = cite(head);
    return c.indexOf(h) === 0 && c.length > h.length ? c.slice(h.length) : c;
  }

  function spineBlock() {
    var box = el("section", "ov-spine");
    box.setAttribute("aria-label", "The bill's parts");
    var h = el("h2", null, "The bill, part by part");
    box.appendChild(h);
    var key = el("p", "ov-n");
    key.appendChild(el("span", null, "The claims about each part: "));
    [["for", "for"], ["against", "against"], ["mixed", "mixed"]].forEach(function (k) {
      key.appendChild(el("i", "key " + k[0]));
      key.appendChild(el("span", null, k[1] + " "));
    });
    key.appendChild(el("span", null, "· ⚔ the counterclaims that answer them."));
    box.appendChild(key);
    var ol = el("ol", "spine");
    ov.spine.forEach(function (row) {
      var li = el("li", "spine-row");
      li.setAttribute("data-node", row.head);
      var head = nodeButton("spine-head", row.head);
      head.appendChild(el("span", "cite", cite(row.head)));
      var i = info[row.head];
      var what = i.kind === "bill" ? "claims about the bill as a whole"
        : (i.label.indexOf(i.citation) >= 0 ? i.label.slice(i.label.indexOf(i.citation) + i.citation.length).trim() : "");
      if (!what && i.description) what = i.description;
      if (what) head.appendChild(el("span", "what", what));
      li.appendChild(head);
      var weight = el("div", "weight");
      weight.appendChild(bar(row.total, maxClaims));
      weight.appendChild(el("span", "nums", weightWords(row.total)));
      li.appendChild(weight);
      if (!(row.parts.length === 1 && row.parts[0].id === row.head)) {
        var parts = weight;
        row.parts.forEach(function (p) {
          var b = nodeButton("part", p.id);
          b.appendChild(el("span", "cite", relative(p.id, row.head)));
          b.appendChild(bar(p, Math.max(p.claims, 1), "mini"));
          b.appendChild(el("span", "n", String(p.claims)));
          if (p.attacks) b.appendChild(el("span", "attacks", "⚔" + p.attacks));
          b.title = cite(p.id) + ": " + weightWords(p);
          parts.appendChild(b);
        });
      }
      ol.appendChild(li);
    });
    box.appendChild(ol);
    return box;
  }

  // ---- the timeline ----
  function svg(tag, attrs, parent) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function drawTimeline(box) {
    box.textContent = "";
    var tl = ov.timeline;
    if (!tl.items.length) return;
    var width = Math.max(600, box.clientWidth);
    var years = tl.years.length;
    var left = 92, right = width - (years ? 190 : 24);
    var up = 1, down = 1;
    tl.items.forEach(function (item) {
      if (item.at === null) return;
      if (item.lane === "statement") up = Math.max(up, item.row + 1); else down = Math.max(down, item.row + 1);
    });
    var binRows = Math.ceil(Math.max.apply(null, [1].concat(tl.items.filter(function (i) {
      return i.at === null; }).map(function (i) { return i.row + 1; }))) / 12);
    var axis = 26 + Math.max(up * 9, binRows * 13 * Math.max(1, years)), height = axis + 34 + down * 10;
    var s = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                         role: "img", "aria-label": "Timeline of the statements and the bill's history" }, box);
    function text(x, y, words, cls, anchor) {
      var t = svg("text", { x: x, y: y, "class": cls || "", "text-anchor": anchor || "start" }, s);
      t.textContent = words;
      return t;
    }
    text(4, axis - 30, "Statements", "lane-label");
    text(4, axis + 26, "The bill", "lane-label");
    svg("line", { x1: left, y1: axis, x2: right, y2: axis, "class": "axis" }, s);
    tl.ticks.forEach(function (t) {
      var x = left + t.at * (right - left);
      svg("line", { x1: x, y1: axis - 4, x2: x, y2: axis + 4, "class": "tick" }, s);
      text(x + 3, axis + 14, t.text, "tick-label");
    });
    var binLeft = right + 30;
    if (years) {
      svg("rect", { x: binLeft - 8, y: 6, width: width - binLeft, height: axis - 2, rx: 4, "class": "bin" }, s);
      tl.years.forEach(function (y, k) {
        text(binLeft, axis + 14 + 12 * k, y + ": date not known", "tick-label");
      });
    }
    var lastLabel = -Infinity;
    tl.items.forEach(function (item) {
      var i = info[item.id];
      if (!i) return;
      var x, y;
      if (item.at === null) {
        var k = tl.years.indexOf(item.year);
        x = binLeft + 6 + (item.row % 12) * 13;
        y = axis - 12 - Math.floor(item.row / 12) * 13 - k * 40;
      } else {
        x = left + item.at * (right - left);
        y = item.lane === "statement" ? axis - 10 - item.row * 9 : axis + 26 + item.row * 10;
      }
      var g = svg("g", { "class": "item " + item.what + " known-" + item.known, "data-node": item.id,
                          tabindex: 0, role: "button" }, s);
      var title = svg("title", {}, g);
      title.textContent = shortDate(i.date) + ": " + i.label +
        (item.known === "month" ? " (day not known)" : item.known === "year" ? " (date not known)" : "");
      if (item.lane === "statement") {
        var c = svg("circle", { cx: x, cy: y, r: 4.5 }, g);
        var color = data.stanceColors[i.stance] || "#9e9e9e";
        c.setAttribute("stroke", color);
        c.setAttribute("fill", item.known === "day" ? color : "#ffffff");
      } else if (item.what === "version") {
        svg("rect", { x: x - 3.5, y: y - 5, width: 7, height: 10, rx: 1 }, g);
      } else {
        var r = item.what === "vote" || item.what === "veto" ? 5.5 : 4;
        svg("polygon", { points: [x, y - r, x + r, y, x, y + r, x - r, y].join(" ") }, g);
        var words = item.what === "vote" && i.ayes !== undefined ? i.ayes + "–" + (i.noes || 0)
          : item.what === "veto" ? "veto" : null;
        // A label where it has room: votes days apart would write over each other.
        if (words && (x - lastLabel > 34 || item.what === "veto")) {
          text(x, y + 15, words, "vote-label" + (item.what === "veto" ? " veto" : ""), "middle");
          lastLabel = x;
        }
      }
      g.addEventListener("click", function (ev) { ev.stopPropagation(); pick(item.id); });
      g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") pick(item.id); });
    });
    var key = el("p", "tl-key");
    [["dot", "statement, in its stance's colour (hollow: day not known)"], ["version", "version of the bill"],
     ["vote", "vote, with ayes–noes"], ["veto", "veto"], ["event", "other step"]].forEach(function (k) {
      key.appendChild(el("i", "key-" + k[0]));
      key.appendChild(el("span", null, k[1]));
    });
    box.appendChild(key);
  }

  // ---- lighting up what a thing connects to ----
  var partsOf = ov.parts;
  var whoArgues = {};  // a part: the agents, documents and claims whose claims are about it
  Object.keys(partsOf).forEach(function (id) {
    partsOf[id].forEach(function (p) { (whoArgues[p] = whoArgues[p] || []).push(id); });
  });
  var rowOf = {};
  ov.spine.forEach(function (row) { row.parts.forEach(function (p) { rowOf[p.id] = row; }); rowOf[row.head] = rowOf[row.head] || row; });

  function light(id) {
    var lit = {};
    lit[id] = true;
    var i = info[id];
    if (i.kind === "section" || i.kind === "bill") {
      var row = ov.spine.filter(function (r) { return r.head === id; })[0];
      var parts = row ? row.parts.map(function (p) { return p.id; }) : [id];
      parts.forEach(function (p) {
        lit[p] = true;
        (whoArgues[p] || []).forEach(function (n) { lit[n] = true; });
      });
      if (rowOf[id]) lit[rowOf[id].head] = true;
    } else {
      (partsOf[id] || []).forEach(function (p) {
        lit[p] = true;
        if (rowOf[p]) lit[rowOf[p].head] = true;
      });
    }
    root.classList.add("lighting");
    root.querySelectorAll("[data-node]").forEach(function (node) {
      node.classList.toggle("lit", !!lit[node.getAttribute("data-node")]);
    });
  }

  function unlight() {
    root.classList.remove("lighting");
    root.querySelectorAll(".lit").forEach(function (node) { node.classList.remove("lit"); });
  }

  function pick(id) {
    light(id);
    map.showNode(id);
  }

  // ---- the whole, fitted to the window ----
  var wrap = el("div", "ov");
  var timeline;

  function render() {
    root.textContent = "";
    wrap = el("div", "ov");
    var lead = el("p", "ov-lead");
    var bill = ov.spine.length ? info[ov.spine[0].head] : null;
    lead.appendChild(el("span", null, "Who is "));
    lead.appendChild(el("b", "for", "for"));
    lead.appendChild(el("span", null, " the bill and who is "));
    lead.appendChild(el("b", "against", "against"));
    lead.appendChild(el("span", null, ", and which of its parts they argue about" +
      (bill && bill.kind === "bill" ? " (" + bill.label + ")" : "") +
      ". Click a name, a statement or a part to see the details and light up what it connects to."));
    wrap.appendChild(lead);
    var grid = el("div", "ov-grid");
    var left = el("div", "ov-column");
    left.appendChild(groupBlock(group("for"), false));
    if (group("none").agents.length || group("none").documents.length) {
      left.appendChild(groupBlock(group("none"), true));
    }
    grid.appendChild(left);
    var middle = el("div", "ov-column");
    if (group("mixed").agents.length || group("mixed").documents.length) {
      middle.appendChild(groupBlock(group("mixed"), true));
    }
    middle.appendChild(spineBlock());
    grid.appendChild(middle);
    grid.appendChild(groupBlock(group("against"), false));
    wrap.appendChild(grid);
    timeline = el("div", "ov-timeline");
    wrap.appendChild(timeline);
    root.appendChild(wrap);
    root.addEventListener("click", function (ev) {
      if (ev.target === root || ev.target === wrap) { unlight(); map.closePanel(); }
    });
    fit();
  }

  // The width the details panel takes while it is open: the overview makes room for it
  // rather than hide the "against" column under it.
  var panel = document.getElementById("panel");
  function room() {
    var taken = document.body.classList.contains("panel-open") && panel && !panel.hidden
      ? panel.offsetWidth + 24 : 0;
    return Math.max(240, root.clientWidth - taken);
  }

  // The largest zoom (to half size at most) at which the whole overview fits the window
  // (beside the details panel, when it is open).
  function fits(zoom) {
    var width = room();
    wrap.style.zoom = String(zoom);
    wrap.style.width = Math.floor(width / zoom) + "px";
    drawTimeline(timeline);
    return wrap.scrollHeight * zoom <= root.clientHeight - 2 && wrap.scrollWidth * zoom <= width + 1;
  }

  function fit() {
    if (root.hidden) return;
    var zoom = 1;
    if (!fits(1)) {
      var low = 0.5, high = 1;
      for (var k = 0; k < 7; k++) {
        var mid = (low + high) / 2;
        if (fits(mid)) low = mid; else high = mid;
      }
      zoom = low;
      fits(zoom);
    }
    root.setAttribute("data-zoom", zoom.toFixed(3));
  }

  if (!ov) return;
  render();
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(fit, 100);
  });
  map.onView("overview", fit);
  // The panel opening or closing changes the room the overview has.
  var panelOpen = document.body.classList.contains("panel-open");
  new MutationObserver(function () {
    var now = document.body.classList.contains("panel-open");
    if (now !== panelOpen) { panelOpen = now; fit(); }
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  map.onView("reset", unlight);
})();
