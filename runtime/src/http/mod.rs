//! HTTP helpers with no pyo3: path decoding, body collection with limits, response building.
pub mod body;
pub mod path;
pub mod status;
