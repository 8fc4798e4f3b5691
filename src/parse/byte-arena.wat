;; The WebAssembly of src/parse/byte-arena.ts: one memory of fixed size (16 MiB, never grown, so
;; that views of it stay valid), a comparison of two ranges of it, sixteen bytes a step, and a
;; search for a byte, sixty-four bytes a step.
;; Assembled by scripts/byte-arena-wasm.mjs into the bytes byte-arena.ts holds; a test
;; assembles it again and compares.
(module
  (memory (export "memory") 256 256)

  ;; Whether the n bytes at a and at b are the same: 1 or 0.
  (func (export "same") (param $a i32) (param $b i32) (param $n i32) (result i32)
    ;; Under sixteen bytes: one at a time.
    (if (i32.lt_u (local.get $n) (i32.const 16))
      (then
        (block $done
          (loop $byte
            (br_if $done (i32.eqz (local.get $n)))
            (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b)))
              (then (return (i32.const 0))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $byte)))
        (return (i32.const 1))))
    ;; The last sixteen bytes, then sixteen at a time from the start: the steps cover every
    ;; byte, the last one overlapping those before it.
    (if (v128.any_true
          (v128.xor
            (v128.load (i32.sub (i32.add (local.get $a) (local.get $n)) (i32.const 16)))
            (v128.load (i32.sub (i32.add (local.get $b) (local.get $n)) (i32.const 16)))))
      (then (return (i32.const 0))))
    (block $done
      (loop $step
        (br_if $done (i32.lt_u (local.get $n) (i32.const 16)))
        (if (v128.any_true (v128.xor (v128.load (local.get $a)) (v128.load (local.get $b))))
          (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 16)))
        (br $step)))
    (i32.const 1))

  ;; Where the first byte `byte` is in [at, end), or -1.
  (func (export "find") (param $at i32) (param $end i32) (param $byte i32) (result i32)
    (local $mask i32)
    (local $wanted v128)
    (local.set $wanted (i8x16.splat (local.get $byte)))
    ;; Sixty-four bytes a step while none of them is the one.
    (block $found
      (loop $wide
        (br_if $found (i32.gt_u (i32.add (local.get $at) (i32.const 64)) (local.get $end)))
        (br_if $found
          (v128.any_true
            (v128.or
              (v128.or
                (i8x16.eq (v128.load (local.get $at)) (local.get $wanted))
                (i8x16.eq (v128.load offset=16 (local.get $at)) (local.get $wanted)))
              (v128.or
                (i8x16.eq (v128.load offset=32 (local.get $at)) (local.get $wanted))
                (i8x16.eq (v128.load offset=48 (local.get $at)) (local.get $wanted))))))
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (br $wide)))
    ;; Then sixteen: the first match is the lowest bit of the mask.
    (block $short
      (loop $step
        (br_if $short (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
        (local.set $mask
          (i8x16.bitmask (i8x16.eq (v128.load (local.get $at)) (local.get $wanted))))
        (if (local.get $mask)
          (then (return (i32.add (local.get $at) (i32.ctz (local.get $mask))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $step)))
    ;; The last bytes, one at a time: nothing past `end` is read.
    (block $none
      (loop $byte
        (br_if $none (i32.ge_u (local.get $at) (local.get $end)))
        (if (i32.eq (i32.load8_u (local.get $at)) (local.get $byte))
          (then (return (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $byte)))
    (i32.const -1))
)
