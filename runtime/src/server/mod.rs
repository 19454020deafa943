//! The server: listeners, HTTP/1.1 + h2, graceful shutdown, static files.
