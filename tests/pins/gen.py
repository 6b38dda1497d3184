#!/usr/bin/env python3
"""tests/pins/gen.py SEED COUNT OUTDIR: writes COUNT seeded Wasm text
programs OUTDIR/g-SEED-K.wat that stress the compiler's pinned locals and
pin regions (docs/engine-backend.md, "Pinned locals and regions").

Each program has a few functions with more integer and float locals than
there are pin registers (params among them), sibling and nested loops (up
to 10 deep, past the 8 levels that get regions), each loop hot on its own
few locals so that regions switch, and every way out of a loop: br, br_if
and br_table to labels 1..n levels out (carrying values: block results,
loop params, two-value blocks), if/else with results, return from deep
inside, falling out of the end, unreachable code after branches (dead loops
too), calls inside loops to other functions of the module (which pin their
own locals), to host functions (the fuzzing-support log imports), to
memory.grow, memory.fill and memory.copy. Exports take no arguments and
return a checksum of every local, floats by their bits (NaNs made
canonical first, since their payloads may differ legally), so a value
that went through the wrong register shows. Loops always terminate: each
loop's counter (one local per nesting depth, never written otherwise) is
checked and decremented at its top, where every back edge arrives.

The answers are compared with binaryen's interpreter by tests/pins/run."""
import random
import sys

INT = ("i32", "i64")
FLT = ("f32", "f64")
MAX_MULT = 300          # iterations of the innermost statement, at most
MAX_COST = 6000         # executed statements per function call, roughly


def const(r, t):
    if t == "i32":
        return "(i32.const %d)" % r.choice([0, 1, -1, 2, 7, 255, 0x7fffffff, -0x80000000, r.randint(-1000, 1000), r.getrandbits(32) - 2**31])
    if t == "i64":
        return "(i64.const %d)" % r.choice([0, 1, -1, 3, 1 << 40, -(1 << 63), r.randint(-10**6, 10**6), r.getrandbits(64) - 2**63])
    v = r.choice(["0.0", "-0.0", "1.0", "-1.5", "0.25", "3.75", "1e10", "-1e-5", "inf", "%.6g" % r.uniform(-1000, 1000)])
    return "(%s.const %s)" % (t, v)


class Func:
    def __init__(self, g, idx):
        self.g, self.r, self.idx = g, g.r, idx
        r = self.r
        self.params = [r.choice(INT + FLT) for _ in range(r.randint(0, 4))]
        self.results = ["i64"] if r.random() < 0.75 else ["i64", "f64"]
        nint, nflt = r.randint(6, 11), r.randint(7, 10)
        self.locals = [r.choice(INT) for _ in range(nint)] + [r.choice(FLT) for _ in range(nflt)]
        r.shuffle(self.locals)
        self.types = self.params + self.locals        # data locals, by index
        self.ncounter = 11
        self.counter0 = len(self.types)               # counters: i32, one per loop depth
        # Sometimes a v128 local: the frame's cells become 16 bytes.
        self.v128 = self.counter0 + self.ncounter if r.random() < 0.2 else None
        self.ctl = [("func", list(self.results), None)]     # (kind, label types, name)
        self.nlabel = 0
        self.focus = [list(range(len(self.types)))]
        self.mult = 1
        self.cost = 0
        self.loop_depth = 0

    # ---- locals ----
    def pick_local(self, t, focus=True):
        pool = self.focus[-1] if focus and self.r.random() < 0.85 else range(len(self.types))
        c = [i for i in pool if self.types[i] == t]
        if not c:
            c = [i for i in range(len(self.types)) if self.types[i] == t]
        return self.r.choice(c) if c else None

    def push(self, kind, types):
        self.nlabel += 1
        name = "$%s%d" % (kind[0], self.nlabel)
        self.ctl.append((kind, types, name))
        return name

    def set_top(self, t):
        """Pops the value on top of the stack into a local of type t."""
        i = self.pick_local(t)
        return " (local.set %d)" % i if i is not None else " (drop)"

    def new_focus(self):
        r = self.r
        ints = [i for i, t in enumerate(self.types) if t in INT]
        flts = [i for i, t in enumerate(self.types) if t in FLT]
        f = r.sample(ints, min(len(ints), r.randint(2, 6))) + r.sample(flts, min(len(flts), r.randint(1, 6)))
        return f

    # ---- expressions ----
    def const(self, t):
        return const(self.r, t)

    def get(self, t):
        i = self.pick_local(t)
        return "(local.get %d)" % i if i is not None else self.const(t)

    def expr(self, t, d):
        r = self.r
        if d <= 0 or r.random() < 0.25:
            return self.get(t) if r.random() < 0.75 else self.const(t)
        x = r.random()
        if x < 0.08 and d >= 2:
            return self.compound(t, d)
        if x < 0.14:
            i = self.pick_local(t)
            if i is not None:
                return "(local.tee %d %s)" % (i, self.expr(t, d - 1))
        if x < 0.19 and d >= 2:
            c = self.cond(d - 1)
            return "(select %s %s %s)" % (self.expr(t, d - 1), self.expr(t, d - 1), c)
        if x < 0.24:
            return self.load(t, d)
        if t == "i32":
            return self.i32_op(d)
        if t == "i64":
            return self.i64_op(d)
        return self.f_op(t, d)

    def i32_op(self, d):
        r = self.r
        x = r.random()
        if x < 0.5:
            op = r.choice(["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"])
            return "(i32.%s %s %s)" % (op, self.expr("i32", d - 1), self.expr("i32", d - 1))
        if x < 0.58:
            op = r.choice(["div_u", "rem_u", "rem_s"])
            return "(i32.%s %s (i32.or %s (i32.const 1)))" % (op, self.expr("i32", d - 1), self.expr("i32", d - 1))
        if x < 0.75:
            return self.cond(d)
        if x < 0.82:
            return "(i32.wrap_i64 %s)" % self.expr("i64", d - 1)
        if x < 0.9:
            ft = r.choice(FLT)
            return "(i32.trunc_sat_%s_%s %s)" % (ft, r.choice("su"), self.expr(ft, d - 1))
        if x < 0.95:
            return "(i32.%s %s)" % (r.choice(["clz", "ctz", "popcnt", "extend8_s"]), self.expr("i32", d - 1))
        return "(memory.size)"

    def i64_op(self, d):
        r = self.r
        x = r.random()
        if x < 0.55:
            op = r.choice(["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl"])
            return "(i64.%s %s %s)" % (op, self.expr("i64", d - 1), self.expr("i64", d - 1))
        if x < 0.62:
            op = r.choice(["div_u", "rem_u", "rem_s"])
            return "(i64.%s %s (i64.or %s (i64.const 1)))" % (op, self.expr("i64", d - 1), self.expr("i64", d - 1))
        if x < 0.8:
            return "(i64.extend_i32_%s %s)" % (r.choice("su"), self.expr("i32", d - 1))
        if x < 0.9:
            ft = r.choice(FLT)
            return "(i64.trunc_sat_%s_%s %s)" % (ft, r.choice("su"), self.expr(ft, d - 1))
        return "(i64.%s %s)" % (r.choice(["clz", "ctz", "popcnt", "extend32_s"]), self.expr("i64", d - 1))

    def f_op(self, t, d):
        r = self.r
        x = r.random()
        if x < 0.5:
            op = r.choice(["add", "sub", "mul", "div", "min", "max"])
            return "(%s.%s %s %s)" % (t, op, self.expr(t, d - 1), self.expr(t, d - 1))
        if x < 0.65:
            op = r.choice(["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"])
            return "(%s.%s %s)" % (t, op, self.expr(t, d - 1))
        if x < 0.7:    # the sign from a constant: a NaN's sign may differ legally
            return "(%s.copysign %s %s)" % (t, self.expr(t, d - 1), self.const(t))
        if x < 0.85:
            it = r.choice(INT)
            return "(%s.convert_%s_%s %s)" % (t, it, r.choice("su"), self.expr(it, d - 1))
        if t == "f32":
            return "(f32.demote_f64 %s)" % self.expr("f64", d - 1)
        return "(f64.promote_f32 %s)" % self.expr("f32", d - 1)

    def cond(self, d):
        r = self.r
        t = r.choice(INT + FLT)
        if t in INT:
            op = r.choice(["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "ge_u"])
            if r.random() < 0.15:
                return "(%s.eqz %s)" % (t, self.expr(t, d - 1))
        else:
            op = r.choice(["eq", "ne", "lt", "gt", "le", "ge"])
        return "(%s.%s %s %s)" % (t, op, self.expr(t, max(0, d - 1)), self.expr(t, max(0, d - 1)))

    def addr(self, d, flt):
        # Integers in [0, 0x808), f32 at 8-aligned addresses in [0x1000,
        # 0x1800), f64 in [0x1800, 0x2000): a load never reads part of a
        # float of another type (a NaN's sign and payload may differ).
        off = {None: self.r.randint(0, 7), "f32": 0x1000, "f64": 0x1800}[flt]
        return "offset=%d (i32.and %s (i32.const 0x7f8))" % (off, self.expr("i32", d - 1))

    def load(self, t, d):
        flt = t if t in FLT else None
        if t == "i32" and self.r.random() < 0.4:
            return "(i32.load8_%s %s)" % (self.r.choice("su"), self.addr(d, None))
        return "(%s.load %s)" % (t, self.addr(d, flt))

    def compound(self, t, d):
        """An expression of type t with control flow or a call inside."""
        r = self.r
        x = r.random()
        if x < 0.3 and self.loop_depth < 10 and self.mult < MAX_MULT:
            n = self.push("block", [t])
            s = "(block %s (result %s) %s)" % (n, t, " ".join(self.loop(t, r.random() < 0.5)))
            self.ctl.pop()
            return s
        if x < 0.55:
            return self.block_expr([t], d)
        if x < 0.75:
            return self.if_expr([t], d)
        if x < 0.87 and t == "i64":
            c = self.call_expr()
            if c:
                return c
        if t == "i32" and x < 0.95:
            return "(memory.grow (i32.const %d))" % r.choice([0, 0, 1])
        return self.get(t)

    def vals(self, types, d=2):
        return " ".join(self.expr(t, d) for t in types)

    # ---- statements ----
    def body(self, n, d=3):
        """n statements; maybe a branch at the end, then dead code."""
        out = []
        for _ in range(n):
            out.append(self.stmt(d))
            self.cost += self.mult
        if self.r.random() < 0.3:
            out.append(self.jump(d))
            if self.r.random() < 0.4:
                out.append(self.stmt(d))          # unreachable code
        return out

    def stmt(self, d):
        r = self.r
        x = r.random()
        if x < 0.30:
            t = r.choice(self.types)
            i = self.pick_local(t)
            return "(local.set %d %s)" % (i, self.expr(t, d))
        if x < 0.40 and self.loop_depth < 10 and self.mult < MAX_MULT and self.cost < MAX_COST:
            return " ".join(self.loop(None, False))
        if x < 0.50:
            c = self.cond(2)
            n = self.push("if", [])
            then = " ".join(self.body(r.randint(1, 3), d))
            els = " ".join(self.body(r.randint(1, 3), d)) if r.random() < 0.5 else None
            self.ctl.pop()
            return "(if %s %s (then %s)%s)" % (n, c, then, " (else %s)" % els if els else "")
        if x < 0.56:
            return self.block_stmt(d)
        if x < 0.66:
            return self.br_if(d)
        if x < 0.70:
            c = self.cond(2)
            n = self.push("if", [])
            j = self.jump(d)
            self.ctl.pop()
            return "(if %s %s (then %s))" % (n, c, j)
        if x < 0.74 and self.mult <= 40:
            t = r.choice(INT + FLT)
            return "(call $log_%s %s)" % (t, self.expr(t, 2))
        if x < 0.80:
            t = r.choice(INT + FLT)
            return "(%s.store %s %s)" % (t, self.addr(2, t if t in FLT else None), self.expr(t, 2))
        if x < 0.84:
            return "(memory.fill (i32.and %s (i32.const 0x3ff)) %s (i32.and %s (i32.const 0x3ff)))" % (
                self.expr("i32", 1), self.expr("i32", 1), self.expr("i32", 1))
        if x < 0.88:
            return "(memory.copy (i32.and %s (i32.const 0x3ff)) (i32.and %s (i32.const 0x3ff)) (i32.and %s (i32.const 0x3ff)))" % (
                self.expr("i32", 1), self.expr("i32", 1), self.expr("i32", 1))
        if x < 0.91:
            return "(drop (memory.grow (i32.const %d)))" % r.choice([0, 1])
        if x < 0.96:
            c = self.call_stmt()
            if c:
                return c
        if x < 0.97 and self.g.allow_trap and r.random() < 0.2:
            return "(if (i32.eq %s (i32.const 3)) (then unreachable))" % self.get("i32")
        if self.v128 is not None and r.random() < 0.5:
            v = self.v128
            if r.random() < 0.5:
                return "(local.set %d (i32x4.splat %s))" % (v, self.expr("i32", 2))
            return "(local.set %d (i64x2.add (local.get %d) (i64x2.replace_lane 1 (local.get %d) %s)))" % (
                v, v, v, self.expr("i64", 2))
        t = r.choice(self.types)
        return "(local.set %d %s)" % (self.pick_local(t), self.expr(t, d))

    def call_target(self):
        c = [f for f in self.g.funcs[: self.idx] if self.cost + self.mult * (f.cost + 5) < MAX_COST]
        return self.r.choice(c) if c else None

    def call_expr(self):
        f = self.call_target()
        if not f or f.results != ["i64"]:
            return None
        self.cost += self.mult * (f.cost + 5)
        return "(call $f%d %s)" % (f.idx, self.vals(f.params, 1))

    def call_stmt(self):
        f = self.call_target()
        if not f:
            return None
        self.cost += self.mult * (f.cost + 5)
        s = "(call $f%d %s)" % (f.idx, self.vals(f.params, 1))
        for t in reversed(f.results):
            s += self.set_top(t)
        return s

    def targets(self):
        """Branch targets: (depth, label types), outer labels likelier."""
        return [(c[2] or str(len(self.ctl) - 1), c[1], c[0]) for c in self.ctl]

    def pick_target(self):
        ts = self.targets()
        w = [3 if kind != "loop" else 2 for _, _, kind in ts]
        return self.r.choices(ts, weights=w)[0]

    def br_if(self, d):
        depth, types, kind = self.pick_target()
        if kind == "func":
            return "(if %s (then (return %s)))" % (self.cond(2), self.checksum_vals())
        s = "(br_if %s %s %s)" % (depth, self.vals(types), self.cond(2))
        return s + " (drop)" * len(types)

    def jump(self, d):
        """An unconditional way out: br, br_table, return, rarely a trap."""
        r = self.r
        x = r.random()
        if x < 0.25:
            return "(return %s)" % self.checksum_vals()
        if x < 0.6:
            depth, types, kind = self.pick_target()
            if kind == "func":
                return "(return %s)" % self.checksum_vals()
            return "(br %s %s)" % (depth, self.vals(types))
        # br_table over the labels that take the same types as one picked
        depth, types, kind = self.pick_target()
        same = [t for t in self.targets() if t[1] == types]
        ds = [r.choice(same)[0] for _ in range(r.randint(1, 5))]
        if kind == "func":
            vals = self.checksum_vals()
        else:
            vals = self.vals(types)
        return "(br_table %s %s %s %s)" % (" ".join(ds), depth, vals,
                                             r.choice([self.expr("i32", 2), "(i32.and %s (i32.const 7))" % self.expr("i32", 2)]))

    def block_stmt(self, d):
        r = self.r
        if r.random() < 0.3:
            types = [r.choice(INT), r.choice(FLT)]
            s = self.block_expr(types, d)
            for t in reversed(types):
                s += self.set_top(t)
            return s
        n = self.push("block", [])
        b = self.body(r.randint(1, 4), d)
        self.ctl.pop()
        return "(block %s %s)" % (n, " ".join(b))

    def block_expr(self, types, d):
        n = self.push("block", types)
        b = self.body(self.r.randint(0, 3), d)
        v = self.vals(types, 2)
        self.ctl.pop()
        return "(block %s (result %s) %s %s)" % (n, " ".join(types), " ".join(b), v)

    def if_expr(self, types, d):
        c = self.cond(2)
        n = self.push("if", types)
        a = self.body(self.r.randint(0, 2), d)
        va = self.vals(types, 2)
        b = self.body(self.r.randint(0, 2), d)
        vb = self.vals(types, 2)
        self.ctl.pop()
        return "(if %s (result %s) %s (then %s %s) (else %s %s))" % (n, " ".join(types), c, " ".join(a), va, " ".join(b), vb)

    def loop(self, t, param):
        """A counted loop in a block, as instructions: [] -> [] when t is
        None, [] -> [t], or [t] -> [t] when param."""
        r = self.r
        dep = self.loop_depth
        ctr = self.counter0 + dep
        room = max(1, MAX_MULT // self.mult)
        trips = r.randint(1, max(1, min(room, r.choice([1, 2, 2, 3, 5, 8, 20]))))
        res = "" if t is None else "(result %s)" % t
        par = "(param %s) " % t if param else ""
        out = []
        if param:
            out.append(self.expr(t, 2))
        out.append("(local.set %d (i32.const %d))" % (ctr, trips))
        outer_mult = self.mult
        self.mult *= trips
        self.loop_depth += 1
        self.focus.append(self.new_focus())
        blk_types = [] if t is None else [t]
        bn = self.push("block", blk_types)
        ln = self.push("loop", [t] if param else [])
        inner = []
        # The top: every back edge arrives here. Out when the counter is 0.
        guard = r.choice(["(i32.eqz (local.get %d))" % ctr, "(i32.le_s (local.get %d) (i32.const 0))" % ctr])
        if t is not None and not param:
            inner.append("(drop (br_if %s %s %s))" % (bn, self.expr(t, 1), guard))
        else:
            inner.append("(br_if %s %s)" % (bn, guard))
        inner.append("(local.set %d (i32.sub (local.get %d) (i32.const 1)))" % (ctr, ctr))
        if param:
            inner.append(self.set_top(t))
        # Hot on the focus locals: several uses each.
        for i in self.focus[-1][: r.randint(1, 4)]:
            ty = self.types[i]
            op = "add" if ty in INT else r.choice(["add", "mul", "sub"])
            inner.append("(local.set %d (%s.%s (local.get %d) %s))" % (i, ty, op, i, self.expr(ty, 1)))
        inner += self.body(r.randint(1, 5))
        end = r.random()
        if t is None:
            if end < 0.4:
                inner.append("(br_if %s %s)" % (ln, self.cond(2)))
            elif end < 0.7:
                inner.append("(br %s)" % ln)
        elif param:
            inner.append(self.expr(t, 2))
            inner.append("(br_if %s %s)" % (ln, self.cond(2)) if end < 0.6 else "(br %s)" % ln)
        else:
            if end < 0.5:
                inner.append("(br_if %s %s)" % (ln, self.cond(2)))
                inner.append(self.expr(t, 2))
            else:
                inner.append("(br %s)" % ln)
        self.ctl.pop()
        self.ctl.pop()
        self.focus.pop()
        self.loop_depth -= 1
        self.mult = outer_mult
        out.append("(block %s %s%s (loop %s %s%s %s))" % (bn, par, res, ln, par, res, " ".join(inner)))
        return out

    # ---- the checksum of every local ----
    def checksum(self):
        h = "(i64.const %d)" % self.r.getrandbits(32)
        for i, t in enumerate(self.types):
            g = "(local.get %d)" % i
            if t == "i32":
                v = "(i64.extend_i32_u %s)" % g
            elif t == "i64":
                v = g
            elif t == "f32":
                v = "(i64.extend_i32_u (i32.reinterpret_f32 (select (f32.const nan) %s (f32.ne %s %s))))" % (g, g, g)
            else:
                v = "(i64.reinterpret_f64 (select (f64.const nan) %s (f64.ne %s %s)))" % (g, g, g)
            h = "(i64.add (i64.mul %s (i64.const 1000003)) %s)" % (h, v)
        if self.v128 is not None:
            for lane in (0, 1):
                h = "(i64.add (i64.mul %s (i64.const 1000003)) (i64x2.extract_lane %d (local.get %d)))" % (
                    h, lane, self.v128)
        return h

    def checksum_vals(self):
        s = self.checksum()
        if len(self.results) == 2:
            f = self.pick_local("f64", False)
            s += " " + ("(f64.abs (local.get %d))" % f if f is not None else "(f64.const 0.5)")
        return s

    def text(self):
        r = self.r
        stmts = self.body(r.randint(3, 8))
        while self.cost < 200 and r.random() < 0.8:
            stmts += [" ".join(self.loop(None, False))]
        sig = " ".join("(param %s)" % t for t in self.params)
        loc = " ".join("(local %s)" % t for t in self.locals + ["i32"] * self.ncounter +
                       (["v128"] if self.v128 is not None else []))
        res = "(result %s)" % " ".join(self.results)
        return "(func $f%d %s %s %s\n  %s\n  %s)" % (self.idx, sig, res, loc, "\n  ".join(stmts),
                                                    self.checksum_vals())


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.funcs = []
        self.allow_trap = self.r.random() < 0.1

    def module(self):
        r = self.r
        parts = ['(module',
                 '(import "fuzzing-support" "log-i32" (func $log_i32 (param i32)))',
                 '(import "fuzzing-support" "log-i64" (func $log_i64 (param i64)))',
                 '(import "fuzzing-support" "log-f32" (func $log_f32 (param f32)))',
                 '(import "fuzzing-support" "log-f64" (func $log_f64 (param f64)))',
                 '(memory 1 3)']
        for k in range(r.randint(2, 5)):
            f = Func(self, k)
            self.funcs.append(f)
            parts.append(f.text())
        for f in self.funcs:
            args = " ".join(const(r, t) for t in f.params)
            parts.append('(func (export "run%d") (result %s) (call $f%d %s))' % (
                f.idx, " ".join(f.results), f.idx, args))
        parts.append(")")
        return "\n".join(parts) + "\n"


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    for k in range(count):
        g = Gen(seed * 1000003 + k)
        with open("%s/g-%d-%d.wat" % (out, seed, k), "w") as f:
            f.write(g.module())


if __name__ == "__main__":
    main()
