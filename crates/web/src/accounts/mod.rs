//! Signing in and out, the password, the second factor (TOTP) and the interface language.

pub(crate) mod api;
pub(crate) mod pages;
