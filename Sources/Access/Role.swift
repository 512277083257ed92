/// Who a user is in the care of a person, as their token says (`role` claim). The list is a
/// table, and what each role may read and write is the access policy's row for it
/// (`AccessPolicy`), data, not branches in code.
public struct Role: Sendable, Hashable {
    public let code: String
    public let display: String
    /// Staff act for an organisation and carry its ODS code; the person and their carer do not.
    public let isStaff: Bool

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
        Role(code: "privacy-officer", display: "Privacy officer (Caldicott guardian, information governance)", isStaff: true),
        Role(code: "person", display: "The person themselves", isStaff: false),
        Role(code: "carer", display: "Carer of the person", isStaff: false),
        Role(code: "system", display: "A system acting for itself (integration, import)", isStaff: false),
    ]

    public static func named(_ code: String) -> Role? { all.first { $0.code == code } }
}
