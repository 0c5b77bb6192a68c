//! Pure types and rules of phongtrao. Nothing in this crate does I/O: no database,
//! no reading of the clock (`clock` only converts instants), no network. Storage,
//! HTTP and rendering live in the crates above it.

pub mod assessment;
pub mod audit;
pub mod awards;
pub mod calendar;
pub mod campaign;
pub mod case;
pub mod clock;
mod codes;
pub mod criteria;
pub mod dan_van_kheo;
pub mod deadline;
pub mod directive;
pub mod error;
pub mod files;
pub mod forces;
pub mod geo;
pub mod import_job;
pub mod inspection;
pub mod lunar;
pub mod map_indicator;
pub mod model;
pub mod organisation;
pub mod past_figures;
pub mod proposal;
pub mod recognition;
pub mod report;
pub mod role;
pub mod scope;
pub mod task;
pub mod text;
pub mod todo;
pub mod unit;

pub use error::{FieldError, ValidationError};
pub use organisation::{NewOrganisation, OrgKind};
pub use role::Role;
pub use scope::Scope;
pub use unit::{AreaKind, Level, UnitCode};
