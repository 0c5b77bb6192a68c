//! The audit log in words: each entry as a sentence ("xa.badinh — tiếp nhận hồ sơ
//! #12") and its change as a table of fields with their value before and after,
//! instead of raw JSON.

use serde::Serialize;
use serde_json::Value;
use store::audit::AuditRow;

use crate::shared::i18n::Lang;

/// What each recorded action did, in Vietnamese and English (an action not listed
/// shows as its code).
const ACTS: &[(&str, &str, &str)] = &[
    ("assessment.create", "lập bản tự đánh giá", "drafted an assessment"),
    ("assessment.update", "sửa kết quả chấm", "edited an assessment's answers"),
    ("assessment.transition", "chuyển bước đánh giá", "moved an assessment on"),
    ("assessment.evidence", "thêm minh chứng", "added evidence"),
    ("auth.login", "đăng nhập", "signed in"),
    ("auth.logout", "đăng xuất", "signed out"),
    ("auth.logout_everywhere", "đăng xuất mọi thiết bị", "signed out everywhere"),
    ("auth.totp_enrol", "bắt đầu bật xác thực hai lớp", "started two-factor enrolment"),
    ("auth.totp_confirm", "bật xác thực hai lớp", "turned on two-factor sign-in"),
    ("calendar.set", "đặt ngày nghỉ, ngày làm bù", "set a holiday or make-up day"),
    ("calendar.delete", "xóa ngày trong lịch làm việc", "removed a calendar day"),
    ("campaign.set", "đặt thời hạn đợt đánh giá", "set the campaign's deadlines"),
    ("case.submit", "tiếp nhận phản ánh của người dân", "received a citizen's report"),
    ("case.accept", "thụ lý hồ sơ", "accepted a case"),
    ("case.refuse", "từ chối tiếp nhận hồ sơ", "refused a case"),
    ("case.assign", "giao hồ sơ", "assigned a case"),
    ("case.extend", "gia hạn giải quyết hồ sơ", "extended a case's deadline"),
    ("case.close", "kết thúc hồ sơ", "closed a case"),
    ("case.transfer", "chuyển hồ sơ", "transferred a case"),
    ("case.merge", "gộp hồ sơ", "merged a case"),
    ("case.reply", "trả lời người dân", "replied to the citizen"),
    ("case.note", "ghi chú nội bộ", "wrote an internal note"),
    ("case.reveal_contact", "xem thông tin liên hệ của người dân", "viewed a citizen's contact"),
    ("case.citizen_message", "nhận tin nhắn của người dân", "received a citizen's message"),
    ("case.escalate", "báo hồ sơ quá hạn lên cấp trên", "escalated an overdue case"),
    ("case.rate", "nhận đánh giá của người dân", "received the citizen's rating"),
    ("case.reopen", "mở lại hồ sơ theo đề nghị của người dân", "reopened a case at the citizen's request"),
    ("case.purge_personal_data", "xóa dữ liệu cá nhân hết hạn lưu", "removed expired personal data"),
    ("case.route", "đặt phân luồng tiếp nhận", "set a case route"),
    ("criteria_set.create", "ban hành bộ tiêu chí", "published a criteria set"),
    ("criterion19.set", "ghi kết quả tiêu chí 19", "recorded criterion 19"),
    ("demo.load", "nạp dữ liệu minh họa", "loaded demo data"),
    ("demo.national_areas", "nạp dữ liệu minh họa toàn quốc", "loaded national demo data"),
    ("demo.national_assessments", "nạp dữ liệu minh họa toàn quốc", "loaded national demo data"),
    ("demo.national_movement", "nạp dữ liệu minh họa toàn quốc", "loaded national demo data"),
    ("demo.national_programme", "nạp chương trình công tác minh họa", "loaded the demo programme"),
    ("directive.create", "ghi văn bản chỉ đạo", "recorded a directive"),
    ("directive.plan", "ghi kế hoạch thực hiện", "recorded an implementing plan"),
    ("inspection.create", "lập kế hoạch kiểm tra", "planned an inspection"),
    ("inspection.finding", "ghi kết luận kiểm tra", "recorded a finding"),
    ("key_area.decision", "quyết định địa bàn trọng điểm", "decided on a key area"),
    ("model.create", "đăng ký mô hình", "registered a model"),
    ("model.update", "sửa mô hình", "edited a model"),
    ("model.evaluate", "đánh giá mô hình", "evaluated a model"),
    ("model_type.put", "sửa danh mục loại mô hình", "edited a model type"),
    ("organisation.create", "đăng ký cơ quan, doanh nghiệp, nhà trường", "registered an organisation"),
    ("organisation.update", "sửa thông tin tổ chức", "edited an organisation"),
    ("organisation.exemption", "miễn đánh giá cho tổ chức", "exempted an organisation"),
    ("organisation.exemption_import", "nhập danh sách miễn đánh giá", "imported exemptions"),
    ("proposal.send", "gửi kiến nghị", "sent a proposal"),
    ("proposal.answer", "trả lời kiến nghị", "answered a proposal"),
    ("proposal.escalate", "báo kiến nghị quá hạn lên cấp trên", "escalated an unanswered proposal"),
    ("report.create", "lập báo cáo", "drafted a report"),
    ("report.edit", "sửa báo cáo", "edited a report"),
    ("report.submit", "gửi báo cáo lên cấp trên", "submitted a report"),
    ("report.return", "trả lại báo cáo", "returned a report"),
    ("report.accept", "tiếp nhận báo cáo", "accepted a report"),
    ("task.create", "giao nhiệm vụ", "assigned a task"),
    ("task.progress", "báo cáo tiến độ", "reported progress"),
    ("unit.create", "thêm đơn vị", "added a unit"),
    ("unit.import", "nhập đơn vị", "imported units"),
    ("unit.retire", "giải thể, sáp nhập đơn vị", "retired a unit"),
    ("user.create", "tạo tài khoản", "created an account"),
    ("user.password_change", "đổi mật khẩu", "changed a password"),
];

/// What each kind of record is called.
const ENTITIES: &[(&str, &str, &str)] = &[
    ("assessment", "đánh giá", "assessment"),
    ("case", "hồ sơ", "case"),
    ("case_route", "phân luồng", "case route"),
    ("calendar", "lịch", "calendar"),
    ("campaign", "đợt đánh giá", "campaign"),
    ("criteria_set", "bộ tiêu chí", "criteria set"),
    ("demo", "dữ liệu minh họa", "demo data"),
    ("directive", "văn bản", "directive"),
    ("directive_plan", "kế hoạch", "plan"),
    ("inspection", "cuộc kiểm tra", "inspection"),
    ("inspection_finding", "kết luận", "finding"),
    ("model", "mô hình", "model"),
    ("model_type", "loại mô hình", "model type"),
    ("organisation", "tổ chức", "organisation"),
    ("proposal", "kiến nghị", "proposal"),
    ("report", "báo cáo", "report"),
    ("task", "nhiệm vụ", "task"),
    ("task_assignment", "phần việc", "assignment"),
    ("unit", "đơn vị", "unit"),
    ("user", "tài khoản", "account"),
];

fn words(table: &[(&str, &'static str, &'static str)], code: &str, lang: Lang) -> Option<&'static str> {
    table.iter().find(|(c, _, _)| *c == code).map(|(_, vi, en)| if matches!(lang, Lang::En) { *en } else { *vi })
}

/// One field's change.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// Field name.
    pub field: String,
    /// Before ("" when there was none).
    pub before: String,
    /// After.
    pub after: String,
}

/// An audit entry as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Sequence number.
    pub id: i64,
    /// When (Unix ms).
    pub at_ms: i64,
    /// "xa.badinh — tiếp nhận hồ sơ #12" (the system when no one acted).
    pub sentence: String,
    /// The fields changed.
    pub changes: Vec<Change>,
    /// The action's code (shown small, for whoever searches the log).
    pub action: String,
}

/// A JSON value as a short text: strings without quotes, null as empty.
fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields of the before and after records, each with its two values (a
/// record that is not a JSON object shows as one field, "value").
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<Change> {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<Value>(s).ok());
    let (b, a) = (parse(before), parse(after));
    let as_map = |v: &Option<Value>| match v {
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            let mut m = serde_json::Map::new();
            m.insert("value".into(), other.clone());
            m
        }
        None => serde_json::Map::new(),
    };
    let (bm, am) = (as_map(&b), as_map(&a));
    let mut fields: Vec<&String> = am.keys().collect();
    fields.extend(bm.keys().filter(|k| !am.contains_key(*k)));
    fields.into_iter().map(|f| Change { field: f.clone(), before: text(bm.get(f)), after: text(am.get(f)) }).collect()
}

/// The page's entry for a stored row.
pub fn entry(row: &AuditRow, lang: Lang) -> Entry {
    let system = if matches!(lang, Lang::En) { "The system" } else { "Hệ thống" };
    let who = row.actor_name.clone().unwrap_or_else(|| system.to_string());
    let did = words(ACTS, &row.action, lang).unwrap_or(&row.action);
    let what = words(ENTITIES, &row.entity, lang).unwrap_or(&row.entity);
    Entry {
        id: row.id,
        at_ms: row.at_ms,
        sentence: format!("{who} — {did} ({what} #{})", row.entity_id),
        changes: changes(row.before_json.as_deref(), row.after_json.as_deref()),
        action: row.action.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_lists_every_field_with_both_values() {
        let mut c =
            changes(Some(r#"{"status":"draft","old":1}"#), Some(r#"{"status":"submitted","reason":null,"n":3}"#));
        c.sort_by(|a, b| a.field.cmp(&b.field));
        assert_eq!(
            c,
            vec![
                Change { field: "n".into(), before: String::new(), after: "3".into() },
                Change { field: "old".into(), before: "1".into(), after: String::new() },
                Change { field: "reason".into(), before: String::new(), after: String::new() },
                Change { field: "status".into(), before: "draft".into(), after: "submitted".into() },
            ]
        );
        assert!(changes(None, None).is_empty());
        assert_eq!(changes(None, Some("not json")), vec![]);
    }

    #[test]
    fn every_recorded_action_has_words() {
        for (code, vi, en) in ACTS {
            assert!(code.contains('.') && !vi.is_empty() && !en.is_empty(), "{code}");
        }
    }
}
