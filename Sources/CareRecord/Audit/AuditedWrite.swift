import FHIR

/// What a write tells the audit log: the versions it wrote (or, for a conditional create that
/// found one, read) and the status it answers.
protocol AuditedWrite {
    var auditEntities: [AuditEntity] { get }
    var auditStatus: Int { get }
}

extension WriteResult: AuditedWrite {
    var auditEntities: [AuditEntity] {
        stored.map { [AuditEntity($0.key, version: $0.version)] } ?? []
    }

    var auditStatus: Int {
        switch outcome {
        case .created: 201
        case .updated, .unchanged, .existing: 200
        case .deleted, .nothingToDelete: 204
        }
    }
}

extension BundleResult: AuditedWrite {
    var auditEntities: [AuditEntity] {
        entries.flatMap { ($0.result?.auditEntities ?? []) + $0.read }
    }

    var auditStatus: Int { 200 }
}

extension AuditEntity {
    /// The resources a bundle's GET entry handed out: the resource itself, or each resource
    /// of a search's Bundle, with the versions their `meta` gives.
    static func handedOut(in json: JSON) -> [AuditEntity] {
        guard json["resourceType"]?.stringValue == "Bundle" else { return entity(of: json).map { [$0] } ?? [] }
        return json["entry"]?.arrayValue?.compactMap { $0["resource"].flatMap(entity(of:)) } ?? []
    }

    private static func entity(of resource: JSON) -> AuditEntity? {
        guard let type = resource["resourceType"]?.stringValue, let id = resource["id"]?.stringValue else { return nil }
        return AuditEntity(type, id, version: resource["meta"]?["versionId"]?.stringValue.flatMap { Int($0) })
    }
}
