// bench/run-wasm.js: the V8 runner. Run it under the tier to measure:
//
//   node --no-liftoff   --no-wasm-lazy-compilation bench/run-wasm.js run FILE.wasm [REPEAT] [EXPORT]
//   node --liftoff-only --no-wasm-lazy-compilation bench/run-wasm.js run FILE.wasm [REPEAT] [EXPORT]
//   node --liftoff-only --no-wasm-lazy-compilation --single-threaded bench/run-wasm.js compile FILE.wasm
//
// `run` compiles and instantiates the module (timed apart), then calls EXPORT
// (default bench_run, no arguments) REPEAT times, timing each call alone with
// performance.now(). It prints `compile: S`, `instantiate: S`, one `time: S`
// (wall clock) and one `cpu: S` (the process's CPU time, process.cpuUsage)
// per call and `checksum: N` (the i64 result as signed decimal). A call that
// takes over 3 s makes it best of 3, to keep `make bench` within minutes.
//
// `compile` is for compile speed: the first compile of a fresh process (a
// second compile of the same bytes would hit V8's cache), synchronous, with
// eager compilation (node compiles lazily by default, and then only
// validates). Before it, a tiny module of other bytes is compiled untimed,
// so that the figure leaves out V8's one-time set-up of its Wasm engine
// (about as much as a whole small module costs). It prints `compile: S`
// (wall clock), `compile_cpu: S` (CPU time of the process: with
// --single-threaded all the work is on this thread) and `code_bytes: N` (the size of the code section, for MB/s).
'use strict';
const fs = require('fs');
const { performance } = require('perf_hooks');
const { codeSectionSize } = require('./wasm-file');


// (module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
const WARMUP = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0,
  7, 5, 1, 1, 102, 0, 0, 10, 9, 1, 7, 0, 32, 0, 65, 1, 106, 11]);

function main(argv) {
  const [mode, file, repeatArg, exportArg] = argv;
  if (!file || (mode !== 'run' && mode !== 'compile')) {
    console.error('usage: run-wasm.js run FILE.wasm [REPEAT] [EXPORT] | compile FILE.wasm');
    return 2;
  }
  const bytes = fs.readFileSync(file);
  if (mode === 'compile') new WebAssembly.Module(WARMUP);
  const cc = process.cpuUsage();
  let t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  let t1 = performance.now();
  const ccu = process.cpuUsage(cc);
  console.log(`compile: ${((t1 - t0) / 1e3).toFixed(6)}`);
  if (mode === 'compile') {
    console.log(`compile_cpu: ${((ccu.user + ccu.system) / 1e6).toFixed(6)}`);
    console.log(`code_bytes: ${codeSectionSize(bytes)}`);
    return 0;
  }
  t0 = performance.now();
  const instance = new WebAssembly.Instance(module, {});
  t1 = performance.now();
  console.log(`instantiate: ${((t1 - t0) / 1e3).toFixed(6)}`);
  const fn = instance.exports[exportArg || 'bench_run'];
  if (typeof fn !== 'function') {
    console.error(`no exported function ${exportArg || 'bench_run'}`);
    return 1;
  }
  let repeat = Math.max(1, parseInt(repeatArg || '1', 10));
  let first;
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    t0 = performance.now();
    const r = fn();
    t1 = performance.now();
    const c = process.cpuUsage(c0);
    console.log(`time: ${((t1 - t0) / 1e3).toFixed(6)}`);
    console.log(`cpu: ${((c.user + c.system) / 1e6).toFixed(6)}`);
    if (i === 0 && t1 - t0 > 3000 && repeat > 3) repeat = 3; /* slow: best of 3 */
    const sum = BigInt.asIntN(64, BigInt(r));
    if (i === 0) first = sum;
    else if (sum !== first) {
      console.error(`checksum changed between calls: ${first} then ${sum}`);
      return 1;
    }
  }
  console.log(`checksum: ${first}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
