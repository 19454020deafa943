//! HTTP helpers with no pyo3: request parts, header limits, response building.
