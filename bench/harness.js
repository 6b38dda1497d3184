// bench/harness.js: `make bench`. Runs every benchmark on every runner in one
// go on this machine, prints the table and writes build/bench.json.
//
//   node bench/harness.js [--repeat N] [--only a,b,...] [--no-compile] [--no-run]
//                         [--clock cpu|wall]
//
// Times are CPU time by default (user + system of the one thread doing the
// work): on a shared machine wall-clock time also counts the time a process
// waits for a CPU, which here was often several times the work itself.
// `--clock wall` uses wall-clock time; both are in build/bench.json.
//
// Runners (all time the bench_run call alone, one call per process; best of
// 3 processes, up to N (--repeat, default 5) while the two lowest differ by
// over 2%, and 3 whatever the spread when the first call takes over 1.5 s):
//   native    build/bench/gcc/NAME    gcc -O2 (x86-64)
//   clang     build/bench/clang/NAME  clang-14 -O2 (x86-64)
//   turbofan  node --no-liftoff       V8's optimizing tier only
//   liftoff   node --liftoff-only     V8's baseline tier only
//   coral     build/coral run FILE.wasm --invoke bench_run --time
//             (n/a until build/coral exists and can run the module)
// A row's checksum_ok is false when any two runners that produced a checksum
// disagree. Compile speed is MB/s of code section, first compile of a fresh
// process, one thread. docs/performance.md explains the rest.
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawn, spawnSync } = require('child_process');
const { codeSectionSize } = require('./wasm-file');

const ROOT = path.resolve(__dirname, '..');
const B = (...p) => path.join(ROOT, 'build', ...p);
// BENCH_CORAL=path measures another build of the CLI (an older commit, say).
const CPUTIME = B('bench', 'cputime');
const CORAL = process.env.BENCH_CORAL ? path.resolve(process.env.BENCH_CORAL) : B('coral');

const opts = { repeat: 5, only: null, compile: true, run: true, clock: 'cpu' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--repeat') opts.repeat = Math.max(1, parseInt(process.argv[++i], 10));
  else if (a === '--only') opts.only = process.argv[++i].split(',');
  else if (a === '--no-compile') opts.compile = false;
  else if (a === '--no-run') opts.run = false;
  else if (a === '--clock' && ['cpu', 'wall'].includes(process.argv[i + 1])) opts.clock = process.argv[++i];
  else { console.error(`harness: unknown argument ${a}`); process.exit(2); }
}

const V8_RUN = ['--no-wasm-lazy-compilation', '--no-turbo-fast-api-calls'];
const V8_COMPILE = ['--no-wasm-lazy-compilation', '--single-threaded'];
const TIERS = { turbofan: '--no-liftoff', liftoff: '--liftoff-only' };

function sh(cmd, args, timeoutS) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutS * 1000,
                                   maxBuffer: 16 << 20 });
  return { ok: r.status === 0 && !r.error, status: r.status, stdout: r.stdout || '',
           stderr: r.stderr || '', error: r.error };
}

function firstLine(s) { return (s || '').split('\n').find((l) => l.trim()) || ''; }

// `time: S` lines (on stdout or stderr) and the checksum.
function parseTimes(text) {
  return [...text.matchAll(/^time: *([0-9.eE+-]+)/gm)].map((m) => parseFloat(m[1]));
}
function parseChecksum(text) {
  const m = text.match(/^checksum: *(-?\d+)/m);
  return m ? BigInt.asIntN(64, BigInt(m[1])).toString() : null;
}

// One process of the native main or of run-wasm.js.
function runRepeating(cmd, args) {
  if (!fs.existsSync(cmd)) return { error: `n/a: ${path.relative(ROOT, cmd)} not built` };
  const r = sh(cmd, args, 600);
  if (!r.ok) return { error: firstLine(r.stderr) || `exit ${r.status}` };
  const times = parseTimes(r.stdout);
  const cpus = [...r.stdout.matchAll(/^cpu: *([0-9.eE+-]+)/gm)].map((m) => parseFloat(m[1]));
  const sum = parseChecksum(r.stdout);
  if (!times.length || !cpus.length || sum === null) return { error: 'no time, cpu or checksum printed' };
  const out = { wall: Math.min(...times), cpu: Math.min(...cpus), checksum: sum };
  const c = r.stdout.match(/^compile: *([0-9.eE+-]+)/m);
  const inst = r.stdout.match(/^instantiate: *([0-9.eE+-]+)/m);
  if (c) out.compile_s = parseFloat(c[1]);
  if (inst) out.instantiate_s = parseFloat(inst[1]);
  return out;
}

// One coral process. The CLI as built (host/cli_run.c): `coral run --time
// FILE.wasm --invoke bench_run` prints the results on stdout, one per line,
// in decimal, and on stderr
// `time: compile X ms, instantiate Y ms, call Z s, cpu W s`.
// Also accepted: a plain `time: S` line for the call, and the options after
// FILE or all before it (forms 1 and 2).
let coralForm = null;
function coralArgs(form, file) {
  if (form === 0) return ['run', '--time', file, '--invoke', 'bench_run'];
  if (form === 1) return ['run', file, '--invoke', 'bench_run', '--time'];
  return ['run', '--time', '--invoke', 'bench_run', file];
}
function parseCoralTimes(err) {
  const full = err.match(/^time:.*\bcall ([0-9.eE+-]+) s/m);
  if (full) {
    const out = { wall: parseFloat(full[1]) };
    const cpu = err.match(/^time:.*\bcpu ([0-9.eE+-]+) s/m) || err.match(/^cpu: *([0-9.eE+-]+)/m);
    if (cpu) out.cpu = parseFloat(cpu[1]);
    const c = err.match(/^time:.*\bcompile ([0-9.eE+-]+) ms/m);
    const i = err.match(/^time:.*\binstantiate ([0-9.eE+-]+) ms/m);
    if (c) out.compile_s = parseFloat(c[1]) / 1e3;
    if (i) out.instantiate_s = parseFloat(i[1]) / 1e3;
    return out;
  }
  const t = parseTimes(err);
  return t.length ? { wall: t[t.length - 1] } : null;
}
function coralOnce(file) {
  const forms = coralForm === null ? [0, 1, 2] : [coralForm];
  let first = null;
  for (const f of forms) {
    // The CLI reports the call's CPU time (`, cpu W s`); for one that does
    // not, bench/cputime gives the whole process's, less the compile and
    // instantiate times it reports (what remains over the call is start-up
    // and exit: about a millisecond).
    const r = sh(CPUTIME, [CORAL, ...coralArgs(f, file)], 600);
    const times = parseCoralTimes(r.stderr);
    const nums = r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^-?\d+$/.test(l));
    if (r.ok && times && nums.length) {
      coralForm = f;
      const whole = r.stderr.match(/^cputime: *([0-9.eE+-]+)/m);
      if (times.cpu === undefined && whole)
        times.cpu = Math.max(0, parseFloat(whole[1]) - (times.compile_s || 0) - (times.instantiate_s || 0));
      return { ...times, checksum: BigInt.asIntN(64, BigInt(nums[nums.length - 1])).toString() };
    }
    // Report the first form's failure: it is the form the CLI documents.
    if (first === null)
      first = r.error ? String(r.error.message) :
        (!r.ok ? (firstLine(r.stderr) || `exit ${r.status}`) : 'no result or no time printed');
  }
  return { error: first };
}

function benchNames() {
  const dir = path.join(ROOT, 'bench', 'programs');
  let names = fs.readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));
  const rs = path.join(ROOT, 'bench', 'rust');
  if (fs.existsSync(rs)) names.push(...fs.readdirSync(rs).filter((f) => f.endsWith('.rs')).map((f) => f.slice(0, -3)));
  names.sort();
  if (opts.only) names = names.filter((n) => opts.only.includes(n));
  return names;
}

// The repeat policy: every runner gets BASE_RUNS processes (3); runs 4 to
// --repeat (5) only happen while the two lowest times are more than SPREAD
// (2%) apart, that is while the best is not yet confirmed by a second run
// close to it. A runner whose first call takes over SLOW_S (1.5 s: sha256
// under Liftoff, about 4 s) stops at BASE_RUNS whatever the spread. On a
// quiet machine that makes most rows best of 3, and a full `make bench`
// about 3 minutes instead of about 5.
const BASE_RUNS = 3, SPREAD = 0.02, SLOW_S = 1.5;
function settled(t) {
  if (t.runs < Math.min(BASE_RUNS, opts.repeat)) return false;
  const [a, b] = [...t.samples].sort((x, y) => x - y);
  return b !== undefined && b - a <= SPREAD * a;
}

// Every call is its own process (Coral's CLI makes one call per process, so
// the others do too: each pays the same first-touch costs), and the runners
// take turns round by round, so that a change in the machine's load over
// the minutes spreads over all of them instead of hitting one.
function runBenchmark(name) {
  const wasm = B('bench', 'wasm', `${name}.wasm`);
  const res = { name };
  const once = {
    native: () => runRepeating(B('bench', 'gcc', name), ['run', '1']),
    clang: () => runRepeating(B('bench', 'clang', name), ['run', '1']),
    liftoff: () => runRepeating(process.execPath, [TIERS.liftoff, ...V8_RUN, 'bench/run-wasm.js', 'run', wasm, '1']),
    turbofan: () => runRepeating(process.execPath, [TIERS.turbofan, ...V8_RUN, 'bench/run-wasm.js', 'run', wasm, '1']),
    coral: () => fs.existsSync(CORAL) ? coralOnce(wasm)
                                      : { error: `n/a: ${path.relative(ROOT, CORAL)} does not exist yet` },
  };
  const st = {};
  for (const k of Object.keys(once)) st[k] = { runs: 0, limit: opts.repeat, s: Infinity, samples: [], compile: Infinity, inst: Infinity };
  for (let round = 0; round < opts.repeat; round++) {
    for (const [k, fn] of Object.entries(once)) {
      const t = st[k];
      if (t.error || t.runs >= t.limit || settled(t)) continue;
      const r = fn();
      if (r.error) { t.error = r.error; continue; }
      if (r.cpu === undefined) { t.error = 'no CPU time'; continue; }
      r.s = opts.clock === 'cpu' ? r.cpu : r.wall;
      t.wall = Math.min(t.wall ?? Infinity, r.wall);
      t.cpu = Math.min(t.cpu ?? Infinity, r.cpu);
      if (t.checksum !== undefined && r.checksum !== t.checksum) { t.error = 'checksum changed between runs'; continue; }
      t.checksum = r.checksum;
      t.runs++;
      t.s = Math.min(t.s, r.s);
      t.samples.push(r.s);
      if (r.compile_s !== undefined) t.compile = Math.min(t.compile, r.compile_s);
      if (r.instantiate_s !== undefined) t.inst = Math.min(t.inst, r.instantiate_s);
      if (round === 0 && r.s > SLOW_S) t.limit = Math.min(BASE_RUNS, opts.repeat); /* slow: best of 3 */
    }
  }
  const sums = {};
  for (const [k, t] of Object.entries(st)) {
    res[`${k}_s`] = t.error || !t.runs ? null : t.s;
    if (!t.error && t.runs) { res[`${k}_wall_s`] = t.wall; res[`${k}_cpu_s`] = t.cpu; }
    if (t.error) res[`${k}_error`] = t.error;
    if (t.checksum !== undefined && !t.error) sums[k] = t.checksum;
    if (t.compile !== Infinity) res[`${k}_compile_s`] = t.compile;
    if (t.inst !== Infinity) res[`${k}_instantiate_s`] = t.inst;
    process.stderr.write(`  ${name} ${k}: ${t.error ? t.error : t.s.toFixed(3) + ' s'}\n`);
  }
  res.checksums = sums;
  res.checksum_ok = Object.keys(sums).length > 0 && new Set(Object.values(sums)).size === 1;
  if (!res.checksum_ok) {
    // Name the odd ones out: those that differ from the native answer.
    const want = sums.native ?? Object.values(sums)[0];
    res.checksum_wrong = Object.keys(sums).filter((k) => sums[k] !== want);
  }
  return res;
}

// --- compile speed ---------------------------------------------------------


// Best of up to 3 fresh processes: one only when a compile takes over 1 s
// (esbuild under TurboFan, about 9 s), and two when the first two agree
// within 5% (the third would hardly move the best).
function bestOf(once) {
  let best = null, prev = null;
  for (let i = 0; i < 3; i++) {
    const r = once();
    if (r.error) return best || r;
    if (!best || r.s < best.s) best = r;
    if (r.s > 1) break;
    if (prev !== null && Math.abs(r.s - prev) <= 0.05 * Math.min(r.s, prev)) break;
    prev = r.s;
  }
  return best;
}

function v8Compile(tier, file) {
  return bestOf(() => {
    const r = sh(process.execPath, [TIERS[tier], ...V8_COMPILE, 'bench/run-wasm.js', 'compile', file], 300);
    const m = r.stdout.match(opts.clock === 'cpu' ? /^compile_cpu: *([0-9.eE+-]+)/m : /^compile: *([0-9.eE+-]+)/m);
    return r.ok && m ? { s: parseFloat(m[1]) } : { error: firstLine(r.stderr) || `exit ${r.status}` };
  });
}

// `build/coral compile FILE.wasm` decodes, validates and compiles the whole
// module, one thread, once untimed then best of 5 in the process, and prints
// `compile (...): X ms, Y MB/s of code section` on stdout (a `time: S` line
// on stderr is accepted too). With --clock cpu the harness takes the
// process's CPU time per compile instead of X (wall clock). MB/s is
// recomputed here from the same code section size as V8's.
function coralCompile(file) {
  if (!fs.existsSync(CORAL)) return { error: `n/a: ${path.relative(ROOT, CORAL)} does not exist yet` };
  return bestOf(() => {
    const r = sh(CPUTIME, [CORAL, 'compile', file], 300);
    const m = r.stdout.match(/^compile\b.*?: *([0-9.eE+-]+) ms/m);
    // CPU time: the CLI compiles once untimed, then best of N; the process's
    // CPU time over N + 1 compiles overstates one (start-up, reading the file
    // and the engine's stubs count too), and so does the wall-clock best of
    // N (waits for a CPU): the smaller of the two is the better bound.
    const n = r.stdout.match(/best of (\d+)/);
    const whole = r.stderr.match(/^cputime: *([0-9.eE+-]+)/m);
    if (r.ok && m && opts.clock === 'cpu' && n && whole)
      return { s: Math.min(parseFloat(m[1]) / 1e3, parseFloat(whole[1]) / (parseInt(n[1], 10) + 1)) };
    if (r.ok && m) return { s: parseFloat(m[1]) / 1e3 };
    const t = parseTimes(r.stderr);
    if (r.ok && t.length) return { s: t[t.length - 1] };
    return { error: firstLine(r.stderr) || `exit ${r.status}` };
  });
}

function compileRows(names) {
  const files = names.map((n) => ({ module: n, kind: 'bench', file: B('bench', 'wasm', `${n}.wasm`) }));
  if (!opts.only && fs.existsSync(B('real'))) {
    for (const f of fs.readdirSync(B('real')).filter((f) => f.endsWith('.wasm')).sort())
      files.push({ module: f.slice(0, -5), kind: 'real', file: B('real', f) });
  }
  const rows = [];
  for (const { module, kind, file } of files) {
    if (!fs.existsSync(file)) continue;
    const code = codeSectionSize(fs.readFileSync(file));
    const row = { module, kind, file: path.relative(ROOT, file), code_bytes: code };
    for (const [runner, fn] of [['liftoff', (f) => v8Compile('liftoff', f)],
                                ['turbofan', (f) => v8Compile('turbofan', f)],
                                ['coral', coralCompile]]) {
      const r = fn(file);
      row[`${runner}_s`] = r.error ? null : r.s;
      row[`${runner}_mb_s`] = r.error || !r.s ? null : code / 1e6 / r.s;
      if (r.error) row[`${runner}_error`] = r.error;
    }
    process.stderr.write(`  compile ${module}: liftoff ${fmtMB(row.liftoff_mb_s)} turbofan ${fmtMB(row.turbofan_mb_s)} coral ${fmtMB(row.coral_mb_s)} MB/s\n`);
    rows.push(row);
  }
  return rows;
}

// --- summary and output ----------------------------------------------------

function geomean(xs) {
  const v = xs.filter((x) => typeof x === 'number' && x > 0 && isFinite(x));
  if (!v.length) return null;
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}

const RUNNERS = ['native', 'clang', 'liftoff', 'turbofan', 'coral'];
const RATIOS = [['clang', 'native'], ['liftoff', 'native'], ['turbofan', 'native'],
                ['coral', 'native'], ['coral', 'liftoff'], ['coral', 'turbofan']];

function addRatios(rows) {
  for (const r of rows)
    for (const [a, b] of RATIOS)
      r[`${a}_vs_${b}`] = r.checksum_ok && r[`${a}_s`] && r[`${b}_s`] ? r[`${a}_s`] / r[`${b}_s`] : null;
}

function summarize(rows) {
  const ok = rows.filter((r) => r.checksum_ok);
  const g = { rows: ok.length };
  // Seconds: geomean over the rows where every runner that ran at all ran.
  for (const k of RUNNERS) g[`${k}_s`] = geomean(ok.map((r) => r[`${k}_s`]));
  for (const [a, b] of RATIOS) g[`${a}_vs_${b}`] = geomean(ok.map((r) => r[`${a}_vs_${b}`]));
  return g;
}

function fmtS(x) { return x === null || x === undefined ? 'n/a' : x.toFixed(3); }
function fmtR(x) { return x === null || x === undefined ? 'n/a' : x.toFixed(2) + 'x'; }
function fmtMB(x) { return x === null || x === undefined ? 'n/a' : x.toFixed(1); }

function table(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

function printRun(rows, g) {
  const head = ['benchmark', 'gcc', 'clang', 'liftoff', 'turbofan', 'coral',
                'lift/gcc', 'tf/gcc', 'coral/gcc', 'coral/lift', 'coral/tf', 'check'];
  const cells = rows.map((r) => [r.name, fmtS(r.native_s), fmtS(r.clang_s), fmtS(r.liftoff_s),
    fmtS(r.turbofan_s), fmtS(r.coral_s), fmtR(r.liftoff_vs_native), fmtR(r.turbofan_vs_native),
    fmtR(r.coral_vs_native), fmtR(r.coral_vs_liftoff), fmtR(r.coral_vs_turbofan),
    r.checksum_ok ? 'ok' : `WRONG:${(r.checksum_wrong || []).join(',')}`]);
  cells.push(['geomean', fmtS(g.native_s), fmtS(g.clang_s), fmtS(g.liftoff_s), fmtS(g.turbofan_s),
    fmtS(g.coral_s), fmtR(g.liftoff_vs_native), fmtR(g.turbofan_vs_native), fmtR(g.coral_vs_native),
    fmtR(g.coral_vs_liftoff), fmtR(g.coral_vs_turbofan), `${g.rows}/${rows.length}`]);
  console.log(`${opts.clock === 'cpu' ? 'CPU' : 'Wall-clock'} time in seconds of the bench_run call alone (best of 3 to ${opts.repeat} processes, runners taking turns); ratios are time / time.`);
  console.log(table(head, cells));
  const errs = rows.filter((r) => r.coral_error).map((r) => r.coral_error);
  if (errs.length) console.log(`coral: ${[...new Set(errs)].join('; ')}`);
  for (const r of rows) {
    for (const k of ['native', 'clang', 'liftoff', 'turbofan'])
      if (r[`${k}_error`]) console.log(`${r.name} ${k}: ${r[`${k}_error`]}`);
    if (!r.checksum_ok) console.log(`${r.name}: checksums disagree: ${JSON.stringify(r.checksums)}`);
  }
}

function fmtMs(x) { return x === null || x === undefined ? 'n/a' : (x * 1e3).toFixed(2); }

// One more row: all benchmark modules together (total bytes / total time).
function compileTotal(rows) {
  const bench = rows.filter((r) => r.kind === 'bench');
  const t = { module: 'all benchmarks', kind: 'total', code_bytes: bench.reduce((a, r) => a + r.code_bytes, 0) };
  for (const k of ['liftoff', 'turbofan', 'coral']) {
    const ok = bench.every((r) => r[`${k}_s`]);
    t[`${k}_s`] = ok && bench.length ? bench.reduce((a, r) => a + r[`${k}_s`], 0) : null;
    t[`${k}_mb_s`] = t[`${k}_s`] ? t.code_bytes / 1e6 / t[`${k}_s`] : null;
  }
  return t;
}

function printCompile(rows) {
  const head = ['module', 'code KB', 'liftoff ms', 'MB/s', 'turbofan ms', 'MB/s', 'coral ms', 'MB/s', 'coral/liftoff'];
  const cells = rows.map((r) => [r.module + (r.kind === 'real' ? ' (real)' : ''), (r.code_bytes / 1024).toFixed(1),
    fmtMs(r.liftoff_s), fmtMB(r.liftoff_mb_s), fmtMs(r.turbofan_s), fmtMB(r.turbofan_mb_s),
    fmtMs(r.coral_s), fmtMB(r.coral_mb_s),
    r.coral_mb_s && r.liftoff_mb_s ? fmtR(r.coral_mb_s / r.liftoff_mb_s) : 'n/a']);
  console.log(`\nCompile speed, MB/s of code section (one thread; V8: ${opts.clock === 'cpu' ? 'CPU' : 'wall-clock'} time of the first compile in a fresh process, best of 1 to 3;`);
  console.log(opts.clock === 'cpu' ? 'Coral: the lower of `coral compile`\'s wall-clock best of 5 and its CPU time over its 6 compiles);'
                                   : 'Coral: wall-clock time, best of 5 in one process after an untimed compile, as `coral compile` reports it);');
  console.log('small modules measure per-module overhead more than throughput: read the real modules.');
  console.log(table(head, cells));
  const errs = [...new Set(rows.filter((r) => r.coral_error).map((r) => r.coral_error))];
  if (errs.length) console.log(`coral compile: ${errs.join('; ')}`);
}

// The kernel under QEMU (TCG, scripts/qemu-run) with userboot and hello.wasm
// as boot modules: wall-clock time from starting QEMU to the line that
// hello.wasm prints (best of 3), and the kernel's own boot time; then
// costs.wasm in the kernel for the cost of a coral call. Nulls when the
// kernel or the programs are not built or the run fails.
function firstLineTime(args, re, timeoutS) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('scripts/qemu-run', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '', at = null;
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutS * 1000);
    child.stdout.on('data', (d) => {
      buf += d.toString();
      if (at === null && re.test(buf)) at = Number(process.hrtime.bigint() - t0) / 1e9;
    });
    child.on('close', (code) => { clearTimeout(timer); resolve({ ok: code === 0, s: at, out: buf.replace(/\r/g, '') }); });
  });
}

async function kernelFigures() {
  const k = { boot_to_first_wasm_output_s: null, kernel_boot_ms: null, coral_call_ns: null,
              plain_call_ns: null, component_ns: null, note: '' };
  const elf = B('kernel', 'coral.elf'), P = (n) => path.relative(ROOT, B('programs', n));
  const need = [elf, B('programs', 'userboot.wasm'), B('programs', 'hello.wasm'), B('programs', 'costs.wasm')];
  const missing = need.filter((f) => !fs.existsSync(f));
  if (missing.length) { k.note = `not built: ${missing.map((f) => path.relative(ROOT, f)).join(', ')}`; return k; }
  for (let i = 0; i < 3; i++) {
    const r = await firstLineTime(['-t', '60', '-m', P('userboot.wasm'), '-m', P('hello.wasm'), path.relative(ROOT, elf)],
                                  /^hello from C\r?$/m, 60);
    if (!r.ok || r.s === null) { k.note = 'the hello run failed'; break; }
    if (k.boot_to_first_wasm_output_s === null || r.s < k.boot_to_first_wasm_output_s) k.boot_to_first_wasm_output_s = r.s;
    const b = r.out.match(/booted in ([0-9.]+) ms/);
    if (b && (k.kernel_boot_ms === null || parseFloat(b[1]) < k.kernel_boot_ms)) k.kernel_boot_ms = parseFloat(b[1]);
  }
  const r = await firstLineTime(['-t', '300', '-m', P('userboot.wasm'), '-m', P('costs.wasm'), path.relative(ROOT, elf)], /^$/, 300);
  const num = (re) => { const m = r.out.match(re); return m ? parseFloat(m[1]) : null; };
  k.plain_call_ns = num(/^costs: plain wasm call[^:]*: *([0-9.]+) ns/m);
  k.coral_call_ns = num(/^costs: coral call[^:]*: *([0-9.]+) ns/m);
  k.component_ns = num(/^costs: empty component[^:]*: *([0-9.]+) ns/m);
  if (!r.ok || k.coral_call_ns === null) k.note += (k.note ? '; ' : '') + 'the costs run failed';
  k.note = k.note || 'TCG figures: wall clock under QEMU, not a CPU';
  return k;
}

// tests/programs/costs.c run by the host CLI with its emulated coral module:
// the cost of a coral call beside a plain Wasm call, and of an empty
// component. Host figures, not the kernel's; {} when it cannot run.
function hostCosts() {
  const prog = B('programs', 'costs.wasm');
  if (!fs.existsSync(CORAL) || !fs.existsSync(prog)) return {};
  const r = sh(CORAL, ['run', prog], 120);
  const num = (re) => { const m = r.stdout.match(re); return m ? parseFloat(m[1]) : undefined; };
  const out = {
    plain_call_ns: num(/plain wasm call[^:]*: *([0-9.]+) ns/),
    coral_call_ns: num(/coral call[^:]*: *([0-9.]+) ns/),
    component_ns: num(/empty component[^:]*: *([0-9.]+) ns/),
  };
  return r.ok && out.coral_call_ns !== undefined ? out : {};
}

function versionOf(cmd, args) {
  const r = sh(cmd, args, 10);
  return firstLine(r.stdout || r.stderr);
}

function machine() {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0] ? os.cpus()[0].model : 'unknown',
    cpus: os.cpus().length,
    loadavg_1m: os.loadavg()[0],
    node: process.version,
    v8: process.versions.v8,
    gcc: versionOf('gcc', ['--version']),
    clang: versionOf('clang-14', ['--version']),
    coral: fs.existsSync(CORAL) ? 'build/coral' : null,
    repeat: opts.repeat,
    clock: opts.clock,
  };
}

async function main() {
  const names = benchNames();
  const out = { machine: machine(), benchmarks: [], geomean: {}, compile: [] };
  if (opts.run) {
    process.stderr.write(`bench: ${names.length} programs, best of 3 to ${opts.repeat} on each runner\n`);
    out.benchmarks = names.map(runBenchmark);
    addRatios(out.benchmarks);
    out.geomean = summarize(out.benchmarks);
    printRun(out.benchmarks, out.geomean);
  }
  if (opts.compile) {
    process.stderr.write('bench: compile speed\n');
    out.compile = compileRows(names);
    if (out.compile.some((r) => r.kind === 'bench')) {
      const at = out.compile.filter((r) => r.kind === 'bench').length;
      out.compile.splice(at, 0, compileTotal(out.compile));
    }
    printCompile(out.compile);
  }
  out.kernel = await kernelFigures();
  out.kernel.host = hostCosts();
  const kf = out.kernel;
  if (kf.boot_to_first_wasm_output_s !== null || kf.coral_call_ns !== null) {
    console.log(`\nKernel under QEMU TCG (TCG figures measure QEMU, not a CPU; wall clock):`);
    console.log(`  boot to first Wasm output: ${kf.boot_to_first_wasm_output_s === null ? 'n/a' : (kf.boot_to_first_wasm_output_s * 1e3).toFixed(0) + ' ms'}` +
                ` from starting QEMU (best of 3; the kernel reports booting in ${kf.kernel_boot_ms ?? 'n/a'} ms)`);
    console.log(`  coral call + loop ${kf.coral_call_ns ?? 'n/a'} ns, plain Wasm call + loop ${kf.plain_call_ns ?? 'n/a'} ns, ` +
                `empty component ${kf.component_ns ? (kf.component_ns / 1e3).toFixed(1) + ' us' : 'n/a'}`);
  } else {
    console.log(`\nKernel (QEMU TCG): boot to first Wasm output: not yet available; cost of a coral call: not yet available (${kf.note}).`);
  }
  const h = out.kernel.host;
  if (h.coral_call_ns !== undefined)
    console.log(`Host engine (build/coral run build/programs/costs.wasm): coral call + loop ${h.coral_call_ns} ns, ` +
                `plain Wasm call + loop ${h.plain_call_ns} ns, empty component ${(h.component_ns / 1e3).toFixed(1)} us.`);
  console.log(`Machine: ${out.machine.cpu}, ${out.machine.cpus} CPUs, load ${out.machine.loadavg_1m.toFixed(2)}; node ${out.machine.node} (V8 ${out.machine.v8}).`);
  fs.mkdirSync(B(), { recursive: true });
  fs.writeFileSync(B('bench.json'), JSON.stringify(out, null, 2) + '\n');
  console.log('Wrote build/bench.json');
  const wrong = out.benchmarks.filter((r) => !r.checksum_ok).length;
  return wrong ? 1 : 0;
}

main().then((rc) => { process.exitCode = rc; });
