//! Periodic reports: a unit drafts the report of a period (figures filled from the
//! system for its scope, text sections gathered from its units' submitted reports
//! of the same period), edits the text, submits it; the level above sees who has
//! submitted, returns one with reasons or accepts it; the report renders as DOCX
//! and PDF. A five-year review (tổng kết 5 năm) reports on one directive over five
//! calendar years, with the movement's figures year by year.

use domain::report::{self, Period, ReportAct, ReportStatus, Template};
use domain::unit::UnitPlace;
use domain::{Level, Scope, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::reports::ReportRecord;
use store::units::UnitFilter;
use store::StoreError;

use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::report_documents::ReportDocument;
use crate::{Actor, App, AppError};

/// A report to draft.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportInput {
    /// month | quarter | half_year | year | five_year.
    pub template: String,
    /// "2026-11", "2026-Q4", "2026-H2", "2026", "2021-2025".
    pub period: String,
    /// The directive a five-year review reviews (only, and always, for five_year).
    #[serde(default)]
    pub directive_id: Option<i64>,
    /// The reporting unit (default: the caller's).
    #[serde(default)]
    pub unit_code: Option<String>,
}

pub use domain::report::Section;

/// New text of a report.
#[derive(Debug, Clone, Deserialize)]
pub struct SectionsInput {
    /// The sections.
    pub sections: Vec<Section>,
}

/// Why a report goes back.
#[derive(Debug, Clone, Deserialize)]
pub struct ReturnInput {
    /// The reasons.
    pub reason: String,
}

/// One unit below and its report of the period.
#[derive(Debug, Clone, Serialize)]
pub struct ChildReport {
    /// The unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Its report's status, or `missing`.
    pub status: String,
    /// Its report.
    pub report_id: Option<i64>,
}

/// A regular report the caller's unit owes now (the list on its reports page and
/// its to-do list).
#[derive(Debug, Clone, Serialize)]
pub struct OwedReport {
    /// Template.
    pub template: Template,
    /// Period code.
    pub period: String,
    /// Period name ("tháng 11 năm 2026").
    pub label: String,
    /// Due date.
    pub due: chrono::NaiveDate,
    /// Past its due date in Vietnam.
    pub overdue: bool,
    /// missing | draft | returned (a sent report is no longer owed).
    pub status: String,
    /// The draft, when there is one.
    pub report_id: Option<i64>,
}

/// A report as the caller sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// The record.
    #[serde(flatten)]
    pub record: ReportRecord,
    /// The period's name.
    pub period_label: String,
    /// Figures filled from the system.
    pub figures: Value,
    /// Text sections.
    pub sections: Vec<Section>,
    /// The units one level below and their reports of the same period.
    pub children: Vec<ChildReport>,
    /// Units below that have submitted (or whose report was accepted), of all of
    /// them ("118/126").
    pub submitted_share: String,
}

fn period_of(template: &str, code: &str) -> AppResult<(Template, Period)> {
    let t =
        Template::parse(template.trim()).ok_or_else(|| ValidationError::one("template", "report.template_unknown"))?;
    let p = report::period(t, code).ok_or_else(|| ValidationError::one("period", "report.period_invalid"))?;
    Ok((t, p))
}

/// The figures of a scope over a period as JSON (for a five-year review, the
/// movement's figures of each year too, and the plans of the directive reviewed).
async fn figures(app: &App, scope: &Scope, p: &Period, review: Option<&DirectiveReview>) -> AppResult<Value> {
    let st = app.store.movement_stats(scope, report::year_of(p)).await?;
    let iso = domain::clock::iso;
    let w = app.store.work_figures(scope, &iso(p.from), &iso(p.to), &store::clock::today_iso()).await?;
    let recognition: serde_json::Map<String, Value> = st
        .safe_unit
        .iter()
        .map(|(s, f)| (s.as_str().to_string(), json!({"assessed": f.assessed, "recognised": f.recognised})))
        .collect();
    let classification: serde_json::Map<String, Value> =
        st.by_level.iter().map(|(l, n)| (l.clone(), json!(n))).collect();
    let cases: serde_json::Map<String, Value> =
        w.cases.iter().map(|(k, r, t, o)| (k.clone(), json!({"received": r, "on_time": t, "overdue": o}))).collect();
    let mut by_year = Vec::new();
    if review.is_some() {
        use chrono::Datelike;
        for year in p.from.year()..=p.to.year() {
            let y = app.store.movement_stats(scope, i64::from(year)).await?;
            let (assessed, recognised) =
                y.safe_unit.iter().fold((0, 0), |(a, r), (_, f)| (a + f.assessed, r + f.recognised));
            by_year.push(json!({"year": year, "assessed": assessed, "recognised": recognised,
                "models_effective": y.models_effective, "criterion19_met": y.criterion19_met}));
        }
    }
    let directive = review.map(|d| {
        json!({"id": d.id, "number": d.number, "title": d.title,
        "plans_expected": d.plans_expected, "plans_issued": d.plans_issued})
    });
    Ok(json!({
        "period": {"code": p.code, "from": iso(p.from), "to": iso(p.to), "label": p.label},
        "directive": directive,
        "by_year": by_year,
        "recognition": recognition,
        "classification": classification,
        "models": {"effective": st.models_effective, "formal": st.models_formal},
        "key_areas": {"designated": st.designated, "removed": st.removed},
        "criterion19": {"met": st.criterion19_met, "communes": st.communes_in_scope},
        "tasks": {"assigned": w.tasks_assigned, "done": w.tasks_done, "overdue": w.tasks_overdue},
        "plans": {"expected": w.plans_expected, "issued": w.plans_issued},
        "inspections": {"count": w.inspections, "findings": w.findings, "findings_open": w.findings_open},
        "cases": cases,
    }))
}

/// The directive a five-year review reviews, as its figures name it.
#[derive(Debug, Clone)]
struct DirectiveReview {
    id: i64,
    number: String,
    title: String,
    plans_expected: i64,
    plans_issued: i64,
}

impl App {
    /// The directive a report of `template` reviews: required for a five-year
    /// review (visible to the caller, else 404), refused for any other template.
    async fn reviewed_directive(
        &self,
        actor: &Actor,
        template: Template,
        id: Option<i64>,
    ) -> AppResult<Option<DirectiveReview>> {
        match (template.reviews_directive(), id) {
            (false, None) => Ok(None),
            (false, Some(_)) => Err(ValidationError::one("directive_id", "report.directive_not_allowed").into()),
            (true, None) => Err(ValidationError::one("directive_id", "report.directive_required").into()),
            (true, Some(id)) => {
                let v = self.directive(actor, id).await?;
                let (expected, issued) = v.plans.as_ref().map(|p| (p.tally.expected, p.tally.issued)).unwrap_or((0, 0));
                Ok(Some(DirectiveReview {
                    id,
                    number: v.directive.number,
                    title: v.directive.title,
                    plans_expected: expected,
                    plans_issued: issued,
                }))
            }
        }
    }

    /// The units one level below a unit (provinces of the nation, communes of a province).
    async fn children_of(&self, unit: &UnitPlace) -> AppResult<Vec<(String, String)>> {
        let level = match unit.level {
            Level::Nation => Level::Province,
            Level::Province => Level::Commune,
            _ => return Ok(Vec::new()),
        };
        let f = UnitFilter { level: Some(level), parent: Some(unit.code.clone()), limit: 1000, ..Default::default() };
        let (units, _) = self.store.list_units(&f).await?;
        Ok(units.into_iter().map(|u| (u.code, u.name)).collect())
    }

    /// Drafts the caller's unit's report of a period; returns its id and figures.
    pub async fn create_report(&self, actor: &Actor, input: &ReportInput) -> AppResult<(i64, Value)> {
        actor.require_police_write()?;
        let (template, period) = period_of(&input.template, &input.period)?;
        let own = self.actor_place(actor).await?;
        let unit = match input.unit_code.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(code) if code != own.code => {
                self.unit_in_scope(actor, code).await?;
                return Err(AppError::Forbidden("report.not_own_unit"));
            }
            _ => own,
        };
        if !report::begun(&period, store::clock::today()) {
            return Err(ValidationError::one("period", "report.period_not_begun").into());
        }
        let review = self.reviewed_directive(actor, template, input.directive_id).await?;
        let directive_id = review.as_ref().map(|d| d.id);
        let figures = figures(self, &Scope::of_unit(&unit), &period, review.as_ref()).await?;
        let children = self.children_of(&unit).await?;
        let codes: Vec<String> = children.iter().map(|c| c.0.clone()).collect();
        let below = self.store.reports_of(&codes, template.as_str(), &period.code, directive_id).await?;
        let sections = gathered(template, &below, &children)?;
        let sections_json = serde_json::to_string(&sections).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.store.begin_write().await?;
        let id = match tx
            .insert_report(
                &unit,
                template.as_str(),
                &period.code,
                directive_id,
                &figures.to_string(),
                &sections_json,
                actor.user_id,
            )
            .await
        {
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("report.exists")),
            other => other?,
        };
        let after = json!({"unit_code": unit.code, "template": template.as_str(), "period": period.code,
            "directive_id": directive_id});
        AuditEntry::new(Some(actor.user_id), "report.create", "report", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok((id, figures))
    }

    /// One report in the caller's scope, with its units' reports of the period.
    pub async fn report(&self, actor: &Actor, id: i64) -> AppResult<ReportView> {
        let r = self.store.report(&actor.scope, id).await?;
        let (template, period) = period_of(r.template.as_str(), &r.period)?;
        let unit = self.kept_unit(&r.unit_code).await?.place();
        let children = self.children_of(&unit).await?;
        let codes: Vec<String> = children.iter().map(|c| c.0.clone()).collect();
        let below = self.store.reports_of(&codes, template.as_str(), &period.code, r.directive_id).await?;
        let lines: Vec<ChildReport> = children
            .into_iter()
            .map(|(code, name)| {
                let found = below.iter().find(|b| b.unit_code == code);
                ChildReport {
                    status: found.map(|b| b.status.as_str()).unwrap_or("missing").to_string(),
                    report_id: found.map(|b| b.id),
                    unit_code: code,
                    unit_name: name,
                }
            })
            .collect();
        let sent = |s: &str| ReportStatus::parse(s).is_some_and(ReportStatus::sent);
        let submitted = lines.iter().filter(|l| sent(&l.status)).count();
        let (figures, sections) = (r.figures.clone(), r.sections.clone());
        Ok(ReportView {
            submitted_share: format!("{submitted}/{}", lines.len()),
            period_label: period.label,
            figures,
            sections,
            children: lines,
            record: r,
        })
    }

    /// Moves the caller's own unit's report (edit or submit), or a report below it
    /// (return or accept), as the way up allows.
    async fn act_on_report(
        &self,
        actor: &Actor,
        id: i64,
        act: ReportAct,
        sections: Option<&str>,
        reason: Option<&str>,
    ) -> AppResult<()> {
        actor.require_police_write()?;
        let r = self.store.report(&actor.scope, id).await?;
        let own = actor.unit_code.as_deref().unwrap_or_default();
        let mine = r.unit_code == own;
        let from_above = matches!(act, ReportAct::Return | ReportAct::Accept);
        if from_above == mine {
            // One's own report is edited and submitted, never returned or accepted;
            // another's only returned or accepted.
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let status = r.status;
        let to = report::next(status, act).map_err(AppError::Conflict)?;
        let mut tx = self.store.begin_write().await?;
        match tx.set_report(id, status.as_str(), to.as_str(), sections, reason).await {
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("report.already_submitted")),
            other => other?,
        }
        let action = match act {
            ReportAct::Edit => "report.edit",
            ReportAct::Submit => "report.submit",
            ReportAct::Return => "report.return",
            ReportAct::Accept => "report.accept",
        };
        let after = json!({"status": to.as_str(), "reason": reason});
        AuditEntry::new(Some(actor.user_id), action, "report", id)
            .before(&json!({"status": status.as_str()}))
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the text of the caller's unit's report (draft or returned).
    pub async fn edit_report(&self, actor: &Actor, id: i64, input: &SectionsInput) -> AppResult<()> {
        let mut e = ValidationError::default();
        for (i, s) in input.sections.iter().enumerate() {
            if s.heading.trim().is_empty()
                || s.heading.chars().count() > 500
                || !domain::text::is_clean_line(&s.heading)
            {
                e.push(&format!("sections[{i}].heading"), "report.heading_invalid");
            }
            if s.text.chars().count() > 50_000 {
                e.push(&format!("sections[{i}].text"), "report.text_too_long");
            } else if !domain::text::is_clean_text(&s.text) {
                e.push(&format!("sections[{i}].text"), "text.control_characters");
            }
        }
        if input.sections.is_empty() || input.sections.len() > 30 {
            e.push("sections", "report.sections_count");
        }
        e.into_result()?;
        let json = serde_json::to_string(&input.sections).map_err(|e| AppError::Internal(e.to_string()))?;
        self.act_on_report(actor, id, ReportAct::Edit, Some(&json), None).await
    }

    /// Sends the caller's unit's report to the level above.
    pub async fn submit_report(&self, actor: &Actor, id: i64) -> AppResult<()> {
        self.act_on_report(actor, id, ReportAct::Submit, None, None).await
    }

    /// Sends a submitted report of a unit below back with reasons.
    pub async fn return_report(&self, actor: &Actor, id: i64, input: &ReturnInput) -> AppResult<()> {
        if input.reason.trim().is_empty() {
            return Err(ValidationError::one("reason", "report.reason_empty").into());
        }
        if input.reason.chars().count() > 2_000 || !domain::text::is_clean_text(&input.reason) {
            return Err(ValidationError::one("reason", "report.reason_invalid").into());
        }
        self.act_on_report(actor, id, ReportAct::Return, None, Some(input.reason.trim())).await
    }

    /// Accepts a submitted report of a unit below (final: no more returns or edits).
    pub async fn accept_report(&self, actor: &Actor, id: i64) -> AppResult<()> {
        self.act_on_report(actor, id, ReportAct::Accept, None, None).await
    }

    /// The regular reports the caller's unit owes today (a province or a commune,
    /// for a police writer): periods ending within five days or ended and not
    /// more than a month past due, without a sent report; earliest due first.
    pub async fn reports_owed(&self, actor: &Actor) -> AppResult<Vec<OwedReport>> {
        let Some(unit) = actor.unit_code.as_deref().filter(|_| actor.is_police_writer()) else {
            return Ok(Vec::new());
        };
        if !matches!(self.kept_unit(unit).await?.place().level, Level::Province | Level::Commune) {
            return Ok(Vec::new());
        }
        let today = store::clock::today();
        let owed = report::owed(today);
        let wanted: Vec<(Template, String)> = owed.iter().map(|(t, p, _)| (*t, p.code.clone())).collect();
        let made = self.store.reported_periods(unit, &wanted).await?;
        let mut out = Vec::new();
        for (template, period, due) in owed {
            let found = made.iter().find(|m| m.template == template && m.period == period.code);
            if found.is_some_and(|m| m.status.sent()) {
                continue;
            }
            out.push(OwedReport {
                template,
                label: period.label,
                period: period.code,
                due,
                overdue: today > due,
                status: found.map(|m| m.status.as_str()).unwrap_or("missing").to_string(),
                report_id: found.map(|m| m.id),
            });
        }
        Ok(out)
    }

    /// The caller's unit's reports, newest first.
    pub async fn own_reports(&self, actor: &Actor) -> AppResult<Vec<ReportRecord>> {
        match actor.unit_code.as_deref() {
            Some(u) => Ok(self.store.unit_reports(u).await?),
            None => Ok(Vec::new()),
        }
    }

    /// The report as a document: DOCX (`docx = true`) or PDF.
    pub async fn report_document(&self, actor: &Actor, id: i64, docx: bool) -> AppResult<Vec<u8>> {
        let v = self.report(actor, id).await?;
        let unit = self.kept_unit(&v.record.unit_code).await?;
        let province = match &unit.province_code {
            Some(p) if *p != unit.code => Some(self.kept_unit(p).await?.name.clone()),
            _ => None,
        };
        let d = document(&v, &unit.place(), &unit.name, province.as_deref());
        let bytes =
            if docx { crate::report_documents::report_docx(&d) } else { crate::report_documents::report_pdf(&d) };
        bytes.map_err(AppError::Internal)
    }
}

/// The template's sections, each holding the texts of the units below that
/// submitted ("— Phường Ba Đình: …"), for the compiling unit's editor.
fn gathered(template: Template, below: &[ReportRecord], names: &[(String, String)]) -> AppResult<Vec<Section>> {
    let mut out: Vec<Section> =
        template.sections().iter().map(|h| Section { heading: (*h).into(), text: String::new() }).collect();
    for r in below.iter().filter(|r| r.status.sent()) {
        let theirs = &r.sections;
        let name = names.iter().find(|n| n.0 == r.unit_code).map(|n| n.1.as_str()).unwrap_or(&r.unit_code);
        // By heading: a unit may have renamed or reordered its sections; what fits
        // no heading of ours goes under the last one.
        for their in theirs.iter() {
            let at = out.iter().position(|m| m.heading == their.heading).unwrap_or(out.len() - 1);
            let mine = &mut out[at];
            if !their.text.trim().is_empty() {
                mine.text.push_str(&format!("— {name}: {}\n", their.text.trim()));
            }
        }
    }
    Ok(out)
}

/// The figures as document lines.
fn figure_lines(f: &Value) -> Vec<(String, String)> {
    // A figure the stored JSON lacks shows as a dash, never as a made-up 0.
    let n = |v: &Value| v.as_i64().map(domain::text::format_number).unwrap_or_else(|| "—".into());
    let mut out = Vec::new();
    if let Some(m) = f["recognition"].as_object() {
        for (subject, r) in m {
            // A name to show; an unknown code shows as itself.
            let label = domain::criteria::Subject::parse(subject)
                .map(crate::statistics::subject_label)
                .unwrap_or(subject.as_str());
            out.push((
                format!("Công nhận “An toàn về ANTT” — {label}"),
                format!("{}/{}", n(&r["recognised"]), n(&r["assessed"])),
            ));
        }
    }
    if let Some(m) = f["classification"].as_object() {
        for (level, c) in m {
            out.push((format!("Phân loại phong trào: {level}"), n(c)));
        }
    }
    out.push((
        "Mô hình được đánh giá thực chất, hiệu quả / hình thức".into(),
        format!("{} / {}", n(&f["models"]["effective"]), n(&f["models"]["formal"])),
    ));
    out.push((
        "Địa bàn trọng điểm đưa vào / đưa ra".into(),
        format!("{} / {}", n(&f["key_areas"]["designated"]), n(&f["key_areas"]["removed"])),
    ));
    out.push((
        "Xã đạt tiêu chí 19 / tổng số xã".into(),
        format!("{}/{}", n(&f["criterion19"]["met"]), n(&f["criterion19"]["communes"])),
    ));
    out.push((
        "Nhiệm vụ: hoàn thành / được giao; quá hạn".into(),
        format!("{}/{}; {}", n(&f["tasks"]["done"]), n(&f["tasks"]["assigned"]), n(&f["tasks"]["overdue"])),
    ));
    out.push((
        "Kế hoạch triển khai đã ban hành / phải ban hành".into(),
        format!("{}/{}", n(&f["plans"]["issued"]), n(&f["plans"]["expected"])),
    ));
    out.push((
        "Cuộc kiểm tra; kiến nghị chưa khắc phục".into(),
        format!("{}; {}", n(&f["inspections"]["count"]), n(&f["inspections"]["findings_open"])),
    ));
    if let Some(d) = f["directive"].as_object() {
        out.push((
            format!(
                "Kế hoạch thực hiện {} đã ban hành / phải ban hành",
                d.get("number").and_then(Value::as_str).unwrap_or("")
            ),
            format!("{}/{}", n(&f["directive"]["plans_issued"]), n(&f["directive"]["plans_expected"])),
        ));
    }
    for y in f["by_year"].as_array().into_iter().flatten() {
        out.push((
            format!(
                "Năm {}: công nhận “An toàn về ANTT”; mô hình hiệu quả; xã đạt tiêu chí 19",
                y["year"].as_i64().map(|y| y.to_string()).unwrap_or_else(|| "—".into())
            ),
            format!(
                "{}/{}; {}; {}",
                n(&y["recognised"]),
                n(&y["assessed"]),
                n(&y["models_effective"]),
                n(&y["criterion19_met"])
            ),
        ));
    }
    if let Some(m) = f["cases"].as_object() {
        for (kind, c) in m {
            let label = case_kind_label(kind);
            out.push((
                format!("{label}: tiếp nhận; đúng hạn; quá hạn"),
                format!("{}; {}; {}", n(&c["received"]), n(&c["on_time"]), n(&c["overdue"])),
            ));
        }
    }
    out
}

/// Vietnamese name of a case kind (an unknown code shows as itself).
fn case_kind_label(kind: &str) -> &str {
    match kind {
        "feedback" => "Phản ánh",
        "petition" => "Kiến nghị",
        "complaint" => "Khiếu nại",
        "denunciation" => "Tố cáo",
        "crime_report" => "Tố giác, tin báo về tội phạm",
        other => other,
    }
}

/// The document of a report.
fn document(v: &ReportView, unit: &UnitPlace, name: &str, province: Option<&str>) -> ReportDocument {
    let short = |n: &str| n.trim_start_matches("Thành phố ").trim_start_matches("Tỉnh ").to_string();
    let (issuer, signer, place, up) = match unit.level {
        Level::Nation => (
            vec!["BỘ CÔNG AN".into(), "CỤC XÂY DỰNG PHONG TRÀO".into(), "BẢO VỆ AN NINH TỔ QUỐC".into()],
            "CỤC TRƯỞNG",
            "Hà Nội".to_string(),
            "Lãnh đạo Bộ Công an (để báo cáo);".to_string(),
        ),
        Level::Province => (
            vec![
                format!("CÔNG AN {}", name.to_uppercase()),
                "PHÒNG XÂY DỰNG PHONG TRÀO".into(),
                "BẢO VỆ AN NINH TỔ QUỐC".into(),
            ],
            "TRƯỞNG PHÒNG",
            short(name),
            "Cục Xây dựng phong trào bảo vệ ANTQ;".to_string(),
        ),
        _ => (
            vec![
                format!("CÔNG AN {}", province.unwrap_or_default().to_uppercase()),
                format!("CÔNG AN {}", name.to_uppercase()),
            ],
            "TRƯỞNG CÔNG AN",
            short(province.unwrap_or(name)),
            "Phòng Xây dựng phong trào bảo vệ ANTQ;".to_string(),
        ),
    };
    let today = store::clock::today();
    ReportDocument {
        issuer,
        number: "Số:      /BC".into(),
        place_date: format!(
            "{place}, ngày {} tháng {:02} năm {}",
            today.format("%d"),
            chrono::Datelike::month(&today),
            chrono::Datelike::year(&today)
        ),
        summary: match v.figures["directive"].as_object() {
            Some(d) => format!(
                "Tổng kết 5 năm thực hiện {} “{}” {}",
                d.get("number").and_then(Value::as_str).unwrap_or_default(),
                d.get("title").and_then(Value::as_str).unwrap_or_default(),
                v.period_label
            ),
            None => format!("Kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc {}", v.period_label),
        },
        figures: figure_lines(&v.figures),
        sections: v.sections.iter().map(|s| (s.heading.clone(), s.text.clone())).collect(),
        recipients: vec![up, "Lưu: VT.".into()],
        signer: signer.into(),
    }
}
