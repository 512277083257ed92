import FHIR
import Foundation
import NIOConcurrencyHelpers
import Storage

/// What search needs about one store, made once when the record opens: the definitions, the
/// parameter numbers of this store, and the indexer. Immutable, so readers and the writer
/// share it freely.
final class SearchContext: Sendable {
    let definitions: FHIRSearchDefinitions
    let ids: SearchParameterIDs
    /// nil when the record was opened without search indexing (a benchmark's baseline).
    let indexer: SearchIndexer?
    /// The engine the SQL is for: the few places their SQL differs (full text, `near`) ask.
    let engine: SQLEngine
    /// The patient compartment's parameter codes by resource type, as the index holds them
    /// (an alias, Encounter `patient`, by the parameters it reads, `subject`): whose record a
    /// resource is in (`PersonKey`, `$everything`).
    let patientCompartment: [String: [String]]
    /// The SQL of care relationships' visibility tests on this store, by relationships table
    /// (`VisibilitySQL.of`).
    let visibilitySQL = NIOLockedValueBox<[UUID: VisibilitySQL]>([:])

    /// One indexer for every store a process opens: compiling its plans costs milliseconds
    /// (more in a debug build), which a server starting or a test opening stores should not repeat.
    static let indexer = SearchIndexer()

    init(definitions: FHIRSearchDefinitions, ids: SearchParameterIDs, indexer: SearchIndexer?, engine: SQLEngine) {
        self.definitions = definitions
        self.ids = ids
        self.indexer = indexer
        self.engine = engine
        self.patientCompartment = definitions.compartment("Patient").reduce(into: [:]) { indexed, member in
            var codes: [String] = []
            for code in member.value.flatMap({ definitions.indexedCodes($0, of: member.key) }) where !codes.contains(code) {
                codes.append(code)
            }
            indexed[member.key] = codes
        }
    }

    /// The parameter numbers whose reference rows put a resource of `types` (by type, the
    /// compartment's codes) in a patient's compartment, types in name order.
    func compartmentPIDs(_ types: [String: [String]]) -> [Int64] {
        types.sorted { $0.key < $1.key }.flatMap { type, codes in codes.flatMap { ids.pids(type, $0) } }
    }

    /// The index table a parameter type's rows live in; nil for `special`, which has none.
    static func table(for type: SearchParameterType) -> String? {
        SearchIndexTable(type)?.name
    }
}
