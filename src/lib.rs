//! flaglight engine.
pub mod engine;
pub mod ids;
pub mod limits;
pub mod normalize;
pub mod pack;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
