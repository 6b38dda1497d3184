//! rustdp: dynamic programming in Rust (no_std, no allocator): edit distance
//! and longest common subsequence over byte strings, a 0/1 knapsack, all on
//! slices with bounds-checked indexing and iterators, as Rust code is
//! usually written. Built by Debian's rustc 1.63 for x86-64 (the native
//! column) and for wasm32-unknown-unknown; exports bench_run and bench_smoke
//! like the C programs (bench/bench.h).
#![no_std]

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

// libcore for x86-64 is built with unwinding tables that name this symbol;
// with panic=abort nothing calls it, but the native link needs it to exist.
#[cfg(not(target_arch = "wasm32"))]
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

const MAXN: usize = 3000;

static mut ROW_A: [u32; MAXN + 1] = [0; MAXN + 1];
static mut ROW_B: [u32; MAXN + 1] = [0; MAXN + 1];
static mut TEXT_A: [u8; MAXN] = [0; MAXN];
static mut TEXT_B: [u8; MAXN] = [0; MAXN];
static mut BEST: [u32; 20001] = [0; 20001];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545f4914f6cdd1d)
    }
    fn below(&mut self, n: u32) -> u32 {
        ((self.next() >> 32) % n as u64) as u32
    }
}

fn mix(h: u64, v: u64) -> u64 {
    h ^ v.wrapping_add(0x9e3779b97f4a7c15).wrapping_add(h << 6).wrapping_add(h >> 2)
}

fn fill(rng: &mut Rng, s: &mut [u8], alphabet: u32) {
    for c in s.iter_mut() {
        *c = b'a' + rng.below(alphabet) as u8;
    }
}

fn edit_distance(a: &[u8], b: &[u8], prev: &mut [u32], cur: &mut [u32]) -> u32 {
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j as u32;
    }
    let (mut prev, mut cur) = (prev, cur);
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i as u32 + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + (ca != cb) as u32;
            let del = prev[j + 1] + 1;
            let ins = cur[j] + 1;
            cur[j + 1] = sub.min(del).min(ins);
        }
        core::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn lcs(a: &[u8], b: &[u8], prev: &mut [u32], cur: &mut [u32]) -> u32 {
    for p in prev.iter_mut().take(b.len() + 1) {
        *p = 0;
    }
    let (mut prev, mut cur) = (prev, cur);
    for &ca in a {
        cur[0] = 0;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        core::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn knapsack(rng: &mut Rng, items: usize, cap: usize, best: &mut [u32]) -> u32 {
    for b in best.iter_mut().take(cap + 1) {
        *b = 0;
    }
    for _ in 0..items {
        let w = 1 + rng.below(200) as usize;
        let v = 1 + rng.below(1000);
        for c in (w..=cap).rev() {
            let with = best[c - w] + v;
            if with > best[c] {
                best[c] = with;
            }
        }
    }
    best[cap]
}

fn run(scale: u32) -> i64 {
    // Only bench_run and bench_smoke touch these, one at a time.
    let (ra, rb, ta, tb, best) = unsafe { (&mut ROW_A, &mut ROW_B, &mut TEXT_A, &mut TEXT_B, &mut BEST) };
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let n = if scale >= 4 { MAXN } else { MAXN / 4 };
    let mut h = 0u64;
    for round in 0..scale {
        fill(&mut rng, &mut ta[..n], 4 + round % 3);
        fill(&mut rng, &mut tb[..n - 7], 4 + round % 3);
        h = mix(h, edit_distance(&ta[..n], &tb[..n - 7], ra, rb) as u64);
        h = mix(h, lcs(&ta[..n], &tb[..n - 7], ra, rb) as u64);
        h = mix(h, knapsack(&mut rng, 300, 20000, best) as u64);
    }
    h as i64
}

#[no_mangle]
pub extern "C" fn bench_run() -> i64 {
    run(13)
}

#[no_mangle]
pub extern "C" fn bench_smoke() -> i64 {
    run(1)
}
