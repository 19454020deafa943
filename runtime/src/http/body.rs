//! Reading a request body into memory, bounded by the application's `MAX_CONTENT_LENGTH`.

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

/// What became of the body.
#[derive(Debug)]
pub enum BodyOutcome {
    /// The whole body.
    Complete(Bytes),
    /// Larger than the limit: not (fully) read. Werkzeug raises 413 when the view reads it,
    /// so the request still goes to Python, which decides.
    TooLarge,
    /// The client went away or sent a malformed body (bad chunked encoding…).
    Failed(String),
}

/// Collect `body`, giving up once more than `limit` bytes arrived. `declared` is the
/// Content-Length header, checked first so an oversized upload is not read at all.
pub async fn collect_limited<B>(body: B, declared: Option<u64>, limit: Option<u64>) -> BodyOutcome
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    if let (Some(declared), Some(limit)) = (declared, limit) {
        if declared > limit {
            return BodyOutcome::TooLarge;
        }
    }
    if declared == Some(0) {
        return BodyOutcome::Complete(Bytes::new());
    }
    let mut body = body;
    let mut first: Option<Bytes> = None;
    let mut buf: Option<BytesMut> = None;
    let mut total: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => return BodyOutcome::Failed(e.to_string()),
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total += data.len() as u64;
        if limit.is_some_and(|limit| total > limit) {
            return BodyOutcome::TooLarge;
        }
        // The common case is a single frame: keep it without copying.
        match (&mut first, &mut buf) {
            (None, None) => first = Some(data),
            (Some(f), None) => {
                let mut b = BytesMut::with_capacity(f.len() + data.len());
                b.extend_from_slice(f);
                b.extend_from_slice(&data);
                first = None;
                buf = Some(b);
            }
            (_, Some(b)) => b.extend_from_slice(&data),
        }
    }
    BodyOutcome::Complete(match (first, buf) {
        (_, Some(b)) => b.freeze(),
        (Some(f), None) => f,
        (None, None) => Bytes::new(),
    })
}
