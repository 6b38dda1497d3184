//! sdk/rust/src/lib.rs: the `coral` module for `no_std` Rust programs
//! compiled to `wasm32-unknown-unknown` (docs/api.md describes each call).
//!
//! Two layers: [`sys`] declares the raw imports with the C names of the
//! constants; the rest wraps them safely. Kernel objects are owned values
//! ([`Handle`], [`Vma`], [`Module`], [`Component`], [`Instance`]) that close
//! their handle when dropped; errors are [`Error`] values. Tokens
//! (externref) are not offered: Rust 1.63 has no externref type, and a
//! Rust program does not need them (handles pass to children at creation).
#![no_std]

pub mod sys {
    //! The raw imports from `coral`, one per call, as the kernel declares
    //! them, and the numbers of its interface.
    pub const CORAL_EBADH: i32 = -1;
    pub const CORAL_EKIND: i32 = -2;
    pub const CORAL_ESTALE: i32 = -3;
    pub const CORAL_EFAULT: i32 = -4;
    pub const CORAL_EINVAL: i32 = -5;
    pub const CORAL_ENOMEM: i32 = -6;
    pub const CORAL_ERANGE: i32 = -7;
    pub const CORAL_EMALFORMED: i32 = -8;
    pub const CORAL_ELINK: i32 = -9;
    pub const CORAL_ENOTFOUND: i32 = -10;
    pub const CORAL_ESTATE: i32 = -11;
    pub const CORAL_ELIMIT: i32 = -12;
    pub const CORAL_ETRAP: i32 = -13;
    pub const CORAL_EUNSUPPORTED: i32 = -14;
    // IPC (channels, wait)
    pub const CORAL_ETIMEDOUT: i32 = -15;
    pub const CORAL_ECLOSED: i32 = -16;
    pub const CORAL_ETOOBIG: i32 = -17;

    pub const CORAL_KIND_VMA: i32 = 1;
    pub const CORAL_KIND_MODULE: i32 = 2;
    pub const CORAL_KIND_COMPONENT: i32 = 3;
    pub const CORAL_KIND_INSTANCE: i32 = 4;
    pub const CORAL_KIND_CONSOLE: i32 = 5;
    pub const CORAL_KIND_IOCAP: i32 = 6;
    pub const CORAL_KIND_CHANNEL: i32 = 7;

    pub const CORAL_STATUS_EXITED: i32 = 0x000;
    pub const CORAL_STATUS_TRAPPED: i32 = 0x100;
    pub const CORAL_STATUS_KILLED: i32 = 0x200;
    pub const CORAL_STATUS_HOW: i32 = 0x300;
    pub const CORAL_STATUS_DETAIL: i32 = 0x0ff;

    pub const CORAL_BOOT_CONSOLE: i32 = 0;
    pub const CORAL_BOOT_IOCAP: i32 = 1;
    pub const CORAL_BOOT_INFO: i32 = 2;
    pub const CORAL_BOOT_MODULES: i32 = 3;

    #[link(wasm_import_module = "coral")]
    extern "C" {
        #[link_name = "log"]
        pub fn log(ptr: *const u8, len: u32) -> i32;
        #[link_name = "exit"]
        pub fn exit(code: i32) -> !;
        #[link_name = "handle_kind"]
        pub fn handle_kind(h: i32) -> i32;
        #[link_name = "handle_close"]
        pub fn handle_close(h: i32) -> i32;
        #[link_name = "handle_dup"]
        pub fn handle_dup(h: i32) -> i32;
        #[link_name = "vma_create"]
        pub fn vma_create(size: u32) -> i32;
        #[link_name = "vma_size"]
        pub fn vma_size(vma: i32) -> i32;
        #[link_name = "vma_read"]
        pub fn vma_read(vma: i32, off: u32, ptr: *mut u8, len: u32) -> i32;
        #[link_name = "vma_write"]
        pub fn vma_write(vma: i32, off: u32, ptr: *const u8, len: u32) -> i32;
        #[link_name = "vma_copy"]
        pub fn vma_copy(src: i32, dst: i32, src_off: u32, dst_off: u32, len: u32) -> i32;
        #[link_name = "module_create"]
        pub fn module_create(vma: i32, off: u32, len: u32) -> i32;
        #[link_name = "component_create"]
        pub fn component_create() -> i32;
        #[link_name = "component_add_instance"]
        pub fn component_add_instance(component: i32, module: i32, name: *const u8,
                                      name_len: u32, handles: *const i32, count: u32) -> i32;
        #[link_name = "component_start"]
        pub fn component_start(component: i32, instance: i32, name: *const u8,
                               name_len: u32) -> i32;
        #[link_name = "component_wait"]
        pub fn component_wait(component: i32) -> i32;
        #[link_name = "component_kill"]
        pub fn component_kill(component: i32) -> i32;
        #[link_name = "time"]
        pub fn time() -> i64;
        #[link_name = "sleep"]
        pub fn sleep(ns: i64) -> i32;
        #[link_name = "yield"]
        pub fn yield_() -> i32;
        #[link_name = "console_write"]
        pub fn console_write(console: i32, ptr: *const u8, len: u32) -> i32;
        #[link_name = "console_read"]
        pub fn console_read(console: i32, ptr: *mut u8, cap: u32) -> i32;
        // IPC: channels and wait
        #[link_name = "channel_create"]
        pub fn channel_create(ends: *mut i32) -> i32;
        #[link_name = "channel_send"]
        pub fn channel_send(end: i32, ptr: *const u8, len: u32, handles: *const i32,
                            count: u32) -> i32;
        #[link_name = "channel_recv"]
        pub fn channel_recv(end: i32, ptr: *mut u8, cap: u32, handles: *mut i32,
                            hcap: u32) -> i32;
        #[link_name = "wait"]
        pub fn wait(handles: *const i32, count: u32, timeout_ns: i64) -> i32;
    }

    // Devices (docs/api.md, "Devices"): raw calls only for now; the
    // errors below come back as Error::Other(code).
    pub const CORAL_EDENIED: i32 = -18;
    pub const CORAL_EBUSY: i32 = -19;
    pub const CORAL_KIND_IRQ: i32 = 8;
    pub const CORAL_IO_PORTS: i32 = 1;
    pub const CORAL_IO_IRQ: i32 = 2;
    pub const CORAL_IO_MEM: i32 = 3;

    #[link(wasm_import_module = "coral")]
    extern "C" {
        #[link_name = "iocap_derive"]
        pub fn iocap_derive(iocap: i32, kind: i32, first: u64, count: u64) -> i32;
        #[link_name = "io_read8"]
        pub fn io_read8(iocap: i32, port: u32) -> i32;
        #[link_name = "io_read16"]
        pub fn io_read16(iocap: i32, port: u32) -> i32;
        #[link_name = "io_read32"]
        pub fn io_read32(iocap: i32, port: u32) -> i64;
        #[link_name = "io_write8"]
        pub fn io_write8(iocap: i32, port: u32, value: u32) -> i32;
        #[link_name = "io_write16"]
        pub fn io_write16(iocap: i32, port: u32, value: u32) -> i32;
        #[link_name = "io_write32"]
        pub fn io_write32(iocap: i32, port: u32, value: u32) -> i32;
        #[link_name = "irq_create"]
        pub fn irq_create(iocap: i32, line: i32) -> i32;
        #[link_name = "irq_wait"]
        pub fn irq_wait(irq: i32) -> i32;
        #[link_name = "vma_device"]
        pub fn vma_device(iocap: i32, phys: u64, size: u32) -> i32;
    }
}

/// Why a call failed: the kernel's error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    BadHandle,
    WrongKind,
    StaleToken,
    Fault,
    Invalid,
    NoMemory,
    Range,
    Malformed,
    Link,
    NotFound,
    State,
    Limit,
    Trap,
    Unsupported,
    // IPC
    TimedOut,
    Closed,
    TooBig,
    /// A code this version of the crate does not know.
    Other(i32),
}

impl Error {
    pub fn from_code(code: i32) -> Error {
        match code {
            sys::CORAL_EBADH => Error::BadHandle,
            sys::CORAL_EKIND => Error::WrongKind,
            sys::CORAL_ESTALE => Error::StaleToken,
            sys::CORAL_EFAULT => Error::Fault,
            sys::CORAL_EINVAL => Error::Invalid,
            sys::CORAL_ENOMEM => Error::NoMemory,
            sys::CORAL_ERANGE => Error::Range,
            sys::CORAL_EMALFORMED => Error::Malformed,
            sys::CORAL_ELINK => Error::Link,
            sys::CORAL_ENOTFOUND => Error::NotFound,
            sys::CORAL_ESTATE => Error::State,
            sys::CORAL_ELIMIT => Error::Limit,
            sys::CORAL_ETRAP => Error::Trap,
            sys::CORAL_EUNSUPPORTED => Error::Unsupported,
            sys::CORAL_ETIMEDOUT => Error::TimedOut,
            sys::CORAL_ECLOSED => Error::Closed,
            sys::CORAL_ETOOBIG => Error::TooBig,
            c => Error::Other(c),
        }
    }

    /// The kernel's code for this error (negative).
    pub fn code(self) -> i32 {
        match self {
            Error::BadHandle => sys::CORAL_EBADH,
            Error::WrongKind => sys::CORAL_EKIND,
            Error::StaleToken => sys::CORAL_ESTALE,
            Error::Fault => sys::CORAL_EFAULT,
            Error::Invalid => sys::CORAL_EINVAL,
            Error::NoMemory => sys::CORAL_ENOMEM,
            Error::Range => sys::CORAL_ERANGE,
            Error::Malformed => sys::CORAL_EMALFORMED,
            Error::Link => sys::CORAL_ELINK,
            Error::NotFound => sys::CORAL_ENOTFOUND,
            Error::State => sys::CORAL_ESTATE,
            Error::Limit => sys::CORAL_ELIMIT,
            Error::Trap => sys::CORAL_ETRAP,
            Error::Unsupported => sys::CORAL_EUNSUPPORTED,
            Error::TimedOut => sys::CORAL_ETIMEDOUT,
            Error::Closed => sys::CORAL_ECLOSED,
            Error::TooBig => sys::CORAL_ETOOBIG,
            Error::Other(c) => c,
        }
    }
}

pub type Result<T> = core::result::Result<T, Error>;

/// A call's i32: a result when >= 0, an error when < 0.
fn check(rc: i32) -> Result<i32> {
    if rc < 0 {
        Err(Error::from_code(rc))
    } else {
        Ok(rc)
    }
}

/// What a handle names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Vma,
    Module,
    Component,
    Instance,
    Console,
    IoCap,
    Channel,
    Other(i32),
}

/// An owned handle of this instance: closed when dropped.
#[derive(Debug)]
pub struct Handle(i32);

impl Handle {
    /// Takes ownership of handle number `h` (e.g. one a creator gave in a
    /// fixed slot). Unsafe: nothing else may close it.
    pub unsafe fn from_raw(h: i32) -> Handle {
        Handle(h)
    }

    /// The number, still owned by `self`.
    pub fn raw(&self) -> i32 {
        self.0
    }

    /// Gives up ownership: the handle stays open.
    pub fn into_raw(self) -> i32 {
        let h = self.0;
        core::mem::forget(self);
        h
    }

    pub fn kind(&self) -> Result<Kind> {
        Ok(match check(unsafe { sys::handle_kind(self.0) })? {
            sys::CORAL_KIND_VMA => Kind::Vma,
            sys::CORAL_KIND_MODULE => Kind::Module,
            sys::CORAL_KIND_COMPONENT => Kind::Component,
            sys::CORAL_KIND_INSTANCE => Kind::Instance,
            sys::CORAL_KIND_CONSOLE => Kind::Console,
            sys::CORAL_KIND_IOCAP => Kind::IoCap,
            sys::CORAL_KIND_CHANNEL => Kind::Channel,
            k => Kind::Other(k),
        })
    }

    /// A second handle to the same object.
    pub fn dup(&self) -> Result<Handle> {
        check(unsafe { sys::handle_dup(self.0) }).map(Handle)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe {
            sys::handle_close(self.0);
        }
    }
}

/// Wraps a handle of one kind; derefs to [`Handle`].
macro_rules! typed_handle {
    ($name:ident, $kind:expr) => {
        #[derive(Debug)]
        pub struct $name(Handle);

        impl $name {
            /// Takes a handle after checking its kind.
            pub fn try_from_handle(h: Handle) -> core::result::Result<$name, (Handle, Error)> {
                match check(unsafe { sys::handle_kind(h.raw()) }) {
                    Ok(k) if k == $kind => Ok($name(h)),
                    Ok(_) => Err((h, Error::WrongKind)),
                    Err(e) => Err((h, e)),
                }
            }

            pub fn into_handle(self) -> Handle {
                self.0
            }
        }

        impl core::ops::Deref for $name {
            type Target = Handle;
            fn deref(&self) -> &Handle {
                &self.0
            }
        }
    };
}

typed_handle!(Vma, sys::CORAL_KIND_VMA);
typed_handle!(Module, sys::CORAL_KIND_MODULE);
typed_handle!(Component, sys::CORAL_KIND_COMPONENT);
typed_handle!(Instance, sys::CORAL_KIND_INSTANCE);
typed_handle!(Console, sys::CORAL_KIND_CONSOLE);

impl Console {
    /// Writes the bytes as they are (no newline added).
    pub fn write(&self, data: &[u8]) -> Result<usize> {
        check(unsafe { sys::console_write(self.raw(), data.as_ptr(), data.len() as u32) })
            .map(|n| n as usize)
    }

    /// Waits for input; the bytes typed so far, up to `buf.len()`; 0 at
    /// the end of input.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize> {
        check(unsafe { sys::console_read(self.raw(), buf.as_mut_ptr(), buf.len() as u32) })
            .map(|n| n as usize)
    }
}

impl Vma {
    /// A zeroed VMA of `size` bytes.
    pub fn create(size: u32) -> Result<Vma> {
        check(unsafe { sys::vma_create(size) }).map(|h| Vma(Handle(h)))
    }

    pub fn size(&self) -> Result<u32> {
        check(unsafe { sys::vma_size(self.raw()) }).map(|n| n as u32)
    }

    /// Fills `buf` from offset `off`; returns the bytes read.
    pub fn read(&self, off: u32, buf: &mut [u8]) -> Result<usize> {
        check(unsafe { sys::vma_read(self.raw(), off, buf.as_mut_ptr(), buf.len() as u32) })
            .map(|n| n as usize)
    }

    /// Writes `data` at offset `off`; returns the bytes written.
    pub fn write(&self, off: u32, data: &[u8]) -> Result<usize> {
        check(unsafe { sys::vma_write(self.raw(), off, data.as_ptr(), data.len() as u32) })
            .map(|n| n as usize)
    }

    /// Copies `len` bytes from this VMA to `dst` (which may be this one).
    pub fn copy_to(&self, dst: &Vma, src_off: u32, dst_off: u32, len: u32) -> Result<usize> {
        check(unsafe { sys::vma_copy(self.raw(), dst.raw(), src_off, dst_off, len) })
            .map(|n| n as usize)
    }
}

impl Module {
    /// Copies bytes `off..off+len` of `vma` into the kernel, then validates
    /// and compiles them.
    pub fn create(vma: &Vma, off: u32, len: u32) -> Result<Module> {
        check(unsafe { sys::module_create(vma.raw(), off, len) }).map(|h| Module(Handle(h)))
    }
}

/// How a component ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exited(u8),
    /// The trap kind (CORAL_TRAP_* in docs/api.md).
    Trapped(u8),
    Killed,
}

impl Status {
    pub fn from_raw(s: i32) -> Status {
        let detail = (s & sys::CORAL_STATUS_DETAIL) as u8;
        match s & sys::CORAL_STATUS_HOW {
            sys::CORAL_STATUS_EXITED => Status::Exited(detail),
            sys::CORAL_STATUS_TRAPPED => Status::Trapped(detail),
            _ => Status::Killed,
        }
    }
}

impl Component {
    /// A new, empty component (a child of this one).
    pub fn create() -> Result<Component> {
        check(unsafe { sys::component_create() }).map(|h| Component(Handle(h)))
    }

    /// Instantiates `module` in this component as instance `name`; the
    /// objects of `handles` become its handles 0, 1, ... (this instance
    /// keeps its own).
    pub fn add_instance(&self, module: &Module, name: &str, handles: &[&Handle])
                        -> Result<Instance> {
        const MAX: usize = 64;
        if handles.len() > MAX {
            return Err(Error::Invalid);
        }
        let mut raw = [0i32; MAX];
        for (r, h) in raw.iter_mut().zip(handles) {
            *r = h.raw();
        }
        check(unsafe {
            sys::component_add_instance(self.raw(), module.raw(), name.as_ptr(), name.len() as u32,
                                        raw.as_ptr(), handles.len() as u32)
        })
        .map(|h| Instance(Handle(h)))
    }

    /// Starts the component's thread on `instance`'s export `name`.
    pub fn start(&self, instance: &Instance, name: &str) -> Result<()> {
        check(unsafe {
            sys::component_start(self.raw(), instance.raw(), name.as_ptr(), name.len() as u32)
        })
        .map(|_| ())
    }

    /// Waits until it has ended and its resources are freed.
    pub fn wait(&self) -> Result<Status> {
        check(unsafe { sys::component_wait(self.raw()) }).map(Status::from_raw)
    }

    pub fn kill(&self) -> Result<()> {
        check(unsafe { sys::component_kill(self.raw()) }).map(|_| ())
    }
}

// ---- IPC: channels and wait ----

typed_handle!(Channel, sys::CORAL_KIND_CHANNEL);

/// Handles in one message, and in one wait (docs/api.md, "Limits").
pub const MSG_HANDLES_MAX: usize = 64;

impl Channel {
    /// A new channel: its two ends.
    pub fn create() -> Result<(Channel, Channel)> {
        let mut ends = [0i32; 2];
        check(unsafe { sys::channel_create(ends.as_mut_ptr()) })?;
        Ok((Channel(Handle(ends[0])), Channel(Handle(ends[1]))))
    }

    /// Sends `data`, without handles. Never blocks.
    pub fn send(&self, data: &[u8]) -> Result<()> {
        check(unsafe {
            sys::channel_send(self.raw(), data.as_ptr(), data.len() as u32, core::ptr::null(), 0)
        })
        .map(|_| ())
    }

    /// Sends `data` and moves `handles` with it: they leave this instance
    /// when it is sent; when it is not, they come back with the error.
    pub fn send_with<const N: usize>(&self, data: &[u8], handles: [Handle; N])
                                     -> core::result::Result<(), ([Handle; N], Error)> {
        let mut raw = [0i32; N];
        for (r, h) in raw.iter_mut().zip(handles.iter()) {
            *r = h.raw();
        }
        let rc = unsafe {
            sys::channel_send(self.raw(), data.as_ptr(), data.len() as u32, raw.as_ptr(), N as u32)
        };
        match check(rc) {
            Ok(_) => {
                core::mem::forget(handles);     /* the kernel closed them */
                Ok(())
            }
            Err(e) => Err((handles, e)),
        }
    }

    /// Receives the oldest message, blocking while there is none and the
    /// peer is open: its bytes into `buf`, its handles into `handles`
    /// (the rest set to None). Returns the byte count. Fails with
    /// `TooBig` (the message stays queued) when either does not fit, and
    /// with `Closed` when nothing is queued and the peer is closed.
    pub fn recv(&self, buf: &mut [u8], handles: &mut [Option<Handle>]) -> Result<usize> {
        let hcap = handles.len().min(MSG_HANDLES_MAX);
        let mut raw = [-1i32; MSG_HANDLES_MAX];
        let n = check(unsafe {
            sys::channel_recv(self.raw(), buf.as_mut_ptr(), buf.len() as u32, raw.as_mut_ptr(),
                              hcap as u32)
        })?;
        for (i, slot) in handles.iter_mut().enumerate() {
            *slot = if i < hcap && raw[i] >= 0 { Some(Handle(raw[i])) } else { None };
        }
        Ok(n as usize)
    }
}

/// Waits until one of `handles` (channel ends, components) is ready, or
/// `timeout_ns` passes (`None`: forever; `Some(0)`: just look): the index
/// of the first ready one, or `Err(TimedOut)`.
pub fn wait(handles: &[&Handle], timeout_ns: Option<u64>) -> Result<usize> {
    if handles.len() > MSG_HANDLES_MAX {
        return Err(Error::Invalid);
    }
    let mut raw = [0i32; MSG_HANDLES_MAX];
    for (r, h) in raw.iter_mut().zip(handles) {
        *r = h.raw();
    }
    let t = match timeout_ns {
        None => -1,
        Some(ns) => ns.min(i64::MAX as u64) as i64,
    };
    check(unsafe { sys::wait(raw.as_ptr(), handles.len() as u32, t) }).map(|i| i as usize)
}

/// Writes one line to the console.
pub fn log(s: &str) {
    unsafe {
        sys::log(s.as_ptr(), s.len() as u32);
    }
}

/// Ends this component with `code` (0..255).
pub fn exit(code: i32) -> ! {
    unsafe { sys::exit(code) }
}

/// Monotonic time in nanoseconds.
pub fn time() -> u64 {
    unsafe { sys::time() as u64 }
}

pub fn sleep(ns: u64) -> Result<()> {
    check(unsafe { sys::sleep(ns.min(i64::MAX as u64) as i64) }).map(|_| ())
}

pub fn yield_now() {
    unsafe {
        sys::yield_();
    }
}

/// Logs "panic at FILE:LINE" and exits with 101.
#[cfg(all(feature = "panic-handler", not(test)))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut buf = [0u8; 160];
    let mut n = 0;
    let mut put = |s: &[u8]| {
        for &b in s {
            if n < buf.len() {
                buf[n] = b;
                n += 1;
            }
        }
    };
    put(b"panic");
    if let Some(loc) = info.location() {
        put(b" at ");
        put(loc.file().as_bytes());
        put(b":");
        let mut digits = [0u8; 10];
        let mut line = loc.line();
        let mut k = digits.len();
        loop {
            k -= 1;
            digits[k] = b'0' + (line % 10) as u8;
            line /= 10;
            if line == 0 {
                break;
            }
        }
        put(&digits[k..]);
    }
    unsafe {
        sys::log(buf.as_ptr(), n as u32);
        sys::exit(101)
    }
}
