//! The award catalogue: the version in force for a year (`GET /api/v1/award-types`,
//! `/award-types`) and the versions the ministry publishes (`PUT
//! /api/v1/award-types`, the edit form on `/award-types`).

pub(crate) mod api;
pub(crate) mod pages;
