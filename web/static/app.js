// The page: it collects the files and options, hands them to the engine (worker.js, in a
// Web Worker) and shows what comes back. It makes no request: the files are read from the
// computer and the reports are downloaded from memory.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = document.documentElement.dataset;
  let engine = null; // {post(message, transfer)}
  let ready = false;
  let chosen = []; // File objects, with the name each is shown and read under

  // startEngine runs the engine in a Web Worker started from a Blob of its source, which
  // works from disk (file://) as from a web server; where the browser refuses a worker, it
  // runs on the page itself, which then cannot respond while a check runs.
  function startEngine() {
    if (new URLSearchParams(location.search).get("engine") === "page") {
      onPage(); // as where workers are refused: the browser test tries this way too
      return;
    }
    try {
      const url = URL.createObjectURL(new Blob([globalThis.WTCHECK_WORKER], { type: "text/javascript" }));
      const worker = new Worker(url);
      worker.onmessage = (e) => receive(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        if (!ready) {
          worker.terminate();
          onPage();
        }
      };
      engine = { post: (m, t) => worker.postMessage(m, t || []) };
      state.engine = "worker";
    } catch (err) {
      onPage();
      return;
    }
    engine.post({ type: "load", wasm: globalThis.WTCHECK_WASM });
  }

  function onPage() {
    const handle = wtcheckWorker((m) => setTimeout(() => receive(m), 0));
    engine = { post: (m) => setTimeout(() => handle(m), 0) };
    state.engine = "page";
    engine.post({ type: "load", wasm: globalThis.WTCHECK_WASM });
  }

  function say(text) {
    $("status").textContent = text;
  }

  function problem(text) {
    const p = $("problem");
    p.textContent = text;
    p.hidden = !text;
  }

  let started = 0;
  function receive(msg) {
    switch (msg.type) {
      case "ready":
        ready = true;
        state.ready = "1";
        $("version").textContent = msg.version || "";
        say("Ready: choose files and press Check.");
        $("run").disabled = false;
        break;
      case "warmed":
        state.warmed = String(msg.ms);
        break;
      case "progress":
        say(msg.records + " records read…");
        break;
      case "done":
        state.ms = String(Math.round(performance.now() - started));
        show(msg.summary, msg.html);
        say("Checked in " + (msg.ms / 1000).toFixed(1) + " s.");
        $("run").disabled = false;
        state.state = "done";
        break;
      case "file":
        download(msg.format, msg.data);
        break;
      case "failed":
        if (!ready) {
          say("The engine could not start.");
        } else {
          say("");
        }
        problem(msg.error);
        $("run").disabled = !ready;
        state.state = "failed";
        break;
    }
  }

  function describeChosen() {
    const n = chosen.length;
    if (n === 0) {
      $("chosen").textContent = "No file chosen.";
      return;
    }
    const bytes = chosen.reduce((sum, f) => sum + f.file.size, 0);
    const names = chosen.slice(0, 3).map((f) => f.name).join(", ") + (n > 3 ? ", …" : "");
    $("chosen").textContent = n + (n === 1 ? " file" : " files") + " chosen (" + size(bytes) + "): " + names;
  }

  function size(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1 << 20) return (bytes / 1024).toFixed(0) + " KB";
    return (bytes / (1 << 20)).toFixed(1) + " MB";
  }

  function choose(list) {
    chosen = Array.from(list).map((file) => ({ name: file.webkitRelativePath || file.name, file }));
    describeChosen();
  }

  // walk lists the files of dropped entries, folders walked, each named by its path from
  // what was dropped ("ssd-sample/ssd_person.csv"), as a folder chosen names them.
  async function walk(entries) {
    const out = [];
    const visit = async (entry) => {
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        out.push({ name: entry.fullPath.replace(/^\//, ""), file });
        return;
      }
      const reader = entry.createReader();
      for (;;) {
        // readEntries gives a folder's entries a batch at a time, then an empty batch.
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const e of batch) await visit(e);
      }
    };
    for (const entry of entries) await visit(entry);
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }

  function options() {
    const opts = { input_format: $("format").value, editions: [], sets: [] };
    if (document.querySelector("input[name=mode]:checked").value === "chosen") {
      opts.editions = Array.from(document.querySelectorAll("#editions input:checked")).map((c) => c.value);
      if (opts.editions.length === 0) {
        throw new Error("Choose at least one edition, or check each referral under the edition in force.");
      }
    } else {
      opts.editions = ["in-force"];
    }
    if ($("as-of").value) opts.as_of = $("as-of").value;
    const dueSoon = $("due-soon").value.trim();
    if (dueSoon !== "") {
      const n = Number(dueSoon);
      if (!Number.isInteger(n) || n < 0) throw new Error('"Due soon" must be a whole number of working days, 0 or more.');
      opts.due_soon = n;
    }
    opts.sets = $("sets").value.split("\n").map((s) => s.trim()).filter((s) => s !== "");
    if ($("redact").checked) {
      opts.redact = true;
      opts.redact_key = $("redact-key").value;
    }
    if (opts.input_format === "cin-census" && $("s47-proxy").checked) {
      opts.s47_start_as_strategy_discussion = true;
    }
    return opts;
  }

  async function run(event) {
    event.preventDefault();
    problem("");
    if (!ready) return;
    if (chosen.length === 0) {
      problem("Choose a file first.");
      return;
    }
    let opts;
    try {
      opts = options();
    } catch (err) {
      problem(err.message);
      return;
    }
    $("run").disabled = true;
    state.state = "running";
    started = performance.now();
    say("Reading " + chosen.length + (chosen.length === 1 ? " file…" : " files…"));
    const read = (list) => Promise.all(Array.from(list).map(async (f) => ({ name: f.name || f.file.name, data: await (f.file || f).arrayBuffer() })));
    const files = await read(chosen);
    const packs = await read($("packs").files);
    const holidays = await read($("holidays").files);
    say("Checking…");
    const buffers = [...files, ...packs, ...holidays].map((f) => f.data);
    engine.post({ type: "run", options: opts, files, packs, holidays }, buffers);
  }

  function show(summary, html) {
    const s = summary.summary;
    $("summary-line").textContent = summary.line;
    $("n-read").textContent = s.records_read;
    $("n-cases").textContent = s.cases;
    $("n-skipped").textContent = s.records_skipped;
    $("n-warnings").textContent = s.warnings;
    for (const status of ["breach", "pending", "met", "not_applicable", "insufficient_data"]) {
      $("n-" + status).textContent = s.findings[status];
    }
    const cov = $("coverage");
    cov.textContent = summary.coverage || "";
    cov.hidden = !summary.coverage;
    const list = $("note-list");
    list.replaceChildren();
    const add = (kind, lines, most) => {
      for (const line of lines.slice(0, most)) {
        const li = document.createElement("li");
        li.textContent = kind + ": " + line;
        list.append(li);
      }
      if (lines.length > most) {
        const li = document.createElement("li");
        li.textContent = "and " + (lines.length - most) + " more " + kind.toLowerCase() + "s: download the JSON for every one.";
        list.append(li);
      }
    };
    add("Error", summary.errors, 200);
    add("Warning", summary.warnings, 200);
    add("Note", summary.notes, 50);
    if (summary.passed_over.length > 0) {
      add("Passed over (not a file of this kind)", summary.passed_over, 50);
    }
    $("notes").hidden = list.children.length === 0;
    $("result").hidden = false;
    const frame = $("report");
    frame.onload = () => {
      // The frame is as tall as the report, so that the page scrolls as one.
      const doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = doc.documentElement.scrollHeight + 24 + "px";
      }
    };
    frame.srcdoc = html;
  }

  const types = {
    html: "text/html",
    json: "application/json",
    csv: "text/csv",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  };
  const names = { html: "report.html", xlsx: "report.xlsx", csv: "findings.csv", json: "findings.json" };

  function download(format, data) {
    const url = URL.createObjectURL(new Blob([data], { type: types[format] }));
    const a = document.createElement("a");
    a.href = url;
    a.download = names[format];
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say("Downloaded " + names[format] + ".");
    state.downloaded = (state.downloaded ? state.downloaded + " " : "") + names[format];
  }

  function init() {
    $("form").addEventListener("submit", run);
    $("files").addEventListener("change", (e) => choose(e.target.files));
    $("folder").addEventListener("change", (e) => choose(e.target.files));
    const drop = $("drop");
    for (const type of ["dragenter", "dragover"]) {
      document.addEventListener(type, (e) => {
        e.preventDefault();
        drop.classList.add("over");
      });
    }
    document.addEventListener("dragleave", () => drop.classList.remove("over"));
    document.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (!e.dataTransfer) return;
      // A dropped folder is walked where the browser gives entries; the entries must be taken
      // now, while the event lasts.
      const entries = Array.from(e.dataTransfer.items || [])
        .map((item) => (item.kind === "file" && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null))
        .filter((entry) => entry);
      if (entries.length > 0 && entries.some((entry) => entry.isDirectory)) {
        say("Reading the folder…");
        walk(entries).then(
          (found) => {
            chosen = found;
            describeChosen();
            say(ready ? "Ready: press Check." : "Loading the engine…");
          },
          (err) => problem("The folder could not be read: " + ((err && err.message) || err)),
        );
        return;
      }
      if (e.dataTransfer.files.length > 0) choose(e.dataTransfer.files);
    });
    $("redact").addEventListener("change", () => {
      $("key-field").hidden = !$("redact").checked;
    });
    $("format").addEventListener("change", () => {
      $("proxy-field").hidden = $("format").value !== "cin-census";
    });
    for (const box of document.querySelectorAll("#editions input")) {
      box.addEventListener("change", () => {
        if (box.checked) $("chosen-editions").checked = true;
      });
    }
    for (const button of document.querySelectorAll("button[data-format]")) {
      button.addEventListener("click", () => {
        problem("");
        say("Writing " + names[button.dataset.format] + "…");
        engine.post({ type: "write", format: button.dataset.format });
      });
    }
    if (typeof globalThis.WTCHECK_WASM !== "string" || typeof globalThis.WTCHECK_WORKER !== "string") {
      problem("The engine is missing (wtcheck-wasm.js): build the page with make web.");
      return;
    }
    startEngine();
  }

  init();
})();
