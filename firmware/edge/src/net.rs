//! The network: virtio-net on the board's virtio-mmio bus (virtio-drivers'
//! `VirtIONetRaw`, over static buffers), smoltcp's interface on top of it
//! with a static IPv4 address, and one TCP socket with blocking helpers
//! that poll the stack until done or until a deadline.

use core::ptr::NonNull;

use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet, SocketStorage};
use smoltcp::phy::{self, DeviceCapabilities, Medium};
use smoltcp::socket::tcp;
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr, IpEndpoint, Ipv4Address};
use virtio_drivers::device::net::VirtIONetRaw;
use virtio_drivers::transport::mmio::{MmioTransport, VirtIOHeader};
use virtio_drivers::transport::{DeviceType, Transport};
use virtio_drivers::{BufferDirection, Hal, PAGE_SIZE, PhysAddr};

use crate::board::{now_ms, now_us};
use crate::sizes::{
    DMA_PAGES, QUEUE_SIZE, RX_BUFFER_LEN, RX_BUFFERS, TCP_RX_LEN, TCP_TX_LEN, TX_FRAME_LEN,
};

/// The device's address in QEMU's user network (slirp's default guest
/// address), and slirp's gateway.
const ADDRESS: Ipv4Address = Ipv4Address::new(10, 0, 2, 15);
const GATEWAY: Ipv4Address = Ipv4Address::new(10, 0, 2, 2);
/// The virt board's eight virtio-mmio windows.
const VIRTIO_MMIO_BASE: usize = 0x1000_1000;
const VIRTIO_MMIO_SIZE: usize = 0x1000;
const VIRTIO_MMIO_SLOTS: usize = 8;
/// How long a connect, a send or a receive may take before it fails.
pub const IO_TIMEOUT_MS: u64 = 10_000;

/// smoltcp's socket slots (apart from [`NetMemory`]: not all zero bytes, so
/// they would take `.data` with them, and every byte of `.data` is stored
/// twice, in flash and in RAM).
pub type SocketSlots = [SocketStorage<'static>; 1];

/// Empty socket slots, for a static.
pub const SOCKET_SLOTS: SocketSlots = [SocketStorage::EMPTY];

/// The buffers the network owns (part of `Memory` in main.rs: all zero,
/// so in `.bss`).
pub struct NetMemory {
    rx: [[u8; RX_BUFFER_LEN]; RX_BUFFERS],
    tx: [u8; TX_FRAME_LEN],
    tcp_rx: [u8; TCP_RX_LEN],
    tcp_tx: [u8; TCP_TX_LEN],
}

impl NetMemory {
    /// All zero, for a static.
    pub const fn new() -> Self {
        NetMemory {
            rx: [[0; RX_BUFFER_LEN]; RX_BUFFERS],
            tx: [0; TX_FRAME_LEN],
            tcp_rx: [0; TCP_RX_LEN],
            tcp_tx: [0; TCP_TX_LEN],
        }
    }
}

// --- virtio-drivers' HAL: identity mapping and a static page pool ----------

/// The pages virtqueues are carved from, page-aligned as virtio wants.
#[repr(C, align(4096))]
struct DmaPool([u8; DMA_PAGES * PAGE_SIZE]);

static mut DMA_POOL: DmaPool = DmaPool([0; DMA_PAGES * PAGE_SIZE]);
/// Pages of the pool handed out so far (never given back: the queues live
/// as long as the program).
static mut DMA_USED: usize = 0;

/// Machine mode without an MMU: every address is physical, so sharing a
/// buffer with the device is naming its address.
pub struct BoardHal;

// SAFETY: `dma_alloc` hands out page-aligned, zeroed, never-overlapping
// pages of a static pool that nothing else uses (or 0 when it is spent);
// the other methods only translate addresses, which is the identity here.
unsafe impl Hal for BoardHal {
    fn dma_alloc(pages: usize, _direction: BufferDirection) -> (PhysAddr, NonNull<u8>) {
        let used = &raw mut DMA_USED;
        let pool = &raw mut DMA_POOL;
        // SAFETY: one hart, no interrupts: no other access to DMA_USED or
        // DMA_POOL is live. The range handed out, `[used, used + pages)`
        // pages, is inside the pool and was never handed out before.
        unsafe {
            if *used + pages > DMA_PAGES {
                return (0, NonNull::dangling());
            }
            let start = (*pool).0.as_mut_ptr().add(*used * PAGE_SIZE);
            start.write_bytes(0, pages * PAGE_SIZE);
            *used += pages;
            (start as usize as PhysAddr, NonNull::new_unchecked(start))
        }
    }

    unsafe fn dma_dealloc(_paddr: PhysAddr, _vaddr: NonNull<u8>, _pages: usize) -> i32 {
        0
    }

    unsafe fn mmio_phys_to_virt(paddr: PhysAddr, _size: usize) -> NonNull<u8> {
        NonNull::new(paddr as usize as *mut u8).unwrap_or(NonNull::dangling())
    }

    unsafe fn share(buffer: NonNull<[u8]>, _direction: BufferDirection) -> PhysAddr {
        buffer.cast::<u8>().as_ptr() as usize as PhysAddr
    }

    unsafe fn unshare(_paddr: PhysAddr, _buffer: NonNull<[u8]>, _direction: BufferDirection) {}
}

/// The virtio-net device, wherever QEMU put it (the first one added sits
/// in the last virtio-mmio slot, so every slot is probed).
fn find_nic() -> Option<MmioTransport<'static>> {
    (0..VIRTIO_MMIO_SLOTS).find_map(|slot| {
        let base = VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SIZE;
        let header = NonNull::new(base as *mut VirtIOHeader)?;
        // SAFETY: the virt board maps eight virtio-mmio windows of 0x1000
        // bytes from 0x1000_1000, valid for the whole program; each slot is
        // probed once, so the transport returned is the window's only user.
        let transport = unsafe { MmioTransport::new(header, VIRTIO_MMIO_SIZE) }.ok()?;
        if transport.device_type() != DeviceType::Network {
            return None;
        }
        defmt::info!(
            "virtio-net in virtio-mmio slot {=usize} ({=usize:#x}), interface version {=u32}",
            slot,
            base,
            transport.version() as u32
        );
        Some(transport)
    })
}

type VirtioNet = VirtIONetRaw<BoardHal, MmioTransport<'static>, QUEUE_SIZE>;

/// smoltcp's view of the virtio-net device.
pub struct Nic {
    dev: VirtioNet,
    rx: &'static mut [[u8; RX_BUFFER_LEN]; RX_BUFFERS],
    /// The device's token for each posted receive buffer; `None` while the
    /// buffer is ours (its frame being read, or waiting to be posted again).
    posted: [Option<u16>; RX_BUFFERS],
    /// The buffer whose frame smoltcp was last given, to post again.
    to_post: Option<usize>,
    tx: &'static mut [u8; TX_FRAME_LEN],
}

impl Nic {
    fn post(&mut self, i: usize) {
        // SAFETY: buffer `i` is static and ours (`posted[i]` is `None`);
        // from here on it is read only after the device returns its token
        // and `receive_complete` is called with this same buffer.
        if let Ok(token) = unsafe { self.dev.receive_begin(&mut self.rx[i]) } {
            self.posted[i] = Some(token);
        }
    }

    fn post_pending(&mut self) {
        if let Some(i) = self.to_post.take() {
            self.post(i);
        }
    }
}

/// A received frame, read in place.
pub struct RxToken<'a>(&'a [u8]);

/// Room to send one frame.
pub struct TxToken<'a> {
    dev: &'a mut VirtioNet,
    frame: &'a mut [u8; TX_FRAME_LEN],
}

impl phy::RxToken for RxToken<'_> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(self.0)
    }
}

impl phy::TxToken for TxToken<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let len = len.min(TX_FRAME_LEN);
        let r = f(&mut self.frame[..len]);
        // A frame the device refuses is lost, as on a wire; TCP resends.
        let _ = self.dev.send(&self.frame[..len]);
        r
    }
}

impl phy::Device for Nic {
    type RxToken<'a> = RxToken<'a>;
    type TxToken<'a> = TxToken<'a>;

    fn receive(&mut self, _: Instant) -> Option<(RxToken<'_>, TxToken<'_>)> {
        self.post_pending();
        let token = self.dev.poll_receive()?;
        let i = self.posted.iter().position(|&p| p == Some(token))?;
        self.posted[i] = None;
        // Posted again at the next call, whatever happens now.
        self.to_post = Some(i);
        // SAFETY: `token` is the one `receive_begin` gave for buffer `i`,
        // passed back with that same buffer.
        let (header, len) = unsafe { self.dev.receive_complete(token, &mut self.rx[i]) }.ok()?;
        let Nic { dev, rx, tx, .. } = self;
        let frame = rx[i].get(header..header + len)?;
        Some((RxToken(frame), TxToken { dev, frame: tx }))
    }

    fn transmit(&mut self, _: Instant) -> Option<TxToken<'_>> {
        self.post_pending();
        Some(TxToken {
            dev: &mut self.dev,
            frame: &mut *self.tx,
        })
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ethernet;
        caps.max_transmission_unit = TX_FRAME_LEN;
        caps
    }
}

/// Why the network could not be brought up.
#[derive(Clone, Copy, Debug, defmt::Format)]
pub enum NetError {
    /// No virtio-net device on the virtio-mmio bus.
    NoDevice,
    /// The device refused to start (virtio-drivers' error).
    Device,
}

/// Why a TCP operation failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, defmt::Format)]
pub enum TcpError {
    /// The connection was refused or reset before it was established.
    Refused,
    /// The peer closed or reset the connection.
    Closed,
    /// Nothing happened for [`IO_TIMEOUT_MS`].
    Timeout,
}

/// The interface, its one TCP socket, and where that socket is connected.
pub struct Net {
    nic: Nic,
    iface: Interface,
    sockets: SocketSet<'static>,
    tcp: SocketHandle,
    remote: Option<IpEndpoint>,
    next_port: u16,
}

fn now() -> Instant {
    Instant::from_micros(now_us() as i64)
}

impl Net {
    /// Finds and starts the virtio-net device and sets up the interface.
    pub fn new(
        mem: &'static mut NetMemory,
        sockets: &'static mut SocketSlots,
    ) -> Result<Net, NetError> {
        let transport = find_nic().ok_or(NetError::NoDevice)?;
        let dev = VirtioNet::new(transport).map_err(|_| NetError::Device)?;
        let mac = EthernetAddress(dev.mac_address());
        let NetMemory {
            rx,
            tx,
            tcp_rx,
            tcp_tx,
        } = mem;
        let mut nic = Nic {
            dev,
            rx,
            posted: [None; RX_BUFFERS],
            to_post: None,
            tx,
        };
        for i in 0..RX_BUFFERS {
            nic.post(i);
        }
        let config = Config::new(HardwareAddress::Ethernet(mac));
        let mut iface = Interface::new(config, &mut nic, now());
        iface.update_ip_addrs(|addrs| {
            let _ = addrs.push(IpCidr::new(IpAddress::Ipv4(ADDRESS), 24));
        });
        let _ = iface.routes_mut().add_default_ipv4_route(GATEWAY);
        let mut sockets = SocketSet::new(&mut sockets[..]);
        let socket = tcp::Socket::new(
            tcp::SocketBuffer::new(&mut tcp_rx[..]),
            tcp::SocketBuffer::new(&mut tcp_tx[..]),
        );
        let tcp = sockets.add(socket);
        Ok(Net {
            nic,
            iface,
            sockets,
            tcp,
            remote: None,
            next_port: 49152,
        })
    }

    /// Runs the stack once: frames in and out, timers.
    pub fn poll(&mut self) {
        self.iface.poll(now(), &mut self.nic, &mut self.sockets);
    }

    /// Keeps the stack running for `ms` milliseconds (a back-off).
    pub fn sleep_ms(&mut self, ms: u64) {
        let until = now_ms() + ms;
        while now_ms() < until {
            self.poll();
        }
    }

    fn socket(&mut self) -> &mut tcp::Socket<'static> {
        self.sockets.get_mut::<tcp::Socket>(self.tcp)
    }

    /// An established connection to `remote`: the open one if it still
    /// is, else a new one (the old one, if any, is reset).
    pub fn connect(&mut self, remote: IpEndpoint) -> Result<(), TcpError> {
        let reuse = self.remote == Some(remote) && {
            let s = self.socket();
            s.state() == tcp::State::Established && s.may_send() && s.may_recv()
        };
        if reuse {
            return Ok(());
        }
        self.close();
        let port = self.next_port;
        self.next_port = if port == u16::MAX { 49152 } else { port + 1 };
        let Net {
            iface,
            sockets,
            tcp,
            ..
        } = self;
        sockets
            .get_mut::<tcp::Socket>(*tcp)
            .connect(iface.context(), remote, port)
            .map_err(|_| TcpError::Refused)?;
        self.remote = Some(remote);
        let deadline = now_ms() + IO_TIMEOUT_MS;
        loop {
            self.poll();
            match self.socket().state() {
                tcp::State::Established => {
                    defmt::info!(
                        "connected to {} from port {=u16}",
                        defmt::Display2Format(&remote),
                        port
                    );
                    return Ok(());
                }
                tcp::State::Closed => {
                    self.remote = None;
                    return Err(TcpError::Refused);
                }
                _ if now_ms() >= deadline => {
                    self.close();
                    return Err(TcpError::Timeout);
                }
                _ => {}
            }
        }
    }

    /// Drops the connection, if any, with a reset (the device keeps no
    /// socket waiting in TIME-WAIT).
    pub fn close(&mut self) {
        self.socket().abort();
        self.remote = None;
        self.poll();
    }

    /// Sends all of `data`.
    pub fn send_all(&mut self, mut data: &[u8]) -> Result<(), TcpError> {
        let deadline = now_ms() + IO_TIMEOUT_MS;
        while !data.is_empty() {
            self.poll();
            let s = self.socket();
            if !s.may_send() {
                return Err(TcpError::Closed);
            }
            if s.can_send() {
                let n = s.send_slice(data).map_err(|_| TcpError::Closed)?;
                data = &data[n..];
            } else if now_ms() >= deadline {
                return Err(TcpError::Timeout);
            }
        }
        self.poll();
        Ok(())
    }

    /// Receives at least one byte into `buf`; `Ok(0)` once the peer has
    /// closed its side and everything it sent was read.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize, TcpError> {
        let deadline = now_ms() + IO_TIMEOUT_MS;
        loop {
            self.poll();
            let s = self.socket();
            if s.can_recv() {
                return s.recv_slice(buf).map_err(|_| TcpError::Closed);
            }
            if !s.may_recv() {
                return Ok(0);
            }
            if now_ms() >= deadline {
                return Err(TcpError::Timeout);
            }
        }
    }
}
