/// Writes the council case system's client export (in its own column names and formats) and,
/// separately, the ground truth that maps every record to the true person.
public final class CouncilCSVWriter {
    private let export: OutputFile
    private let truth: OutputFile
    private let system: String
    private var exportBuffer: [UInt8] = []
    private var truthBuffer: [UInt8] = []
    public private(set) var records = 0

    public init(files: OutputFiles, system: String) throws {
        self.system = system
        export = try files.open("\(system)-clients.csv", in: "council")
        truth = try files.open("truth.csv", in: "council")
        Self.row(CouncilClientRecord.header, into: &exportBuffer)
        Self.row(["source_system", "record_id", "person_id"], into: &truthBuffer)
    }

    public func write(_ record: CouncilClientRecord) throws {
        Self.row(record.fields, into: &exportBuffer)
        Self.row([system, record.clientID, record.personID], into: &truthBuffer)
        records += 1
        if exportBuffer.count >= 1 << 20 { try flush() }
    }

    /// Adds a FHIR Patient to the ground truth (it is its own person), so that the truth file
    /// covers every source a linkage run may be given.
    public func writeTruth(patient id: String) throws {
        Self.row(["fhir-patient", id, id], into: &truthBuffer)
        if truthBuffer.count >= 1 << 20 { try flush() }
    }

    public func close() throws {
        try flush()
        try export.close()
        try truth.close()
    }

    private func flush() throws {
        try export.write(exportBuffer)
        try truth.write(truthBuffer)
        exportBuffer.removeAll(keepingCapacity: true)
        truthBuffer.removeAll(keepingCapacity: true)
    }

    /// RFC 4180: quoted only when a field holds a comma, quote or line break.
    static func row(_ fields: [String], into out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                out.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: field.utf8)
            }
        }
        out.append(UInt8(ascii: "\n"))
    }
}
