import FHIR

/// Keeps a write to what its viewer may see, inside the write's transaction: a version may
/// replace (update, patch, delete) only one the viewer may see, or the write answers as if
/// the resource did not exist; and when everything is written, every resource it leaves must
/// be one the viewer may see, or the whole write is undone. So no one writes into, or takes
/// over, the record of a person they have no relationship with, and a bundle that creates a
/// Patient and the EpisodeOfCare that joins them to the writer is judged as a whole.
///
/// One per write transaction, used on that transaction's thread alone.
final class WriteVisibility {
    let filter: VisibilityFilter
    private var written: Set<ResourceKey> = []
    /// Versions already found visible in this transaction.
    private var replaceable: Set<ResourceKey> = []

    init(_ filter: VisibilityFilter) {
        self.filter = filter
    }

    /// Before `key`'s live current version is replaced, or anything about it answered (the
    /// writer asks as soon as it has found the version, and again when it appends).
    func checkReplacing(_ key: ResourceKey, in transaction: any StoreTransaction) throws {
        guard !replaceable.contains(key) else { return }
        guard try transaction.visible([key], filter).contains(key) else {
            throw RecordError(.notFound, .notFound, "no \(key.type) with this id")
        }
        replaceable.insert(key)
    }

    /// `key` was written with a body (not deleted).
    func wrote(_ key: ResourceKey) {
        written.insert(key)
    }

    /// When the write is complete, before it commits.
    func checkWritten(in transaction: any StoreTransaction) throws {
        guard !written.isEmpty else { return }
        let unseen = written.subtracting(try transaction.visible(Array(written), filter))
        guard let first = unseen.sorted(by: { ($0.type, $0.id) < ($1.type, $1.id) }).first else { return }
        throw RecordError(.forbidden, .forbidden,
                          "this write would leave \(first.type)/\(first.id) in the record of a person you have no care relationship "
                              + "with (a care team, an open episode, referral or task, or registration); nothing was written")
    }
}
