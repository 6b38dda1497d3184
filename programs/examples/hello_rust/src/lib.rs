//! programs/examples/hello_rust: the smallest Coral program in Rust.
#![no_std]

#[no_mangle]
pub extern "C" fn _start() {
    coral::log("hello from Rust");
}
