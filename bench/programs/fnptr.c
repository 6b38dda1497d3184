/*
 * fnptr: indirect calls (call_indirect in Wasm). An expression tree whose
 * nodes evaluate through function pointers, objects with a table of methods
 * ("virtual" calls), and a generic sort with a comparison callback.
 */
#include "../bench.h"

/* --- expression trees: every node is evaluated through a pointer --- */
struct node;
typedef i32 (*eval_fn)(const struct node *, i32 x);
struct node { eval_fn eval; const struct node *l, *r; i32 k; };

static i32 ev_const(const struct node *n, i32 x) { return n->k; }
static i32 ev_var(const struct node *n, i32 x) { return x; }
static i32 ev_add(const struct node *n, i32 x) { return n->l->eval(n->l, x) + n->r->eval(n->r, x); }
static i32 ev_sub(const struct node *n, i32 x) { return n->l->eval(n->l, x) - n->r->eval(n->r, x); }
static i32 ev_mul(const struct node *n, i32 x) { return n->l->eval(n->l, x) * n->r->eval(n->r, x); }
static i32 ev_xor(const struct node *n, i32 x) { return n->l->eval(n->l, x) ^ (n->r->eval(n->r, x) >> 1); }

static struct node pool[4096];
static i32 npool;

static const struct node *build(rng *r, int depth) {
  struct node *n = &pool[npool++];
  if (depth <= 0) {
    if (rng_below(r, 3) == 0) { n->eval = ev_var; }
    else { n->eval = ev_const; n->k = (i32)rng_below(r, 100) - 50; }
    return n;
  }
  static const eval_fn ops[] = {ev_add, ev_sub, ev_mul, ev_xor, ev_add};
  n->eval = ops[rng_below(r, 5)];
  n->l = build(r, depth - 1);
  n->r = build(r, depth - 1 - (i32)rng_below(r, 2));
  return n;
}

/* --- objects with a method table --- */
struct shape;
struct shape_ops {
  i64 (*area)(const struct shape *);
  i64 (*perimeter)(const struct shape *);
  void (*grow)(struct shape *, i32);
};
struct shape { const struct shape_ops *ops; i32 a, b; };

static i64 rect_area(const struct shape *s) { return (i64)s->a * s->b; }
static i64 rect_perim(const struct shape *s) { return 2 * ((i64)s->a + s->b); }
static void rect_grow(struct shape *s, i32 d) { s->a += d; s->b += d / 2; }
static i64 sq_area(const struct shape *s) { return (i64)s->a * s->a; }
static i64 sq_perim(const struct shape *s) { return 4 * (i64)s->a; }
static void sq_grow(struct shape *s, i32 d) { s->a += d; }
static i64 tri_area(const struct shape *s) { return (i64)s->a * s->b / 2; }
static i64 tri_perim(const struct shape *s) { return (i64)s->a + s->b + (s->a > s->b ? s->a : s->b); }
static void tri_grow(struct shape *s, i32 d) { s->b += d; }

static const struct shape_ops rect_ops = {rect_area, rect_perim, rect_grow};
static const struct shape_ops sq_ops = {sq_area, sq_perim, sq_grow};
static const struct shape_ops tri_ops = {tri_area, tri_perim, tri_grow};

#define NSHAPES 1024
static struct shape shapes[NSHAPES];

/* --- a sort that compares through a callback --- */
typedef int (*cmp_fn)(const void *, const void *);

static int cmp_u32(const void *a, const void *b) {
  u32 x = *(const u32 *)a, y = *(const u32 *)b;
  return x < y ? -1 : x > y;
}
static int cmp_u32_rev(const void *a, const void *b) { return cmp_u32(b, a); }

static NOINLINE void shellsort(u32 *v, i32 n, cmp_fn cmp) {
  static const i32 gaps[] = {1750, 701, 301, 132, 57, 23, 10, 4, 1};
  for (int g = 0; g < 9; g++) {
    i32 gap = gaps[g];
    for (i32 i = gap; i < n; i++) {
      u32 x = v[i];
      i32 j = i;
      while (j >= gap && cmp(&v[j - gap], &x) > 0) { v[j] = v[j - gap]; j -= gap; }
      v[j] = x;
    }
  }
}

static u32 arr[1 << 16];

static i64 run(int scale) {
  rng r;
  rng_seed(&r, 2024);
  u64 h = 0;
  npool = 0;
  const struct node *tree = build(&r, 9);
  for (i32 x = 0; x < 2000 * scale; x++) h = mix(h, (u32)tree->eval(tree, x));

  static const struct shape_ops *kinds[] = {&rect_ops, &sq_ops, &tri_ops};
  for (int i = 0; i < NSHAPES; i++) {
    shapes[i].ops = kinds[rng_below(&r, 3)];
    shapes[i].a = 1 + (i32)rng_below(&r, 50);
    shapes[i].b = 1 + (i32)rng_below(&r, 50);
  }
  i64 total = 0;
  for (int k = 0; k < 300 * scale; k++)
    for (int i = 0; i < NSHAPES; i++) {
      struct shape *s = &shapes[i];
      total += s->ops->area(s) - s->ops->perimeter(s);
      s->ops->grow(s, (k + i) & 3 ? 0 : 1);
    }
  h = mix(h, (u64)total);

  i32 n = 1 << 16;
  for (int k = 0; k < scale; k++) {
    for (i32 i = 0; i < n; i++) arr[i] = (u32)rng_next(&r);
    shellsort(arr, n, (k & 1) ? cmp_u32_rev : cmp_u32);
    h = mix(h, arr[0] ^ arr[n / 2] ^ arr[n - 1]);
  }
  return (i64)h;
}

BENCH_MAIN(26, 1)
