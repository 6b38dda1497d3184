//! programs/examples/channel_rust: channels from Rust, within one
//! component: bytes and a VMA go through a channel (the VMA's handle moves
//! with the message), a wait polls and times out, a send that would
//! fail gives its handles back, and dropping one end closes the channel.
#![no_std]

use coral::{wait, Channel, Error, Handle, Vma};

fn fail(what: &str) -> ! {
    coral::log(what);
    coral::exit(1)
}

fn run() -> Result<(), Error> {
    let (a, b) = Channel::create()?;
    // Nothing queued: a poll and a short wait time out.
    if wait(&[&b], Some(0)) != Err(Error::TimedOut) || wait(&[&a, &b], Some(1_000_000)) != Err(Error::TimedOut) {
        fail("channel_rust: an empty channel was ready");
    }

    let vma = Vma::create(32)?;
    vma.write(0, b"carried across")?;
    if a.send_with(b"here is a vma", [vma.into_handle()]).is_err() {
        fail("channel_rust: send_with failed");
    }
    if wait(&[&a, &b], None)? != 1 {
        fail("channel_rust: b is not the ready one");
    }
    let mut buf = [0u8; 64];
    let mut got: [Option<Handle>; 2] = [None, None];
    let n = b.recv(&mut buf, &mut got)?;
    if &buf[..n] != b"here is a vma" || got[1].is_some() {
        fail("channel_rust: wrong message");
    }
    let vma = match got[0].take().map(Vma::try_from_handle) {
        Some(Ok(v)) => v,
        _ => fail("channel_rust: no VMA in the message"),
    };
    let mut text = [0u8; 14];
    vma.read(0, &mut text)?;
    if &text != b"carried across" {
        fail("channel_rust: the VMA lost its bytes");
    }

    // A failed send gives the handle back: an end cannot go through itself.
    let dup = a.dup()?;
    match a.send_with(b"", [dup]) {
        Err(([back], Error::Invalid)) => drop(back),
        _ => fail("channel_rust: sending an end through itself did not fail"),
    }
    // Too small a buffer: TooBig, and the message stays.
    a.send(b"twelve bytes")?;
    if b.recv(&mut buf[..4], &mut []) != Err(Error::TooBig) || b.recv(&mut buf, &mut [])? != 12 {
        fail("channel_rust: TooBig did not keep the message");
    }
    // Dropping one end closes the channel for the other.
    drop(a);
    if b.recv(&mut buf, &mut []) != Err(Error::Closed) {
        fail("channel_rust: recv after the peer closed is not Closed");
    }
    Ok(())
}

#[no_mangle]
pub extern "C" fn _start() {
    match run() {
        Ok(()) => coral::log("channel_rust: bytes and a VMA went through, and the errors came back"),
        Err(_) => fail("channel_rust: a call failed"),
    }
}
