//! programs/examples/parent_rust: parent.c in Rust, with the SDK's owned
//! handles: it builds a child component from child.wasm (embedded at build
//! time from the path in CHILD_WASM), gives it a VMA, waits for it and
//! reads what it wrote. Every handle closes itself when it goes out of
//! scope: the last check shows the numbers free again.
#![no_std]

use coral::{Component, Module, Status, Vma};

static CHILD: &[u8] = include_bytes!(env!("CHILD_WASM"));

fn run() -> coral::Result<()> {
    let shared = Vma::create(64)?;
    let first_free;
    {
        let code = Vma::create(CHILD.len() as u32)?;
        code.write(0, CHILD)?;
        let module = Module::create(&code, 0, CHILD.len() as u32)?;
        let child = Component::create()?;
        let inst = child.add_instance(&module, "child", &[&shared])?;
        child.start(&inst, "_start")?;
        if child.wait()? != Status::Exited(7) {
            coral::log("parent_rust: the child did not exit with 7");
            coral::exit(1);
        }
        first_free = code.raw();
    }
    let mut buf = [0u8; 24];
    shared.read(0, &mut buf)?;
    if &buf[..] != b"greetings from the child" {
        coral::exit(2);
    }
    coral::log("parent_rust: the child wrote \"greetings from the child\" and exited with 7");
    // code, module, child and inst were dropped: their numbers are free.
    let again = Vma::create(1)?;
    if again.raw() != first_free {
        coral::exit(3);
    }
    Ok(())
}

#[no_mangle]
pub extern "C" fn _start() {
    if let Err(e) = run() {
        coral::log("parent_rust: a call failed");
        coral::exit(100 - e.code());
    }
}
