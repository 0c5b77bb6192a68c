//! Events of the movement: each residential area's Ngày hội toàn dân bảo vệ ANTQ
//! (around 19/8; the ministry and provinces choose pilot sites), conferences and
//! forums. A unit's police plan one, then report its figures once it has been held;
//! the opinions raised become citizens' cases that follow the normal routing and
//! deadlines, and the event shows what became of each. The dashboard's coverage:
//! residential areas that held one, of all.

use domain::ValidationError;
use serde::Deserialize;
use store::audit::AuditEntry;
use store::events::{EventFigures, EventOpinion, EventRecord, NewEvent};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/events`.
#[derive(Debug, Clone, Deserialize)]
pub struct EventInput {
    /// ngay_hoi | conference | forum.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The unit holding it (a residential area for a Ngày hội).
    pub unit_code: String,
    /// The day (YYYY-MM-DD).
    pub date: String,
    /// Place.
    #[serde(default)]
    pub place: Option<String>,
    /// The form it takes (văn nghệ, thể thao, ký cam kết…).
    #[serde(default)]
    pub form: Option<String>,
    /// Its guests (leaders invited, organisations).
    #[serde(default)]
    pub guests: Option<String>,
    /// A pilot site (chosen by the ministry or a province).
    #[serde(default)]
    pub pilot: bool,
}

/// An opinion raised at the event.
#[derive(Debug, Clone, Deserialize)]
pub struct OpinionInput {
    /// What was said.
    pub text: String,
    /// petition | feedback.
    pub kind: String,
}

/// Body of `POST /api/v1/events/{id}/results`.
#[derive(Debug, Clone, Deserialize)]
pub struct ResultsInput {
    /// Participants.
    pub participants: i64,
    /// Households taking part.
    #[serde(default)]
    pub households: Option<i64>,
    /// Commitments signed.
    #[serde(default)]
    pub commitments: Option<i64>,
    /// Models and persons honoured.
    #[serde(default)]
    pub honoured: Option<i64>,
    /// Funds raised (đồng).
    #[serde(default)]
    pub funds: Option<i64>,
    /// Opinions raised.
    #[serde(default)]
    pub opinions: Vec<OpinionInput>,
}

/// Most opinions in one report.
pub const MAX_OPINIONS: usize = 50;

impl App {
    /// Plans an event at a unit in scope.
    pub async fn create_event(&self, actor: &Actor, input: &EventInput) -> AppResult<EventRecord> {
        actor.require_police_write()?;
        if input.pilot && !matches!(actor.role, domain::Role::Province | domain::Role::Ministry | domain::Role::Admin) {
            return Err(AppError::Forbidden("event.pilot_not_allowed"));
        }
        let mut err = ValidationError::default();
        let kind = input.kind.trim();
        if !matches!(kind, "ngay_hoi" | "conference" | "forum") {
            err.push("kind", "event.kind_unknown");
        }
        let title = input.title.trim();
        if !(3..=200).contains(&title.chars().count()) {
            err.push("title", "event.title_invalid");
        }
        let day = domain::unit::parse_day(&input.date);
        if day.is_none() {
            err.push("date", "event.date_invalid");
        }
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string);
        let (place, form, guests) = (text(&input.place), text(&input.form), text(&input.guests));
        for (field, v, max) in [("place", &place, 300), ("form", &form, 300), ("guests", &guests, 1000)] {
            if v.as_deref().is_some_and(|p| p.chars().count() > max) {
                err.push(field, "event.place_too_long");
            }
        }
        let unit = match self.store.unit(input.unit_code.trim()).await {
            Ok(u) if u.valid_to.is_none() && actor.scope.contains(&u.place()) => Some(u),
            Ok(_) | Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        if unit.is_none() {
            err.push("unit_code", "event.unit_unknown");
        }
        err.into_result()?;
        let (Some(unit), Some(day)) = (unit, day) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let new = NewEvent {
            year: i64::from(chrono::Datelike::year(&day)),
            kind: kind.to_string(),
            title: title.to_string(),
            place: (unit.code.clone(), unit.province_code.clone().unwrap_or_default(), unit.commune_code.clone()),
            held_on: day.to_string(),
            place_text: place,
            form,
            guests,
            pilot: input.pilot,
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_event(&new, actor.user_id).await?;
        let after = serde_json::json!({"kind": kind, "unit": unit.code, "date": day, "pilot": input.pilot});
        AuditEntry::new(Some(actor.user_id), "event.create", "event", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.event(&actor.scope, id).await?)
    }

    /// Reports an event's figures once it has been held; its opinions become cases
    /// (all checked first). Returns the cases' receipts.
    pub async fn report_event(&self, actor: &Actor, id: i64, input: &ResultsInput) -> AppResult<Vec<String>> {
        actor.require_police_write()?;
        let ev = self.store.event(&actor.scope, id).await?;
        let mut err = ValidationError::default();
        if ev.held_on > store::clock::today_iso() {
            err.push("date", "event.not_yet_held");
        }
        for (field, v) in [
            ("participants", Some(input.participants)),
            ("households", input.households),
            ("commitments", input.commitments),
            ("honoured", input.honoured),
            ("funds", input.funds),
        ] {
            if v.is_some_and(|n| n < 0) {
                err.push(field, "event.count_negative");
            }
        }
        if input.opinions.len() > MAX_OPINIONS {
            err.push("opinions", "event.too_many_opinions");
        }
        err.into_result()?;
        if ev.reported_at.is_some() {
            return Err(AppError::Conflict("event.already_reported"));
        }
        let opinions: Vec<(String, String)> =
            input.opinions.iter().map(|o| (o.text.clone(), o.kind.trim().to_string())).collect();
        let filed = self.file_opinions(actor, &ev.unit_code, &opinions).await?;
        let figures = EventFigures {
            participants: input.participants,
            households: input.households,
            commitments: input.commitments,
            honoured: input.honoured,
            funds: input.funds,
        };
        let links: Vec<(i64, String)> =
            filed.iter().zip(&opinions).map(|((case, _), (_, kind))| (*case, kind.clone())).collect();
        let mut tx = self.store.begin_write().await?;
        if tx.report_event(id, &figures).await? == 0 {
            return Err(AppError::Conflict("event.already_reported"));
        }
        tx.link_opinions(id, &links).await?;
        let receipts: Vec<String> = filed.into_iter().map(|(_, r)| r.receipt_code).collect();
        let after =
            serde_json::json!({"participants": input.participants, "households": input.households, "cases": receipts});
        AuditEntry::new(Some(actor.user_id), "event.report", "event", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(receipts)
    }

    /// One event in scope with what became of its opinions.
    pub async fn event(&self, actor: &Actor, id: i64) -> AppResult<(EventRecord, Vec<EventOpinion>)> {
        let ev = self.store.event(&actor.scope, id).await?;
        let opinions = self.store.event_opinions(id).await?;
        Ok((ev, opinions))
    }

    /// Events of a year in scope.
    pub async fn events(
        &self,
        actor: &Actor,
        year: i64,
        kind: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<EventRecord>, i64)> {
        Ok(self.store.list_events(&actor.scope, year, kind, limit, offset).await?)
    }

    /// Ngày hội coverage one level down (the nation's by province, a province's by
    /// commune): (code, name, areas, held).
    pub async fn ngay_hoi_by_place(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
    ) -> AppResult<Vec<(String, String, i64, i64)>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let rows = self
            .memo(format!("ngay_hoi_by_place|{scope:?}|{year}"), || async {
                Ok(self.store.ngay_hoi_by_place(&scope, year).await?)
            })
            .await?;
        Ok((*rows).clone())
    }

    /// Ngày hội coverage of the actor's scope (or a unit inside it): (residential
    /// areas, those that held one).
    pub async fn ngay_hoi_coverage(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<(i64, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let n = self
            .memo(format!("ngay_hoi|{scope:?}|{year}"), || async {
                Ok(self.store.ngay_hoi_coverage(&scope, year).await?)
            })
            .await?;
        Ok(*n)
    }
}
