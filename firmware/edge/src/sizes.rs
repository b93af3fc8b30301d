//! Every buffer of the device and its size, in one place. All of them are
//! static (see `Memory` in main.rs): nothing is allocated, and the RAM
//! figure in docs/edge-device-figures.md is the sum of these and the stack.

/// Descriptors per virtqueue (receive and transmit).
pub const QUEUE_SIZE: usize = 16;
/// Pages of the static pool the virtqueues' rings are carved from: two
/// queues of two pages each (descriptor table and available ring, used
/// ring), whichever virtio-mmio layout the device asks for.
pub const DMA_PAGES: usize = 4;
/// Receive buffers posted to the device. Each holds one Ethernet frame
/// with virtio's header; virtio-drivers wants at least 1526 bytes.
pub const RX_BUFFERS: usize = 4;
/// Length of each receive buffer.
pub const RX_BUFFER_LEN: usize = 1536;
/// The one transmit frame (Ethernet header + MTU 1500).
pub const TX_FRAME_LEN: usize = 1514;
/// The TCP socket's receive window and send buffer.
pub const TCP_RX_LEN: usize = 2048;
/// See [`TCP_RX_LEN`].
pub const TCP_TX_LEN: usize = 2048;
/// A request's head (request line and headers) and a response's head.
pub const HEAD_LEN: usize = 768;
/// A response body: an S3 error document or a small object. A longer
/// body is refused with `HttpError::BodyTooLarge`.
pub const BODY_LEN: usize = 1024;
/// The most body bytes the client reads and drops to keep a connection
/// after refusing a body; beyond that it closes the connection.
pub const DISCARD_MAX: usize = 16 * 1024;
/// Bytes of the stack painted at start and scanned at the end for the
/// high-water mark.
pub const STACK_WINDOW: usize = 64 * 1024;
