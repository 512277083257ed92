import CareRecord
import FHIR

extension GeneratedBatches {
    /// Stores every batch through `record`: the generator on its own thread, each batch
    /// validated here while the one before it is written (`CareRecord.beginImport`), so three
    /// stages run at once and writes stay in the generator's order. `stored` is told of each
    /// batch once its write is done: the batch, each resource's result and the writer's time.
    func store(into record: CareRecord,
               _ stored: ([JSON], [Result<WriteResult, RecordError>], Duration) async throws -> Void) async throws {
        var writing: (batch: [JSON], write: ImportWrite)?
        for try await batch in self {
            let prepared = record.prepareImport(batch)
            if let writing { try await stored(writing.batch, try await writing.write.results(), writing.write.writerTime) }
            writing = (batch, record.beginImport(prepared))
        }
        if let writing { try await stored(writing.batch, try await writing.write.results(), writing.write.writerTime) }
    }
}
