//! A minimal HTTP/1.1 client over a raw keep-alive socket for the benchmarks: the
//! load generator shares two cores with the server, so it does as little as it can.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads one response (head, then `Content-Length` bytes of body) into `buf`;
/// returns the status code and the body's byte range in `buf`.
pub async fn read_response(sock: &mut TcpStream, buf: &mut Vec<u8>) -> anyhow::Result<(u16, std::ops::Range<usize>)> {
    let mut have = 0;
    let (head_end, body_len, status) = loop {
        if have == buf.len() {
            anyhow::ensure!(buf.len() < 1 << 20, "response head too large");
            buf.resize(buf.len() * 2, 0);
        }
        let n = sock.read(&mut buf[have..]).await?;
        anyhow::ensure!(n > 0, "connection closed");
        have += n;
        if let Some(p) = buf[..have].windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..p]).to_ascii_lowercase();
            let status = head.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (p + 4, len, status);
        }
    };
    if buf.len() < head_end + body_len {
        buf.resize(head_end + body_len, 0);
    }
    while have < head_end + body_len {
        let n = sock.read(&mut buf[have..]).await?;
        anyhow::ensure!(n > 0, "connection closed");
        have += n;
    }
    Ok((status, head_end..head_end + body_len))
}

/// A keep-alive connection that sends GET requests with a bearer token.
pub struct Client {
    sock: TcpStream,
    host: String,
    buf: Vec<u8>,
}

impl Client {
    /// Connects to `host:port`.
    pub async fn connect(host: &str) -> anyhow::Result<Client> {
        let sock = TcpStream::connect(host).await?;
        sock.set_nodelay(true)?;
        Ok(Client { sock, host: host.to_string(), buf: vec![0; 16 * 1024] })
    }

    /// GET `path` with `Authorization: Bearer token` (none when `token` is empty);
    /// returns the status and body.
    pub async fn get(&mut self, path: &str, token: &str) -> anyhow::Result<(u16, &[u8])> {
        let req = if token.is_empty() {
            format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host)
        } else {
            format!("GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\r\n", self.host)
        };
        self.sock.write_all(req.as_bytes()).await?;
        let (status, body) = read_response(&mut self.sock, &mut self.buf).await?;
        Ok((status, &self.buf[body]))
    }
}
