;; 128-bit SIMD: constants, lanes, shuffles, loads and stores with lanes.
(module
  (memory 1)
  (func (export "simd") (param v128 i32) (result v128)
    (local v128)
    (local.set 2 (v128.const i32x4 1 2 3 4))
    (v128.store (i32.const 0) (local.get 0))
    (local.set 2 (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0) (local.get 2)))
    (local.set 2 (i32x4.replace_lane 1 (local.get 2) (i32.const 9)))
    (local.set 2 (f32x4.add (local.get 2) (v128.load32_splat (i32.const 4))))
    (local.set 2 (v128.load8_lane 3 (local.get 1) (local.get 2)))
    (local.set 2 (i16x8.extmul_low_i8x16_s (local.get 2) (local.get 0)))
    (drop (i8x16.extract_lane_u 15 (local.get 0)))
    (v128.bitselect (local.get 0) (local.get 2) (v128.const i64x2 -1 0))))
