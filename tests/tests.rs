//! One integration-test binary: runs the real `accord` executable in
//! temporary work directories.

mod util;

mod extract;
mod gazetteer;
mod hostile;
mod relate;
