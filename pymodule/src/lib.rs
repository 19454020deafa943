//! `bustapi._core`: the extension module. It only assembles; each area registers its own classes.
use pyo3::prelude::*;

mod build;
mod check;
mod jinja;
mod template_testing;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    bustapi_runtime::py::register(m)?;
    check::register(m)?;
    build::register(m)?;
    template_testing::register(m)?;
    jinja::register(m)?;
    Ok(())
}
