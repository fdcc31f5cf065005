/* The ties page: the network on the chosen date beside a timeline of ties, both driven by one as-of date.
   Dragging the timeline's red bar or the slider asks the server for the network on the new date
   (/api/network) and swaps the list of ties (/fragments/ties, with htmx); the URL keeps the date. */
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("ties-data").textContent);
  const DAY = 86400000;
  const WIDTHS = { sisterhood: 4, friendship: 3, cooperation: 2, contact: 1, suspended: 2, ended: 1 };
  const COUNTRY_FILL = { KR: "#dbe7f7", CN: "#f8dcd8" };

  function parseDay(text) {
    const [year, month, day] = text.split("-").map(Number);
    const date = new Date(2000, 0, 1);
    date.setFullYear(year, month - 1, day);
    date.setHours(0, 0, 0, 0);
    return date;
  }
  function sinceInWords(edtf) {
    // as presentation/describe.py says it: "../2026-11-28" is "by 2026-11-28", "A/B" "since between A and B"
    const [start, end] = edtf.split("/");
    if (end === undefined) return `since ${edtf}`;
    if (start === "" || start === "..") return `by ${end}`;
    if (end === "" || end === "..") return `since ${start} or later`;
    return `since between ${start} and ${end}`;
  }
  function isoDay(date) {
    const pad = (value, width) => String(value).padStart(width, "0");
    return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
  }
  function dayNumber(date) {
    return Math.round(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY);
  }
  function fromDayNumber(number) {
    const utc = new Date(number * DAY);
    return parseDay(utc.toISOString().slice(0, 10));
  }
  function withDate(url, day) {
    const found = new URL(url, window.location.origin);
    found.searchParams.set("as_of", day);
    return found.pathname + found.search;
  }
  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  const first = parseDay(data.min);
  const last = parseDay(data.max);
  const names = Object.fromEntries(data.nodes.map((node) => [node.code, node.name]));

  // The network: one column of actors per country, fixed, so only the ties move.
  const nodes = new vis.DataSet(
    data.nodes.map((node) => ({
      id: node.code,
      label: node.name.length > 34 ? `${node.name.slice(0, 33)}…` : node.name,
      title: `${node.name} (${node.code}, ${node.level.replace("_", " ")})`,
      x: node.x,
      y: node.y,
      fixed: true,
      shape: node.level === "country" ? "diamond" : node.body ? "square" : "dot",
      size: node.level === "city" || node.body ? 7 : 11,
      color: { background: COUNTRY_FILL[node.country] || "#eeeeee", border: "#4a4a4a" },
      font: { size: node.body ? 12 : 14, color: "#1d1d1d" },
      url: node.url,
    })),
  );
  function pairUrl(a, b) {
    const segment = (code) => encodeURIComponent(code).replace(/%3A/gi, ":");
    return `/pairs/${segment(a)}/${segment(b)}`;
  }
  function edgeOf(edge) {
    const since = edge.since ? `, ${sinceInWords(edge.since)}` : "";
    return {
      id: `${edge.a}|${edge.b}`,
      from: edge.a,
      to: edge.b,
      color: { color: data.colours[edge.status], highlight: data.colours[edge.status], hover: data.colours[edge.status] },
      dashes: edge.certainty === "possible" ? [8, 7] : false,
      width: WIDTHS[edge.status] || 1,
      title: `${names[edge.a] || edge.a} – ${names[edge.b] || edge.b}: ${edge.status} (${edge.certainty})${since}`,
      url: pairUrl(edge.a, edge.b),
    };
  }
  const edges = new vis.DataSet(data.edges.map(edgeOf));
  const network = new vis.Network(
    document.getElementById("network"),
    { nodes, edges },
    {
      physics: false,
      edges: { smooth: false },
      interaction: { hover: true, dragNodes: false, tooltipDelay: 150 },
      nodes: { borderWidth: 1 },
    },
  );
  function applyEdges(found) {
    const wanted = new Set(found.map((edge) => edge.id));
    edges.remove(edges.getIds().filter((id) => !wanted.has(id)));
    edges.update(found.map(edgeOf));
  }

  // The timeline: one row per pair, a bar per stretch of one status; hatched where only possible.
  const groups = new vis.DataSet(
    data.pairs.map((pair, order) => {
      const label = document.createElement("a");
      label.href = pair.url;
      label.textContent = pair.label;
      label.className = "pair-label";
      return { id: pair.id, content: label, order };
    }),
  );
  const items = new vis.DataSet(
    data.pairs.flatMap((pair) =>
      pair.periods.map((period, index) => {
        const tip = document.createElement("div");
        tip.textContent =
          `${pair.label}: ${period.status} (${period.certainty}) from ${period.start}` +
          (period.since ? `, ${sinceInWords(period.since)}` : "");
        return {
          id: `${pair.id}#${index}`,
          group: pair.id,
          start: parseDay(period.start),
          end: parseDay(period.end),
          type: "range",
          content: "",
          className: `tie ${period.status} ${period.certainty}`,
          style: `background-color: ${data.colours[period.status]}; border-color: ${data.colours[period.status]};`,
          title: tip.innerHTML,
          url: pair.url,
        };
      }),
    ),
  );
  const timeline = new vis.Timeline(document.getElementById("timeline"), items, groups, {
    min: first,
    max: last,
    stack: false,
    selectable: false,
    showCurrentTime: false,
    orientation: { axis: "top" },
    margin: { item: { horizontal: 0, vertical: 4 } },
    zoomMin: 30 * DAY,
    snap: null,
    tooltip: { followMouse: true, delay: 150 },
  });
  const wholeSpan = () => {
    timeline.off("changed", wholeSpan);
    timeline.setWindow(first, last, { animation: false });
  };
  timeline.on("changed", wholeSpan);
  timeline.addCustomTime(parseDay(data.asOf), "as-of");
  timeline.setCustomTimeMarker(data.asOf, "as-of", false);

  // One date drives everything; the server answers the newest date asked for, one request at a time.
  const slider = document.getElementById("as-of-slider");
  const label = document.getElementById("as-of-label");
  const dateInput = document.getElementById("as-of-date");
  slider.min = String(dayNumber(first));
  slider.max = String(dayNumber(last));
  slider.value = String(dayNumber(parseDay(data.asOf)));
  let wanted = data.asOf;
  let shown = data.asOf;
  let busy = false;

  function show(day, from) {
    if (from !== "timeline") timeline.setCustomTime(parseDay(day), "as-of");
    if (from !== "slider") slider.value = String(dayNumber(parseDay(day)));
    if (from !== "input") dateInput.value = day;
    timeline.setCustomTimeMarker(day, "as-of", false);
    label.textContent = day;
    wanted = day;
    if (!busy) run();
  }
  function clamp(date) {
    return date < first ? first : date > last ? last : date;
  }
  async function run() {
    busy = true;
    try {
      while (wanted !== shown) {
        const day = wanted;
        const response = await fetch(withDate(data.networkUrl, day), { headers: { Accept: "application/json" } });
        if (!response.ok) {
          label.textContent = `${day}: ${(await response.json()).error}`;
          break;
        }
        applyEdges((await response.json()).edges);
        await htmx.ajax("GET", withDate(data.fragmentUrl, day), { target: "#ties-panel", swap: "innerHTML" });
        shown = day;
        window.history.replaceState(null, "", withDate(data.pageUrl, day));
        document.title = `Ties on ${day} · Paradip`;
      }
    } finally {
      busy = false;
    }
  }

  timeline.on("timechange", (event) => {
    if (event.id === "as-of") show(isoDay(clamp(event.time)), "timeline");
  });
  timeline.on("timechanged", (event) => {
    if (event.id === "as-of") show(isoDay(clamp(event.time)), "timeline");
  });
  slider.addEventListener("input", () => show(isoDay(fromDayNumber(Number(slider.value))), "slider"));
  dateInput.addEventListener("change", () => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) show(isoDay(clamp(parseDay(dateInput.value))), "input");
  });
  network.on("click", (event) => {
    if (event.nodes.length) {
      window.location.href = withDate(nodes.get(event.nodes[0]).url, shown);
    } else if (event.edges.length) {
      window.location.href = withDate(edges.get(event.edges[0]).url, shown);
    }
  });
  timeline.on("click", (event) => {
    if (event.item) window.location.href = withDate(items.get(event.item).url, isoDay(event.time));
  });
  document.getElementById("network").dataset.ready = plural(edges.length, "tie");

  window.paradipTies = {
    timeline,
    network,
    shown: () => shown,
    wanted: () => wanted,
    busy: () => busy,
    edges: () => edges.get().map((edge) => edge.id),
  };
})();
