//! The byte stream an SSH session runs over: a TCP connection, or one end of a local
//! socket pair whose other end a jump host's channel or a proxy command carries.

use std::net::TcpStream;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::process::Child;

/// A stream libssh2 can drive (it needs a file descriptor).
#[derive(Debug)]
pub enum Socket {
    /// Straight to the host.
    Tcp(TcpStream),
    /// Relayed through a jump host's channel.
    Relayed(UnixStream),
    /// A proxy command's stdin/stdout; the command is stopped when this drops.
    Command(UnixStream, ChildGuard),
}

impl Socket {
    /// A duplicate descriptor of the same stream, to wait on while libssh2 owns this.
    pub fn duplicate(&self) -> std::io::Result<OwnedFd> {
        Ok(match self {
            Socket::Tcp(s) => OwnedFd::from(s.try_clone()?),
            Socket::Relayed(s) | Socket::Command(s, _) => OwnedFd::from(s.try_clone()?),
        })
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            Socket::Tcp(s) => s.as_raw_fd(),
            Socket::Relayed(s) | Socket::Command(s, _) => s.as_raw_fd(),
        }
    }
}

/// Kills and reaps a child process when dropped.
#[derive(Debug)]
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
