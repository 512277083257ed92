import Storage

/// Numbers for a PostgreSQL write transaction's new rows, taken from the identity sequences
/// (`resource_version.seq` for versions, `resource.rid` for resources) a block at a time, so
/// that the transaction can number rows before it sends them and send many in one statement.
///
/// One statement moves both sequences on by a block. Only the writer takes blocks, and it holds
/// the writer lock for its whole transaction (`PostgresDatabase`), so numbers still rise in
/// commit order, as the change log and paging need. A number taken and not used is a gap, as a
/// rolled-back insert leaves in any sequence.
final class RowNumbers {
    private var sequences = Range(uncheckedBounds: (Int64(0), Int64(0)))
    private var rids = Range(uncheckedBounds: (Int64(0), Int64(0)))
    /// Blocks grow as a transaction writes more: a single write takes one number of each, a
    /// bundle of thousands a few statements' worth.
    private var size: Int64 = 1

    static let largestBlock: Int64 = 4096

    /// The `seq` of a new version.
    func sequence(on connection: any SQLConnection) throws -> Int64 {
        if sequences.isEmpty { try refill(on: connection) }
        defer { sequences = sequences.dropFirst() }
        return sequences.lowerBound
    }

    /// The `rid` of a new resource row.
    func rid(on connection: any SQLConnection) throws -> Int64 {
        if rids.isEmpty { try refill(on: connection) }
        defer { rids = rids.dropFirst() }
        return rids.lowerBound
    }

    /// Takes at least `count` numbers of each kind now, when fewer are left: an import knows
    /// how many rows its batch makes, and asking again mid-batch would wait for the rows being
    /// copied meanwhile (`SQLBulkCopying`).
    func reserve(_ count: Int, on connection: any SQLConnection) throws {
        let wanted = Int64(count)
        guard sequences.count < wanted || rids.count < wanted else { return }
        try refill(on: connection, size: max(wanted, size))
    }

    private func refill(on connection: any SQLConnection) throws {
        try refill(on: connection, size: size)
        size = min(size * 4, Self.largestBlock)
    }

    private func refill(on connection: any SQLConnection, size: Int64) throws {
        let row = try connection.fetchOne("SELECT \(Self.advance("resource_version", "seq")), \(Self.advance("resource", "rid"))",
                                          [.integer(size), .integer(size)])
        guard let lastSequence = row?[0].int64, let lastRID = row?[1].int64 else {
            throw StorageError(.statementFailed, detail: "the identity sequences gave no numbers")
        }
        sequences = (lastSequence - size + 1)..<(lastSequence + 1)
        rids = (lastRID - size + 1)..<(lastRID + 1)
    }

    /// Moves a column's sequence on by `?` and gives the last number taken.
    private static func advance(_ table: String, _ column: String) -> String {
        let sequence = "pg_get_serial_sequence('\(table)', '\(column)')"
        return "setval(\(sequence), nextval(\(sequence)) + ? - 1)"
    }
}
