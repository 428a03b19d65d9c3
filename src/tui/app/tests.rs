//! Unit tests of `App::update`.
