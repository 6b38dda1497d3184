// bench/wasm-file.js: facts read straight from a .wasm file's bytes, shared
// by the harness and the V8 runner.
'use strict';

// The size in bytes of the code section (id 10), or 0 when there is none.
function codeSectionSize(bytes) {
  let p = 8;
  const leb = () => {
    let v = 0, shift = 0, b;
    do { b = bytes[p++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    if (id === 10) return size;
    p += size;
  }
  return 0;
}

module.exports = { codeSectionSize };
