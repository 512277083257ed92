import FHIR

/// The person a row of the record belongs to, as a number: PostgreSQL's distribution key
/// (`person` on every table holding a person's data), so that Citus can spread the record over
/// many servers by person and run everything one person's care needs on one of them.
///
/// A resource belongs to the one patient its patient-compartment references name (a Patient
/// to itself); one naming no patient (an Organization, a Practitioner) or several (a group
/// appointment) belongs to no one, `shared`. So every resource in patient X's compartment has
/// X's key or `shared`, and a query serving X keeps to rows with those two keys
/// (`PersonRestriction`): still exact, because its own conditions are kept too; a key is a
/// hash, and two patients whose ids share one are only stored side by side.
///
/// The key is FNV-1a (64 bits) of the patient id: stable across releases and machines, and
/// computed from a reference alone, so a resource written before its patient gets the
/// patient's key.
enum PersonKey {
    /// The key of rows that are no one person's.
    static let shared: Int64 = 0

    /// The key of patient `id`'s rows.
    static func of(patient id: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let key = Int64(bitPattern: hash)
        return key == shared ? 1 : key
    }

    /// The key of a resource of `type` with `id`, from its search index entries (its
    /// references through the patient compartment's parameters of `type`).
    static func of(type: String, id: String, entries: [SearchIndexEntry], compartment: [String: [String]]) -> Int64 {
        if type == "Patient" { return of(patient: id) }
        guard let codes = compartment[type], !codes.isEmpty else { return shared }
        var patient: String?
        for entry in entries where codes.contains(entry.parameter) {
            guard let target = patientID(entry.value) else { continue }
            if let found = patient, found != target { return shared }
            patient = target
        }
        return patient.map(of(patient:)) ?? shared
    }

    /// The Patient id a reference names: `Patient/1`, or an absolute URL ending so
    /// (`https://host/fhir/Patient/1`, with or without `/_history/2`), which the index keeps
    /// whole and a search by `Patient/1` also finds when the URL is under this server's base.
    /// Another server's Patient counts too: a key too many only puts a resource beside a
    /// patient's rows, where one too few would hide it from the patient's searches.
    private static func patientID(_ value: SearchIndexValue) -> String? {
        switch value {
        case .reference("Patient", let id): return id
        case .reference("", let url) where url.contains("://"):
            var parts = url.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
            guard parts.count >= 2, parts[parts.count - 2] == "Patient", let id = parts.last, !id.isEmpty else { return nil }
            return String(id)
        default: return nil
        }
    }

    /// The keys a query for `patients`' resources keeps to: theirs and `shared`.
    static func restriction(_ patients: [String]) -> [Int64] {
        Array(Set(patients.map(of(patient:)))).sorted() + [shared]
    }
}
