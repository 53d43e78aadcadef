//go:build js && wasm

// Command wasm is wtcheck compiled to WebAssembly for the page in web/static: it runs in a
// Web Worker (or, where the browser refuses one, on the page itself) and does nothing but
// check the bytes it is handed. It makes no network request: the page's Content Security
// Policy would refuse one, and there is none to make.
//
// It sets two functions on the global object and then waits for calls:
//
//	wtcheckRun(optionsJSON string, files [{name, data: Uint8Array}], progress func(records),
//	           extra {packs: [{name, data}], holidays: [{name, data}]})
//	    -> {summary: JSON string, html: string} or {error: string}
//	wtcheckWrite(format string) -> Uint8Array or {error: string}
//	wtcheckWarm() -> null or {error: string}
//
// wtcheckWrite writes the last run's report in html, json, csv or xlsx.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"io"
	"syscall/js"

	"github.com/wtcheck/wtcheck/web"
)

// warmup is a synthetic case (fixtures/scenarios/icpc-late) checked once after the engine
// starts: a browser compiles each WebAssembly function the first time it is called, so the
// first check paid several seconds for it; checked while the user chooses files, it is paid
// before it is noticed.
//
//go:embed warmup.json
var warmup []byte

// version is set by make web (-ldflags -X main.version=…), as the release sets the CLI's.
var version = "dev"

func main() {
	var last *web.Result
	js.Global().Set("wtcheckRun", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 {
			return failure("wtcheckRun wants the options and the files")
		}
		var opts web.Options
		if err := json.Unmarshal([]byte(args[0].String()), &opts); err != nil {
			return failure("read options: " + err.Error())
		}
		opts.Version = version
		files := goFiles(args[1])
		var progress func(int)
		if len(args) > 2 && args[2].Type() == js.TypeFunction {
			progress = func(n int) { args[2].Invoke(n) }
		}
		if len(args) > 3 && args[3].Type() == js.TypeObject {
			// A local pack (--pack) and extra holidays (--holidays), as files.
			opts.Packs = goFiles(args[3].Get("packs"))
			opts.Holidays = goFiles(args[3].Get("holidays"))
		}
		last = nil
		res, err := web.Run(opts, files, progress)
		if err != nil {
			return failure(err.Error())
		}
		last = res
		var html bytes.Buffer
		if err := res.Write(&html, "html"); err != nil {
			return failure(err.Error())
		}
		s, err := json.Marshal(res.Page())
		if err != nil {
			return failure(err.Error())
		}
		return map[string]any{"summary": string(s), "html": html.String()}
	}))
	js.Global().Set("wtcheckWrite", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if last == nil {
			return failure("nothing checked yet")
		}
		if len(args) < 1 {
			return failure("wtcheckWrite wants a format")
		}
		var buf bytes.Buffer
		if err := last.Write(&buf, args[0].String()); err != nil {
			return failure(err.Error())
		}
		out := js.Global().Get("Uint8Array").New(buf.Len())
		js.CopyBytesToJS(out, buf.Bytes())
		return out
	}))
	js.Global().Set("wtcheckWarm", js.FuncOf(func(js.Value, []js.Value) any {
		res, err := web.Run(web.Options{Version: version}, []web.File{{Name: "warmup.json", Data: warmup}}, nil)
		if err != nil {
			return failure(err.Error())
		}
		for _, format := range web.Formats {
			if err := res.Write(io.Discard, format); err != nil {
				return failure(err.Error())
			}
		}
		return nil
	}))
	js.Global().Set("wtcheckVersion", version)
	select {} // the functions above are called from JavaScript until the page closes
}

// goFiles copies an array of {name, data: Uint8Array} into Go; undefined is none.
func goFiles(list js.Value) []web.File {
	if list.Type() != js.TypeObject {
		return nil
	}
	var files []web.File
	for i := range list.Length() {
		f := list.Index(i)
		data := make([]byte, f.Get("data").Get("length").Int())
		js.CopyBytesToGo(data, f.Get("data"))
		files = append(files, web.File{Name: f.Get("name").String(), Data: data})
	}
	return files
}

func failure(msg string) any { return map[string]any{"error": msg} }
