/* Lantu dashboard charts: draws every element with a data-chart attribute from the JSON block
   it names (<script type="application/json" id="...">), with the vendored ECharts.
   No inline scripts (CSP: script-src 'self'); the pages work without this file, the tables
   carry the same numbers. */
(function () {
  "use strict";
  var PALETTE = ["#1a5296", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#8d6e63",
                 "#c9a227", "#546e7a", "#d81b60"];

  /* The one way text reaches a tooltip. ECharts draws a tooltip's string as HTML, and what the
     charts show is written by users: region, indicator, goal, group and pillar names, units
     (the catalogue, plans and groups can be edited). So no chart builds a tooltip's markup: each
     gives tooltip() its lines as plain text (or {text, colour}), and text() escapes every one;
     a colour is used only when it is one (#rgb/#rrggbb). Axis labels, legends and the map's
     labels are SVG text, which the browser shows as text; ECharts reads no template ({a}, {b})
     or rich-text mark ({b|x}) in a name, only in a formatter string, and none is given a name. */
  function text(value) {
    return String(value == null ? "" : value).replace(/[&<>"'`]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function swatch(colour) {
    if (typeof colour !== "string" || !/^#(?:[0-9a-fA-F]{3}){1,2}$/.test(colour)) { return ""; }
    return '<span style="display:inline-block;margin-right:4px;border-radius:5px;width:10px;' +
      'height:10px;background-color:' + colour + ';"></span>';
  }

  /* "name: value" in the page's language: the colon is the locale's (zh9.colon, full-width on
     Chinese pages), written on <html data-colon> by the server; no chart picks its own. */
  var COLON = document.documentElement.getAttribute("data-colon") || ": ";
  function labelled(name, value) { return name + COLON + value; }

  /* A tooltip of `trigger` ("item" or "axis") whose lines(params) are texts, never markup. */
  function tooltip(trigger, lines) {
    return { trigger: trigger, formatter: function (params) {
      return lines(params).map(function (line) {
        if (line !== null && typeof line === "object") { return swatch(line.colour) + text(line.text); }
        return text(line);
      }).join("<br>");
    } };
  }

  /* An axis tooltip: the category, then each series' name and value with its colour. */
  function axisLines(params) {
    var ps = Array.isArray(params) ? params : [params];
    if (!ps.length) { return []; }
    var out = [ps[0].axisValueLabel != null ? ps[0].axisValueLabel : ps[0].name];
    ps.forEach(function (p) {
      var v = p.value;
      if (v !== null && typeof v === "object" && !Array.isArray(v)) { v = v.value; }
      if (Array.isArray(v)) { v = v[v.length - 1]; }
      var shown = v == null || (typeof v === "number" && isNaN(v)) ? "–" : v;
      out.push({ text: labelled(p.seriesName, shown), colour: p.color });
    });
    return out;
  }

  function readData(el) {
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src) { return null; }
    try { return JSON.parse(src.textContent); } catch (e) { return null; }
  }

  /* The value axis, its unit written above it from the axis line rightwards (ECharts centres
     the name on the line and containLabel makes room for the tick labels only, so a long
     unit such as "10,000 persons" was cut at the chart's left edge; the grid's top leaves room
     for the height of a CJK unit, 万人). */
  function valueAxis(spec, more) {
    var axis = { type: "value", name: spec.unit ? spec.unit : "",
                 nameTextStyle: { align: "left" } };
    for (var k in more) { if (Object.prototype.hasOwnProperty.call(more, k)) { axis[k] = more[k]; } }
    return axis;
  }

  /* Room under the plot for a legend that wraps onto several lines (long pillar or region
     names on a phone): a rough width per item (symbol + text), rows of the element's width. */
  function legendBottom(names, width) {
    var rows = 1, used = 0, avail = Math.max((width || 320) - 24, 120);
    for (var i = 0; i < names.length; i++) {
      var text = String(names[i] || ""), w = 40;
      for (var j = 0; j < text.length; j++) { w += text.charCodeAt(j) > 255 ? 12 : 6.5; }
      if (used > 0 && used + w > avail) { rows += 1; used = 0; }
      used += w;
    }
    return 12 + 24 * rows;
  }

  function lineOption(spec, width) {
    var scroll = spec.series.length > 6;
    var names = spec.series.map(function (s) { return s.name; });
    return {
      color: PALETTE,
      tooltip: tooltip("axis", axisLines),
      legend: { type: scroll ? "scroll" : "plain", bottom: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: scroll ? 36 : legendBottom(names, width),
              containLabel: true },
      xAxis: { type: "category", data: spec.categories, boundaryGap: spec.kind === "bar" },
      yAxis: valueAxis(spec, { scale: spec.kind !== "bar" }),
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.kind === "bar" ? "bar" : "line", data: s.data,
                 connectNulls: true, symbolSize: 7 };
      })
    };
  }

  function targetActualOption(spec, width) {
    return {
      color: ["#1a5296", "#c62828"],
      tooltip: tooltip("axis", axisLines),
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 32, containLabel: true,
              bottom: legendBottom([spec.labels.actual, spec.labels.target], width) },
      xAxis: { type: "category", data: spec.categories },
      yAxis: valueAxis(spec, {}),
      series: [
        { name: spec.labels.actual, type: "bar", barMaxWidth: 36,
          itemStyle: { color: "#9aa5b1" },  /* the legend: each bar has its status colour */
          data: spec.actual.map(function (v, i) {
            return { value: v, itemStyle: { color: spec.colours[i] } };
          }) },
        { name: spec.labels.target, type: "line", data: spec.target, symbol: "diamond",
          symbolSize: 10, lineStyle: { type: "dashed" }, itemStyle: { color: "#1a5296" } }
      ]
    };
  }

  function rankIntervalOption(spec) {
    var n = spec.n_units || spec.categories.length;
    var rows = spec.categories.map(function (c, i) {
      return [i, spec.q5[i], spec.q95[i], spec.nominal[i], spec.median[i]];
    });
    return {
      tooltip: tooltip("item", function (p) {
        var r = rows[p.dataIndex];
        var lines = [spec.categories[r[0]], labelled(spec.labels.nominal, r[3])];
        if (r[1] != null) { lines.push(labelled(spec.labels.interval, r[1] + "–" + r[2])); }
        return lines;
      }),
      legend: { bottom: 0, data: [spec.labels.interval, spec.labels.nominal, spec.labels.median] },
      grid: { left: 8, right: 24, top: 16, bottom: 64, containLabel: true },
      yAxis: { type: "category", data: spec.categories, inverse: true },
      xAxis: { type: "value", min: 0, max: n + 1, interval: 1, name: spec.labels.rank,
               nameLocation: "middle", nameGap: 26,
               axisLabel: { formatter: function (v) { return v >= 1 && v <= n ? String(v) : ""; } } },
      series: [
        { name: spec.labels.interval, type: "custom", data: rows, itemStyle: { color: "#1a5296" },
          encode: { y: 0, x: [1, 2] },
          renderItem: function (params, api) {
            if (api.value(1) == null || isNaN(api.value(1))) { return null; }
            var a = api.coord([api.value(1), api.value(0)]);
            var b = api.coord([api.value(2), api.value(0)]);
            var h = api.size([0, 1])[1] * 0.35;
            return { type: "group", children: [
              { type: "rect", shape: { x: a[0] - 6, y: a[1] - h / 2, width: Math.max(b[0] - a[0] + 12, 12), height: h, r: h / 2 },
                style: { fill: "rgba(26,82,150,0.18)", stroke: "#1a5296", lineWidth: 1 } }
            ] };
          } },
        { name: spec.labels.median, type: "scatter", symbol: "rect", symbolSize: [3, 16],
          itemStyle: { color: "#1a5296" },
          data: rows.map(function (r) { return [r[4], r[0]]; }) },
        { name: spec.labels.nominal, type: "scatter", symbolSize: 12, itemStyle: { color: "#c62828" },
          data: rows.map(function (r) { return [r[3], r[0]]; }) }
      ]
    };
  }

  /* A province's cities coloured by one layer (spec.kind "map"): the boundaries are fetched
     once from /maps/<code>.json (vendored, ECharts' compressed GeoJSON); the cities of the peer
     group are outlined; a city without a value stays grey; a city known only as a bound
     (c.bound, "≥2,300") is pale amber with a dashed edge, outside the colour scale, its figure in the tooltip. */
  function mapOption(spec, width) {
    var names = {}, i;
    var statusOf = {}, textOf = {}, boundOf = {};
    for (i = 0; i < spec.cities.length; i++) {
      names[spec.cities[i].feature] = spec.cities[i].name;
      statusOf[spec.cities[i].feature] = spec.cities[i].status_label;
      textOf[spec.cities[i].feature] = spec.cities[i].text;
      boundOf[spec.cities[i].feature] = spec.cities[i].bound;
    }
    var unit = spec.unit ? " " + spec.unit : "";
    var option = {
      tooltip: tooltip("item", function (p) {
        var v = p.value;
        if (spec.scale === "status") {
          return [names[p.name] || p.name, statusOf[p.name] || spec.labels.nodata];
        }
        if ((v == null || isNaN(v)) && boundOf[p.name] && textOf[p.name]) {
          return [names[p.name] || p.name,
                  textOf[p.name] + unit + " (" + (spec.labels.bound || "") + ")"];
        }
        return [names[p.name] || p.name, v == null || isNaN(v) ? spec.labels.nodata
                : (textOf[p.name] || v) + unit];
      }),
      series: [{
        type: "map", map: spec.map, roam: false, top: 8, bottom: spec.min == null ? 8 : 56,
        left: "center", aspectScale: 0.85, selectedMode: false,
        label: { show: true, fontSize: width < 420 ? 9 : 11, color: "#1f2933",
                 formatter: function (p) { return names[p.name] || p.name; } },
        itemStyle: { areaColor: "#e8e8e8", borderColor: "#ffffff", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#f2c14e" } },
        data: spec.cities.map(function (c) {
          var item = { name: c.feature, value: c.value == null ? NaN : c.value };
          item.itemStyle = {};
          /* a status layer: each city filled with its status colour (the server's table) */
          if (spec.scale === "status") {
            item.itemStyle.areaColor = c.hex;
            item.label = { color: "#1f2933", textBorderColor: "#ffffff", textBorderWidth: 2 };
          }
          if (c.value == null && c.bound && spec.scale !== "status") {
            /* pale amber with a dashed edge (the legend's swatch): neither a shade of the
               scale nor the grey of no figure (ECharts 4.9 has no hatching) */
            item.itemStyle.areaColor = "#f3e3bf";
            item.itemStyle.borderColor = "#b98a35";
            item.itemStyle.borderType = "dashed";
            item.itemStyle.borderWidth = 1.5;
          }
          if (c.outlined) { item.itemStyle.borderColor = "#c62828"; item.itemStyle.borderWidth = 2.5; }
          /* a dark fill gets a light name */
          if (c.value != null && spec.max > spec.min &&
              (c.value - spec.min) / (spec.max - spec.min) > 0.6) {
            item.label = { color: "#ffffff", textBorderColor: "#1a5296", textBorderWidth: 2 };
          }
          return item;
        })
      }]
    };
    if (spec.min != null && spec.scale !== "status") {
      option.visualMap = { type: "continuous", min: spec.min,
                           max: spec.max > spec.min ? spec.max : spec.min + 1,
                           orient: "horizontal", left: "center", bottom: 4,
                           itemHeight: width < 420 ? 70 : 160,  /* the ends' words fit a phone */
                           text: [(spec.max_text || String(spec.max)) + unit,
                                  spec.min_text || String(spec.min)], calculable: false,
                           inRange: { color: ["#dbe7f3", "#7aa3cf", "#1a5296"] } };
    }
    return option;
  }

  /* The map's names laid out so that none lies on another (left12): each name's box is put at
     its label point (in pixels, once the map is drawn); a box that meets one already placed is
     moved, by steps of its own height, below or above (then beside) its point until it meets
     none, nearest first; names are placed in the order of the cities (the capital's, first by
     its code, stays on its point).
     ECharts' own labelLayout does not reach a map series' labels. */
  function spreadMapLabels(chart, spec, width) {
    var size = width < 420 ? 9 : 11;
    var ctx = document.createElement("canvas").getContext("2d");
    if (!ctx) { return; }
    ctx.font = size + "px " + (window.getComputedStyle(document.body).fontFamily || "sans-serif");
    var boxes = [], items = [], i, k;
    for (i = 0; i < spec.cities.length; i++) {
      var c = spec.cities[i];
      if (!c.label_point) { continue; }
      var at = chart.convertToPixel({ seriesIndex: 0 }, c.label_point);
      if (!at || isNaN(at[0])) { continue; }
      items.push({ city: c, x: at[0], y: at[1], w: ctx.measureText(c.name).width + 6,
                   h: size * 1.3 + 2 });
    }
    function meets(b) {
      for (var j = 0; j < boxes.length; j++) {
        var o = boxes[j];
        if (b.l < o.r && o.l < b.r && b.t < o.b && o.t < b.b) { return true; }
      }
      return false;
    }
    var moves = [[0, 0]];
    for (k = 1; k <= 6; k++) { moves.push([0, k], [0, -k], [k, 0], [-k, 0]); }
    var offsets = {};
    for (i = 0; i < items.length; i++) {
      var it = items[i];
      for (k = 0; k < moves.length; k++) {
        var dx = moves[k][0] * it.w * 0.6, dy = moves[k][1] * it.h;
        var box = { l: it.x + dx - it.w / 2, r: it.x + dx + it.w / 2,
                    t: it.y + dy - it.h / 2, b: it.y + dy + it.h / 2 };
        if (!meets(box) || k === moves.length - 1) {
          boxes.push(box);
          if (dx || dy) { offsets[it.city.feature] = [dx, dy]; }
          break;
        }
      }
    }
    var moved = Object.keys(offsets);
    if (!moved.length) { return; }
    var option = mapOption(spec, width);
    option.series[0].data.forEach(function (d) {
      if (offsets[d.name]) { d.label = Object.assign({}, d.label || {}, { offset: offsets[d.name] }); }
    });
    chart.setOption({ series: [{ data: option.series[0].data }] });
  }

  var BUILDERS = { line: lineOption, bar: lineOption, target_actual: targetActualOption,
                   rank_interval: rankIntervalOption, map: mapOption };
  var MAPS = {};

  function withMap(spec, then) {
    var code = spec.map;
    if (MAPS[code]) { then(); return; }
    if (!window.fetch) { return; }
    window.fetch("/maps/" + encodeURIComponent(code) + ".json").then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (geo) {
      if (!geo) { return; }
      /* names go to the label points the server computed (one rule with the report's map) */
      var at = {};
      for (var i = 0; i < spec.cities.length; i++) {
        if (spec.cities[i].label_point) { at[spec.cities[i].feature] = spec.cities[i].label_point; }
      }
      for (var j = 0; j < geo.features.length; j++) {
        var props = geo.features[j].properties || {};
        if (at[props.name]) { props.cp = at[props.name]; }
      }
      window.echarts.registerMap(code, geo);
      MAPS[code] = true;
      then();
    });
  }

  function draw(el) {
    var spec = readData(el);
    if (!spec || !window.echarts || !BUILDERS[spec.kind]) { return; }
    var paint = function () {
      el.classList.add("chart-live");
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(BUILDERS[spec.kind](spec, el.clientWidth));
      if (spec.kind === "map") { spreadMapLabels(chart, spec, el.clientWidth); }
      window.addEventListener("resize", function () {
        chart.resize();
        if (spec.kind === "map") {  /* the names laid out again for the new size */
          chart.setOption(BUILDERS[spec.kind](spec, el.clientWidth));
          spreadMapLabels(chart, spec, el.clientWidth);
        }
      });
    };
    if (spec.kind === "map") { withMap(spec, paint); } else { paint(); }
  }

  function start() {
    var els = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < els.length; i++) { draw(els[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
