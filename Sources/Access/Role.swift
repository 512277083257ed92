/// Who a user is in the care of a person, as their token says (`role` claim). The list is a
/// table, and what each role may read and write will be a policy table beside it, not
/// branches in code: a new role is a row.
public struct Role: Sendable, Hashable {
    public let code: String
    public let display: String
    /// Staff act for an organisation and carry its ODS code; the person and their carer do not.
    public let isStaff: Bool
    /// Whether the role reads the audit log about anyone (every person reads their own).
    public let readsWholeAuditLog: Bool

    init(code: String, display: String, isStaff: Bool, readsWholeAuditLog: Bool = false) {
        self.code = code
        self.display = display
        self.isStaff = isStaff
        self.readsWholeAuditLog = readsWholeAuditLog
    }

    public static let all: [Role] = [
        Role(code: "gp", display: "General practitioner", isStaff: true),
        Role(code: "nurse", display: "Nurse", isStaff: true),
        Role(code: "hospital-clinician", display: "Hospital clinician", isStaff: true),
        Role(code: "discharge-coordinator", display: "Discharge coordinator", isStaff: true),
        Role(code: "social-worker", display: "Social worker", isStaff: true),
        Role(code: "occupational-therapist", display: "Occupational therapist", isStaff: true),
        Role(code: "care-provider", display: "Care provider", isStaff: true),
        Role(code: "finance-officer", display: "Finance officer", isStaff: true),
        Role(code: "commissioner", display: "Commissioner", isStaff: true),
        Role(code: "analyst", display: "Analyst", isStaff: true),
        Role(code: "privacy-officer", display: "Privacy officer (Caldicott guardian, information governance)",
             isStaff: true, readsWholeAuditLog: true),
        Role(code: "person", display: "The person themselves", isStaff: false),
        Role(code: "carer", display: "Carer of the person", isStaff: false),
        Role(code: "system", display: "A system acting for itself (integration, import)", isStaff: false,
             readsWholeAuditLog: true),
    ]

    public static func named(_ code: String) -> Role? { all.first { $0.code == code } }
}
