pub mod frontend;
pub mod model;
