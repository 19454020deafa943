//! The Python face of a built project's compiled templates.
