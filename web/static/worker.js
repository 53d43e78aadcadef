// The wtcheck engine's side of the page. In a Web Worker (the usual way) this file is part of
// the worker's source, after Go's wasm_exec.js; where the browser refuses a worker, the page
// loads both with <script> tags and calls wtcheckWorker itself, on its own thread.
//
// wtcheckWorker(post) returns the handler of the page's messages; post(message, transfer)
// answers. Messages:
//   {type: "load", wasm: base64 string}            -> {type: "ready", ms, version}, then {type: "warmed", ms},
//                                                     or {type: "failed", error}
//   {type: "run", options, files: [{name, data}], packs, holidays}
//                                                  -> {type: "progress", records}..., then
//                                                     {type: "done", summary, html, ms} or {type: "failed", error}
//   {type: "write", format}                        -> {type: "file", format, data} or {type: "failed", error}
"use strict";

function wtcheckWorker(post) {
  let ready = null;

  function decodeBase64(text) {
    if (typeof Uint8Array.fromBase64 === "function") {
      return Uint8Array.fromBase64(text);
    }
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  // load decompresses and starts the Go program, which sets wtcheckRun and wtcheckWrite.
  async function load(base64) {
    const started = performance.now();
    const gz = decodeBase64(base64);
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
    const wasm = await new Response(stream).arrayBuffer();
    const go = new Go();
    const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
    go.run(instance); // runs main until it waits for calls; the promise ends only with the program
    if (typeof globalThis.wtcheckRun !== "function") {
      throw new Error("the engine did not start");
    }
    return { ms: Math.round(performance.now() - started), version: globalThis.wtcheckVersion };
  }

  function fail(err) {
    post({ type: "failed", error: String((err && err.message) || err) });
  }

  return function handle(msg) {
    switch (msg.type) {
      case "load":
        ready = load(msg.wasm);
        ready.then((info) => {
          post({ type: "ready", ms: info.ms, version: info.version });
          // A first check of a synthetic case, while the user chooses files: the browser
          // compiles each function of the engine the first time it runs.
          const started = performance.now();
          const warmed = globalThis.wtcheckWarm();
          if (warmed && warmed.error) fail("warm-up: " + warmed.error);
          post({ type: "warmed", ms: Math.round(performance.now() - started) });
        }, fail);
        break;
      case "run":
        ready.then(() => {
          const started = performance.now();
          const bytes = (list) => (list || []).map((f) => ({ name: f.name, data: new Uint8Array(f.data) }));
          const out = globalThis.wtcheckRun(
            JSON.stringify(msg.options),
            bytes(msg.files),
            (records) => post({ type: "progress", records }),
            { packs: bytes(msg.packs), holidays: bytes(msg.holidays) },
          );
          if (out.error) {
            fail(out.error);
            return;
          }
          post({ type: "done", summary: JSON.parse(out.summary), html: out.html, ms: Math.round(performance.now() - started) });
        }).catch(fail);
        break;
      case "write":
        ready.then(() => {
          const out = globalThis.wtcheckWrite(msg.format);
          if (out.error) {
            fail(out.error);
            return;
          }
          post({ type: "file", format: msg.format, data: out.buffer }, [out.buffer]);
        }).catch(fail);
        break;
      default:
        fail("unknown message " + msg.type);
    }
  };
}
