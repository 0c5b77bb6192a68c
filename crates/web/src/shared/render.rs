//! Templates (minijinja, compiled into the binary) and the helpers they use:
//! `t(key)` translates into the page's language, `num` formats numbers with
//! Vietnamese separators, `datetime` and `date` give dd/mm/yyyy in Asia/Ho_Chi_Minh.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, State, Value};

use crate::shared::i18n::{format_date, format_datetime, format_number, t, Lang};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("offline.html", include_str!("../../templates/offline.html")),
    ("verify.html", include_str!("../../templates/verify.html")),
    ("picker_units.html", include_str!("../../templates/picker_units.html")),
    ("registrations.html", include_str!("../../templates/registrations.html")),
    ("point_map.html", include_str!("../../templates/point_map.html")),
    ("point_map_print.html", include_str!("../../templates/point_map_print.html")),
    ("units.html", include_str!("../../templates/units.html")),
    ("unit.html", include_str!("../../templates/unit.html")),
    ("unit_retire.html", include_str!("../../templates/unit_retire.html")),
    ("nominations.html", include_str!("../../templates/nominations.html")),
    ("award_types.html", include_str!("../../templates/award_types.html")),
    ("teams.html", include_str!("../../templates/teams.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("team_ratings.html", include_str!("../../templates/team_ratings.html")),
    ("trainings.html", include_str!("../../templates/trainings.html")),
    ("funding.html", include_str!("../../templates/funding.html")),
    ("honour_roll.html", include_str!("../../templates/honour_roll.html")),
    ("dan_van_kheo.html", include_str!("../../templates/dan_van_kheo.html")),
    ("nomination.html", include_str!("../../templates/nomination.html")),
    ("honours.html", include_str!("../../templates/honours.html")),
    ("events.html", include_str!("../../templates/events.html")),
    ("event.html", include_str!("../../templates/event.html")),
    ("campaign.html", include_str!("../../templates/campaign.html")),
    ("model.html", include_str!("../../templates/model.html")),
    ("key_areas.html", include_str!("../../templates/key_areas.html")),
    ("criterion19.html", include_str!("../../templates/criterion19.html")),
    ("orgs.html", include_str!("../../templates/orgs.html")),
    ("org.html", include_str!("../../templates/org.html")),
    ("org_form.html", include_str!("../../templates/org_form.html")),
    ("org_import.html", include_str!("../../templates/org_import.html")),
    ("import_job.html", include_str!("../../templates/import_job.html")),
    ("assessments.html", include_str!("../../templates/assessments.html")),
    ("assessment.html", include_str!("../../templates/assessment.html")),
    ("movement.html", include_str!("../../templates/movement.html")),
    ("models.html", include_str!("../../templates/models.html")),
    ("users.html", include_str!("../../templates/users.html")),
    ("user_form.html", include_str!("../../templates/user_form.html")),
    ("audit.html", include_str!("../../templates/audit.html")),
    ("account.html", include_str!("../../templates/account.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("pager.html", include_str!("../../templates/pager.html")),
    ("row_report.html", include_str!("../../templates/row_report.html")),
    ("public_case_form.html", include_str!("../../templates/public_case_form.html")),
    ("public_case_receipt.html", include_str!("../../templates/public_case_receipt.html")),
    ("public_case_lookup.html", include_str!("../../templates/public_case_lookup.html")),
    ("public_case.html", include_str!("../../templates/public_case.html")),
    ("public_stats.html", include_str!("../../templates/public_stats.html")),
    ("cases.html", include_str!("../../templates/cases.html")),
    ("case.html", include_str!("../../templates/case.html")),
    ("case_new.html", include_str!("../../templates/case_new.html")),
    ("calendar.html", include_str!("../../templates/calendar.html")),
    ("case_routes.html", include_str!("../../templates/case_routes.html")),
    ("criteria_sets.html", include_str!("../../templates/criteria_sets.html")),
    ("directives.html", include_str!("../../templates/directives.html")),
    ("directive.html", include_str!("../../templates/directive.html")),
    ("proposals.html", include_str!("../../templates/proposals.html")),
    ("task.html", include_str!("../../templates/task.html")),
    ("programme.html", include_str!("../../templates/programme.html")),
    ("inspections.html", include_str!("../../templates/inspections.html")),
    ("inspection.html", include_str!("../../templates/inspection.html")),
    ("reports.html", include_str!("../../templates/reports.html")),
    ("report.html", include_str!("../../templates/report.html")),
];

fn lang_of(state: &State) -> Lang {
    match state.lookup("lang").and_then(|v| v.as_str().map(str::to_string)).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// Builds the template environment.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    // An absent value prints nothing (minijinja would spell it "None", Jinja2's way):
    // an empty filter field must stay empty, not read "None".
    env.set_formatter(|out, state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        minijinja::escape_formatter(out, state, value)
    });
    for (name, src) in TEMPLATES {
        if let Err(e) = env.add_template(name, src) {
            panic!("template {name} does not compile: {e}");
        }
    }
    env.add_function("t", |state: &State, key: &str| t(lang_of(state), key));
    env.add_filter("num", |v: Value| match (v.as_i64(), f64::try_from(v.clone())) {
        (Some(n), _) => format_number(n),
        // A decimal (half points): one decimal after a comma, "85,5".
        (None, Ok(x)) if x.is_finite() => {
            let tenths = (x * 10.0).round() as i64;
            match tenths % 10 {
                0 => format_number(tenths / 10),
                d => format!("{},{}", format_number(tenths / 10), d.abs()),
            }
        }
        _ => v.to_string(),
    });
    env.add_filter("datetime", |v: Value| v.as_i64().map(format_datetime).unwrap_or_default());
    env.add_filter("date", |v: Value| v.as_str().map(format_date).unwrap_or_default());
    env
}

/// Renders a template to a response; a rendering failure is logged and answered 500.
pub fn page(env: &Environment<'static>, name: &str, status: StatusCode, ctx: Value) -> Response {
    match env.get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(template = name, error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Html("<h1>500</h1>".to_string())).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_file_is_registered() {
        let env = super::environment();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).expect("templates dir") {
            let name = entry.expect("entry").file_name().to_string_lossy().to_string();
            assert!(env.get_template(&name).is_ok(), "{name} is not registered in TEMPLATES");
        }
    }

    #[test]
    fn absent_values_print_nothing_and_text_is_escaped() {
        let env = super::environment();
        let ctx = minijinja::context! { unit => None::<String>, q => Some("<b>Hà Nội</b>") };
        let out = env.render_str(r#"[{{ unit }}][{{ missing }}][{{ q }}]"#, ctx).expect("renders");
        assert_eq!(out, "[][][&lt;b&gt;Hà Nội&lt;&#x2f;b&gt;]");
    }
}
