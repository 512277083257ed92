import FHIR
import Storage

/// Break-glass: a member of staff held to their care relationships opens a person's record
/// without one, giving a reason. The grant is a row (`AccessGrantSchema`) that the visibility
/// test reads like any relationship, so it lasts exactly its time and no cache outlives it;
/// privacy officers list the grants of their organisation (`accessGrants`).
extension CareRecord {
    /// Reasons longer than this are refused rather than cut: a reason is read by a person.
    public static let maximumBreakGlassReason = 1_000

    /// Grants `viewer` sight of Patient `patient` for the relationships' break-glass time.
    /// - Throws: `RecordError` `.invalid` for an empty or overlong reason, `.notFound` when
    ///   no live Patient has the id.
    public func breakGlass(_ viewer: RecordViewer, role: String, patient: String, reason: String) async throws -> AccessGrant {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw RecordError(.invalid, .required, "breaking the glass needs a reason, which the privacy officer reads", at: ["reason"])
        }
        guard reason.count <= Self.maximumBreakGlassReason else {
            throw RecordError(.invalid, .tooLong, "a reason is at most \(Self.maximumBreakGlassReason) characters", at: ["reason"])
        }
        let granted = RecordEnvironment.wallClock()
        let expires = FHIRInstant(millisecondsSince1970: granted.millisecondsSince1970 + Int64(viewer.relationships.breakGlassSeconds) * 1_000)
        let sequence: Int64? = try await writeTables { connection in
            guard try connection.fetchOne("SELECT 1 FROM resource WHERE type = 'Patient' AND id = ? AND deleted = 0",
                                          [patient.sqlValue]) != nil else { return nil }
            let row = try connection.fetchOne("""
                INSERT INTO access_grant (user_id, organisation, role, patient, reason, granted, expires) \
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq
                """, [viewer.user.sqlValue, viewer.organisation.map(\.sqlValue) ?? .null, role.sqlValue, patient.sqlValue,
                      reason.sqlValue, granted.millisecondsSince1970.sqlValue, expires.millisecondsSince1970.sqlValue])
            return row?[0].int64
        }
        guard let sequence else { throw RecordError(.notFound, .notFound, "no Patient with this id") }
        return AccessGrant(sequence: sequence, user: viewer.user, organisation: viewer.organisation, role: role, patient: patient,
                           reason: reason, granted: granted, expires: expires)
    }

    /// Grants made since `since`, newest first, of `organisation`'s staff (every
    /// organisation's when nil), at most `limit`.
    public func accessGrants(organisation: String?, since: FHIRInstant? = nil, limit: Int = 1_000) async throws -> [AccessGrant] {
        var sql = "SELECT seq, user_id, organisation, role, patient, reason, granted, expires FROM access_grant WHERE granted >= ?"
        var arguments: [SQLValue] = [(since?.millisecondsSince1970 ?? 0).sqlValue]
        if let organisation {
            sql += " AND organisation = ?"
            arguments.append(organisation.sqlValue)
        }
        sql += " ORDER BY seq DESC LIMIT ?"
        arguments.append(limit.sqlValue)
        let rows = try await read { [sql, arguments] connection in try connection.fetchAll(sql, arguments) }
        return rows.map { row in
            AccessGrant(sequence: row[0].int64 ?? 0, user: row[1].string ?? "", organisation: row[2].string, role: row[3].string ?? "",
                        patient: row[4].string ?? "", reason: row[5].string ?? "",
                        granted: FHIRInstant(millisecondsSince1970: row[6].int64 ?? 0),
                        expires: FHIRInstant(millisecondsSince1970: row[7].int64 ?? 0))
        }
    }
}
