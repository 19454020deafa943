//! Listening sockets: TCP (optionally `SO_REUSEPORT`, so `--workers N` processes share a port),
//! Unix domain sockets, and inherited file descriptors.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use socket2::{Domain, Protocol, Socket, Type};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};

/// Where to listen.
#[derive(Debug, Clone)]
pub enum Bind {
    Tcp {
        host: String,
        port: u16,
        reuse_port: bool,
    },
    Unix {
        path: PathBuf,
    },
    /// An already-listening TCP socket handed over by a parent process.
    Fd(i32),
}

/// The peer of a connection, attached to each request as an extension.
#[derive(Debug, Clone)]
pub enum PeerAddr {
    Tcp(SocketAddr),
    Unix,
}

/// Either kind of accepted stream.
pub trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

pub enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// Bind synchronously (so errors such as "address in use" surface before serving starts).
    pub fn bind(bind: &Bind) -> io::Result<std::net::TcpListener> {
        match bind {
            Bind::Tcp {
                host,
                port,
                reuse_port,
            } => {
                let addr = (host.as_str(), *port)
                    .to_socket_addrs()?
                    .next()
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address"))?;
                let socket =
                    Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
                socket.set_reuse_address(true)?;
                if *reuse_port {
                    socket.set_reuse_port(true)?;
                }
                socket.set_nonblocking(true)?;
                socket.bind(&addr.into())?;
                socket.listen(2048)?;
                Ok(socket.into())
            }
            Bind::Fd(fd) => {
                use std::os::fd::FromRawFd;
                // SAFETY: the caller hands over ownership of a listening socket descriptor.
                let listener = unsafe { std::net::TcpListener::from_raw_fd(*fd) };
                listener.set_nonblocking(true)?;
                Ok(listener)
            }
            Bind::Unix { .. } => Err(io::Error::new(io::ErrorKind::InvalidInput, "unix socket")),
        }
    }

    /// Bind a Unix socket, replacing a stale socket file.
    pub fn bind_unix(path: &PathBuf) -> io::Result<std::os::unix::net::UnixListener> {
        if path.exists() {
            std::fs::remove_file(path)?;
        }
        let listener = std::os::unix::net::UnixListener::bind(path)?;
        listener.set_nonblocking(true)?;
        Ok(listener)
    }

    pub async fn accept(&self) -> io::Result<(Box<dyn Stream>, PeerAddr)> {
        match self {
            Listener::Tcp(l) => {
                let (s, addr) = l.accept().await?;
                let _ = s.set_nodelay(true);
                Ok((Box::new(s), PeerAddr::Tcp(addr)))
            }
            Listener::Unix(l, _) => {
                let (s, _) = l.accept().await?;
                Ok((Box::new(s), PeerAddr::Unix))
            }
        }
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        match self {
            Listener::Tcp(l) => l.local_addr().ok(),
            Listener::Unix(..) => None,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Listener::Unix(_, path) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}
