import WardenEngine

/// The language of the audit report: Chinese by default for a rule set whose zone is in Asia
/// (its analysts read Chinese), English otherwise; `warden audit --lang` chooses.
package enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en

    package static func `default`(timezone: String) -> ReportLanguage { timezone.hasPrefix("Asia/") ? .zh : .en }

    /// The Chinese or the English text.
    func t(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }

    var htmlLang: String { self == .zh ? "zh-Hans" : "en" }

    func verdict(_ v: Verdict) -> String {
        guard self == .zh else { return v.rawValue }
        switch v {
        case .allow: return "放行"
        case .challenge: return "验证"
        case .review: return "审核"
        case .block: return "拦截"
        }
    }
}
