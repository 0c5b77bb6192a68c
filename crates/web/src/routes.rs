//! Every URL of the product, in one place: the JSON API under `/api/v1`, the HTML
//! pages, Open311, and the three body limits they live under. Handlers live in the
//! feature folders (`cases/api.rs`, `cases/pages.rs`, …); this file only wires them.

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::shared::state::{AppState, PUBLIC_UPLOAD_BYTES};
use crate::shared::{metrics_layer, statics};
use crate::{
    accounts, assessments, audit, award_catalogue, awards, calendar, campaigns, cases, criteria, dan_van_kheo,
    dashboard, directives, events, forces, funding, home, honour_roll, inspections, key_areas, models, offline,
    open311, openapi, organisations, past_figures, pickers, proposals, province_criteria, registrations, reports,
    tasks, units, users, verify, working_year_files,
};

/// All routes with their body limits (the middleware is added by [`crate::router`]).
pub fn all(max_body_bytes: usize, max_upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .merge(api())
        .merge(pages())
        .merge(open311())
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .merge(uploads().layer(DefaultBodyLimit::max(max_upload_bytes)))
        .merge(public_uploads().layer(DefaultBodyLimit::max(PUBLIC_UPLOAD_BYTES)))
        .route("/healthz", get(metrics_layer::healthz))
        .route("/static/{file}", get(statics::serve_static))
        .route("/manifest.webmanifest", get(offline::pages::manifest))
        .route("/sw.js", get(offline::pages::service_worker))
        .route("/offline", get(offline::pages::offline))
        .route("/verify/{code}", get(verify::pages::verify))
}

/// `/metrics`, served only on its own listener (`--metrics-listen`).
pub fn metrics() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics_layer::metrics))
}

/// The JSON API (default body limit).
fn api() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::openapi))
        // accounts
        .route("/api/v1/auth/login", post(accounts::api::login))
        .route("/api/v1/auth/logout", post(accounts::api::logout))
        .route("/api/v1/auth/logout-everywhere", post(accounts::api::logout_everywhere))
        .route("/api/v1/auth/password", post(accounts::api::change_password))
        .route("/api/v1/auth/totp/enrol", post(accounts::api::totp_enrol))
        .route("/api/v1/auth/totp/confirm", post(accounts::api::totp_confirm))
        .route("/api/v1/me", get(accounts::api::me))
        // home
        .route("/api/v1/dashboard", get(home::api::dashboard))
        .route("/api/v1/me/todo", get(home::api::todo))
        // working year: directives and plans, key tasks and programmes, proposals
        .route("/api/v1/directives", get(directives::api::list).post(directives::api::create))
        .route("/api/v1/directives/{id}", get(directives::api::get_one))
        .route("/api/v1/directives/{id}/plans", post(directives::api::record_plan))
        .route(
            "/api/v1/directives/{id}/proposals",
            get(proposals::api::list_on_directive).post(proposals::api::send_on_directive),
        )
        .route("/api/v1/tasks", post(tasks::api::create))
        .route("/api/v1/tasks/{id}", get(tasks::api::get_one))
        .route("/api/v1/tasks/{id}/progress", post(tasks::api::progress))
        .route("/api/v1/tasks/{id}/proposals", get(proposals::api::list_on_task).post(proposals::api::send_on_task))
        .route("/api/v1/programme", get(tasks::api::programme))
        .route("/api/v1/programme.xlsx", get(tasks::api::programme_xlsx))
        .route("/api/v1/stats/working-year", get(tasks::api::year_stats))
        .route("/api/v1/files/{id}", get(working_year_files::api::download))
        .route("/api/v1/directives/{id}/plans.xlsx", get(directives::api::plans_xlsx))
        .route("/api/v1/inspections.xlsx", get(inspections::api::list_xlsx))
        .route("/api/v1/directives.xlsx", get(directives::api::list_xlsx))
        .route("/api/v1/reports.xlsx", get(reports::api::list_xlsx))
        .route("/api/v1/proposals.xlsx", get(proposals::api::waiting_xlsx))
        .route("/api/v1/proposals/{id}", get(proposals::api::get_one))
        .route("/api/v1/proposals/{id}/answer", post(proposals::api::answer))
        .route("/api/v1/inspections", get(inspections::api::list).post(inspections::api::create))
        .route("/api/v1/inspections/{id}", get(inspections::api::get_one))
        .route("/api/v1/inspections/{id}/findings", post(inspections::api::finding))
        .route("/api/v1/reports", post(reports::api::create))
        .route("/api/v1/reports/{id}", get(reports::api::get_one).put(reports::api::edit))
        .route("/api/v1/reports/{id}/submit", post(reports::api::submit))
        .route("/api/v1/reports/{id}/return", post(reports::api::give_back))
        .route("/api/v1/reports/{id}/accept", post(reports::api::accept))
        .route("/api/v1/reports/{id}/document.docx", get(reports::api::docx))
        .route("/api/v1/reports/{id}/document.pdf", get(reports::api::pdf))
        // units
        .route("/api/v1/units", get(units::api::list).post(units::api::create_area))
        .route("/api/v1/units/{code}", get(units::api::get_one))
        .route("/api/v1/units/{code}/retire", post(units::api::retire))
        .route("/api/v1/past-figures", get(past_figures::api::list))
        // emulation and awards
        .route("/api/v1/award-types", get(award_catalogue::api::in_force).put(award_catalogue::api::publish))
        .route("/api/v1/nominations", get(awards::api::list).post(awards::api::nominate))
        .route("/api/v1/nominations/register.xlsx", get(awards::api::register_xlsx))
        .route("/api/v1/nominations/{id}", get(awards::api::get_one))
        .route("/api/v1/nominations/{id}/transition", post(awards::api::transition))
        // events: Ngày hội, conferences, forums
        .route("/api/v1/events", get(events::api::list).post(events::api::create))
        .route("/api/v1/events/{id}", get(events::api::get_one))
        .route("/api/v1/events/{id}/results", post(events::api::results))
        .route("/api/v1/stats/events", get(events::api::stats))
        // grassroots forces: teams, members, ratings, training, funding
        .route("/api/v1/teams", get(forces::api::list).post(forces::api::create))
        .route("/api/v1/teams/{id}", get(forces::api::get_one))
        .route("/api/v1/teams/{id}/members", post(forces::api::add_member))
        .route("/api/v1/teams/{id}/members/{member}/reveal-phone", post(forces::api::reveal_phone))
        .route("/api/v1/teams/{id}/members/{member}/leave", post(forces::api::member_leaves))
        .route("/api/v1/teams/{id}/equipment", post(forces::api::equipment))
        .route("/api/v1/teams/{id}/dissolve", post(forces::api::dissolve))
        .route("/api/v1/team-ratings", post(forces::api::rate))
        .route("/api/v1/trainings", get(forces::api::trainings).post(forces::api::create_training))
        .route("/api/v1/stats/forces", get(forces::api::stats))
        .route("/api/v1/funding", get(funding::api::list).post(funding::api::add))
        .route("/api/v1/stats/funding", get(funding::api::stats))
        // "Dân vận khéo" as an emulation
        .route("/api/v1/dan-van-kheo", get(dan_van_kheo::api::list).post(dan_van_kheo::api::register))
        .route("/api/v1/dan-van-kheo/{id}/decision", post(dan_van_kheo::api::decide))
        .route("/api/v1/stats/dan-van-kheo", get(dan_van_kheo::api::stats))
        .route("/api/v1/units/{code}/rename", post(units::api::rename))
        .route("/api/v1/units/{code}/succession", get(units::api::succession))
        // organisations
        .route("/api/v1/organisations", get(organisations::api::list).post(organisations::api::create))
        .route("/api/v1/organisations/export", get(organisations::api::export))
        .route("/api/v1/organisations/{id}", get(organisations::api::get_one).put(organisations::api::update))
        .route("/api/v1/organisations/{id}/exemption", put(organisations::api::set_exemption))
        .route("/api/v1/organisations/{id}/ministry-follower", put(organisations::api::set_follower))
        .route("/api/v1/imports/{id}", get(organisations::api::import_job))
        // users and audit
        .route("/api/v1/users", get(users::api::list).post(users::api::create))
        .route("/api/v1/audit", get(audit::api::audit))
        // criteria
        .route("/api/v1/criteria-sets", get(criteria::api::criteria_sets).post(criteria::api::add_criteria_set))
        .route("/api/v1/province-criteria", get(province_criteria::api::list).post(province_criteria::api::add))
        // assessments
        .route("/api/v1/assessments", get(assessments::api::list_assessments).post(assessments::api::create_assessment))
        .route(
            "/api/v1/assessments/{id}",
            get(assessments::api::get_assessment).put(assessments::api::update_assessment),
        )
        .route("/api/v1/assessments/{id}/transition", post(assessments::api::transition))
        .route("/api/v1/assessments/{id}/certificate.pdf", get(assessments::api::certificate))
        .route("/api/v1/assessments/{id}/sheet.xlsx", get(assessments::api::score_sheet))
        .route("/api/v1/assessments/{id}/attachments/{att}", get(assessments::api::get_evidence))
        .route("/api/v1/assessments/export.xlsx", get(assessments::api::export_assessments))
        // models
        .route("/api/v1/models/export.xlsx", get(models::api::export_models))
        .route("/api/v1/model-types", get(models::api::model_types).post(models::api::put_model_type))
        .route("/api/v1/models", get(models::api::list_models).post(models::api::create_model))
        .route("/api/v1/models/{id}", get(models::api::get_model).put(models::api::update_model))
        .route("/api/v1/models/{id}/evaluations", get(models::api::model_evaluations).post(models::api::evaluate_model))
        // key areas and criterion 19
        .route("/api/v1/key-areas", get(key_areas::api::list_key_areas).post(key_areas::api::key_area))
        .route("/api/v1/key-areas/export.xlsx", get(key_areas::api::export_key_areas))
        .route("/api/v1/criterion19", get(key_areas::api::list_criterion19).put(key_areas::api::criterion19))
        .route("/api/v1/criterion19/export.xlsx", get(key_areas::api::export_criterion19))
        // campaigns
        .route("/api/v1/campaigns/{year}", get(campaigns::api::get_campaign).put(campaigns::api::put_campaign))
        // dashboard figures
        .route("/api/v1/stats/movement", get(dashboard::api::stats))
        // registration for the year (đăng ký phấn đấu)
        .route("/api/v1/registrations", get(registrations::api::list).post(registrations::api::register))
        .route("/api/v1/registrations/progress", get(registrations::api::progress))
        .route("/api/v1/stats/movement.xlsx", get(dashboard::api::stats_xlsx))
        .route("/api/v1/reports/province-summary.pdf", get(dashboard::api::province_summary))
        // cases: citizens
        .route("/api/v1/public/cases/lookup", post(cases::public_api::lookup))
        .route("/api/v1/public/cases/messages", post(cases::public_api::message))
        .route("/api/v1/public/cases/reopen", post(cases::public_api::reopen))
        .route("/api/v1/public/cases/rating", post(cases::public_api::rate))
        .route("/api/v1/public/stats/cases", get(cases::public_api::public_stats))
        .route("/api/v1/public/honour-roll", get(honour_roll::api::roll))
        // cases: officers
        .route("/api/v1/cases", get(cases::api::list).post(cases::api::file_for_citizen))
        .route("/api/v1/cases/export.xlsx", get(cases::api::export))
        .route("/api/v1/case-routes", get(cases::api::routes).put(cases::api::set_route))
        .route("/api/v1/cases/{id}", get(cases::api::get_one))
        .route("/api/v1/cases/{id}/reveal-contact", post(cases::api::reveal))
        .route("/api/v1/cases/{id}/replies", post(cases::api::reply))
        .route("/api/v1/cases/{id}/actions", post(cases::api::act))
        .route("/api/v1/cases/{id}/attachments/{att}", get(cases::api::attachment))
        // calendar
        .route("/api/v1/calendar/holidays", get(calendar::api::holidays))
        .route("/api/v1/calendar/add-working-days", get(calendar::api::add_working_days))
        .route("/api/v1/calendar/deadline", get(calendar::api::deadline))
        .route("/api/v1/calendar/rules", get(calendar::api::rule_versions).post(calendar::api::add_rule_version))
        .route("/api/v1/calendar/entries", get(calendar::api::calendar_entries).post(calendar::api::set_calendar_entry))
        .route("/api/v1/calendar/entries/{day}", delete(calendar::api::delete_calendar_entry))
}

/// The HTML pages (default body limit).
fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home::pages::home))
        // working year
        .route("/directives", get(directives::pages::list).post(directives::pages::create))
        .route("/directives/{id}", get(directives::pages::detail))
        .route("/directives/{id}/plans", post(directives::pages::record_plan))
        .route("/directives/{id}/proposals", post(proposals::pages::send_on_directive))
        .route("/programme", get(tasks::pages::programme))
        .route("/tasks", post(tasks::pages::create))
        .route("/tasks/{id}", get(tasks::pages::detail))
        .route("/tasks/{id}/progress", post(tasks::pages::progress))
        .route("/tasks/{id}/proposals", post(proposals::pages::send_on_task))
        .route("/proposals/{id}/answer", post(proposals::pages::answer))
        .route("/inspections", get(inspections::pages::list).post(inspections::pages::create))
        .route("/inspections/{id}", get(inspections::pages::detail))
        .route("/inspections/{id}/findings", post(inspections::pages::finding))
        .route("/reports", get(reports::pages::list).post(reports::pages::create))
        .route("/reports/{id}", get(reports::pages::detail).post(reports::pages::edit))
        .route("/reports/{id}/submit", post(reports::pages::submit))
        .route("/reports/{id}/return", post(reports::pages::give_back))
        .route("/reports/{id}/accept", post(reports::pages::accept))
        // accounts
        .route("/login", get(accounts::pages::login_form).post(accounts::pages::login))
        .route("/logout", post(accounts::pages::logout))
        .route("/logout-everywhere", post(accounts::pages::logout_everywhere))
        .route("/account", get(accounts::pages::account))
        .route("/account/totp/enrol", post(accounts::pages::totp_enrol))
        .route("/account/totp/confirm", post(accounts::pages::totp_confirm))
        .route("/account/password", post(accounts::pages::change_password))
        .route("/lang/{lang}", get(accounts::pages::set_lang))
        // units
        .route("/units", get(units::pages::list))
        .route("/units/{code}", get(units::pages::detail))
        .route("/units/{code}/areas", post(units::pages::create_area))
        .route("/units/{code}/rename", post(units::lifecycle::rename))
        .route("/award-types", get(award_catalogue::pages::show).post(award_catalogue::pages::edit))
        .route("/nominations", get(awards::pages::list).post(awards::pages::propose))
        .route("/nominations/{id}", get(awards::pages::detail))
        .route("/nominations/{id}/step", post(awards::pages::step))
        .route("/events", get(events::pages::list).post(events::pages::plan))
        .route("/events/{id}", get(events::pages::detail))
        .route("/events/{id}/results", post(events::pages::report))
        .route("/dan-van-kheo", get(dan_van_kheo::pages::list).post(dan_van_kheo::pages::register))
        .route("/teams", get(forces::pages::list).post(forces::pages::create))
        .route("/teams/ratings", get(forces::pages::ratings).post(forces::pages::rate))
        .route("/teams/{id}", get(forces::pages::detail))
        .route("/teams/{id}/members", post(forces::pages::add_member))
        .route("/teams/{id}/members/{member}/reveal-phone", post(forces::pages::reveal_phone))
        .route("/teams/{id}/members/{member}/leave", post(forces::pages::member_leaves))
        .route("/teams/{id}/equipment", post(forces::pages::equipment))
        .route("/teams/{id}/dissolve", post(forces::pages::dissolve))
        .route("/trainings", get(forces::pages::trainings).post(forces::pages::add_training))
        .route("/funding", get(funding::pages::show).post(funding::pages::add))
        .route("/dan-van-kheo/{id}/decision", post(dan_van_kheo::pages::decide))
        .route("/units/{code}/retire", get(units::lifecycle::retire_page).post(units::lifecycle::retire))
        // organisations
        .route("/organisations", get(organisations::pages::list).post(organisations::pages::create))
        .route("/organisations/new", get(organisations::pages::new_form))
        .route("/organisations/export", get(organisations::pages::export))
        .route("/organisations/import", get(organisations::pages::import_form))
        .route("/organisations/{id}", get(organisations::pages::detail).post(organisations::pages::update))
        .route("/organisations/{id}/edit", get(organisations::pages::edit_form))
        .route("/organisations/{id}/exemption", post(organisations::pages::set_exemption))
        .route("/organisations/{id}/ministry-follower", post(organisations::pages::set_follower))
        .route("/imports/{id}", get(organisations::pages::import_job))
        // users and audit
        .route("/users", get(users::pages::users).post(users::pages::create_user))
        .route("/users/new", get(users::pages::new_user_form))
        .route("/audit", get(audit::pages::audit))
        // dashboard, campaigns, key areas, criterion 19
        .route("/movement", get(dashboard::pages::dashboard))
        .route("/movement/points", get(dashboard::pages::points))
        .route("/campaigns", get(campaigns::pages::show).post(campaigns::pages::save))
        .route("/key-areas", get(key_areas::pages::key_areas))
        .route("/criterion19", get(key_areas::pages::criterion19_list))
        .route("/units/{code}/key-area", post(units::pages::key_area))
        .route("/units/{code}/criterion19", post(units::pages::criterion19))
        // criteria, models, assessments
        .route("/criteria-sets", get(criteria::pages::list).post(criteria::pages::create))
        .route("/models", get(models::pages::list).post(models::pages::create))
        .route("/models/{id}", get(models::pages::detail).post(models::pages::update))
        .route("/models/{id}/evaluations", post(models::pages::evaluate))
        .route("/assessments", get(assessments::pages::list).post(assessments::pages::create))
        .route("/assessments/{id}", get(assessments::pages::detail))
        .route("/assessments/{id}/answers", post(assessments::pages::save_answers))
        .route("/assessments/{id}/transition", post(assessments::pages::transition))
        // cases and calendar
        .route("/cases", get(cases::pages::inbox))
        .route("/registrations", get(registrations::pages::list).post(registrations::pages::register))
        // pickers: names typed, codes given
        .route("/pick/units", get(pickers::pages::units))
        .route("/case-routes", get(cases::pages::routes).post(cases::pages::set_route))
        .route("/cases/new", get(cases::pages::new_form).post(cases::pages::create))
        .route("/cases/{id}", get(cases::pages::detail).post(cases::pages::act))
        .route("/calendar", get(calendar::pages::show).post(calendar::pages::change))
        .route("/public/cases/new", get(cases::public_pages::form))
        .route("/public/cases/lookup", get(cases::public_pages::lookup_form).post(cases::public_pages::lookup))
        .route("/public/cases/receipt.pdf", post(cases::public_pages::receipt_pdf))
        .route("/public/stats", get(cases::public_pages::stats))
        .route("/vinh-danh", get(honour_roll::pages::roll))
}

/// Open311 GeoReport v2.
fn open311() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/services.json", get(open311::api::services))
        .route("/open311/v2/requests.json", get(open311::api::requests).post(open311::api::create))
        .route("/open311/v2/requests/{id}", get(open311::api::request))
}

/// Routes that accept large uploads (`--max-upload-bytes`).
fn uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/organisations/import", post(organisations::api::import))
        .route("/api/v1/organisations/exemptions", post(organisations::api::import_exemptions))
        .route("/api/v1/units/{code}/areas/import", post(units::api::import_areas))
        .route("/api/v1/past-figures/import", post(past_figures::api::import))
        .route("/api/v1/assessments/{id}/sheet", post(assessments::api::import_score_sheet))
        .route(
            "/api/v1/assessments/{id}/attachments",
            post(assessments::api::add_evidence).get(assessments::api::list_evidence),
        )
        .route("/organisations/import", post(organisations::pages::import))
        .route("/organisations/exemptions", post(organisations::pages::import_exemptions))
        .route("/units/{code}/areas/import", post(units::pages::import_areas))
        .route("/assessments/{id}/evidence", post(assessments::pages::add_evidence))
        .route(
            "/api/v1/directives/{id}/files",
            post(working_year_files::api::attach_to_directive).get(working_year_files::api::directive_files),
        )
        .route(
            "/api/v1/tasks/{id}/files",
            post(working_year_files::api::attach_to_task).get(working_year_files::api::task_files),
        )
        .route("/directives/{id}/files", post(working_year_files::pages::attach_to_directive))
        .route("/tasks/{id}/files", post(working_year_files::pages::attach_to_task))
        .route(
            "/api/v1/registrations/{id}/files",
            post(working_year_files::api::attach_to_registration).get(working_year_files::api::registration_files),
        )
        .route("/registrations/{id}/files", post(working_year_files::pages::attach_to_registration))
        .route(
            "/api/v1/events/{id}/files",
            post(working_year_files::api::attach_to_event).get(working_year_files::api::event_files),
        )
        .route("/events/{id}/files", post(working_year_files::pages::attach_to_event))
        .route("/api/v1/funding/import", post(funding::api::import))
        .route("/funding/import", post(funding::pages::import))
        .route("/assessments/{id}/sheet", post(assessments::pages::upload_sheet))
}

/// Citizens' routes that accept files (their own, tighter limit).
fn public_uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/public/cases", post(cases::public_api::submit))
        .route("/public/cases", post(cases::public_pages::submit))
        .route("/public/cases/message", post(cases::public_pages::message))
}

#[cfg(test)]
mod tests {
    #[test]
    fn openapi_lists_every_api_route() {
        let doc: serde_json::Value = serde_json::from_str(crate::openapi::OPENAPI).expect("valid JSON");
        let paths = doc["paths"].as_object().expect("paths");
        let src = include_str!("routes.rs");
        let mut seen = 0;
        for line in src.lines().map(str::trim_start) {
            let Some(rest) = line.strip_prefix(".route(\"/api/v1").or_else(|| line.strip_prefix("\"/api/v1")) else {
                continue;
            };
            let route = rest.split('"').next().expect("route");
            assert!(paths.contains_key(route), "{route} missing from openapi.json");
            seen += 1;
        }
        assert!(seen > 60, "only {seen} API routes found in routes.rs");
    }
}
