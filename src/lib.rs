//! flaglight engine.
pub mod ids;
pub mod normalize;
