/// References: the format of `Reference.reference` and, when it names a type, whether that
/// type is an allowed target.
extension ValidationRun {
    mutating func checkReference(_ object: JSONObject, targets: Set<String>?) {
        guard case .string(let reference)? = object["reference"], !reference.isEmpty else { return }
        switch Self.referenceType(reference, definitions: definitions) {
        case .invalid:
            report(.value, "Invalid reference: expected Type/id, an absolute URL, urn:uuid:, urn:oid: or #fragment",
                   extra: "reference")
        case .typed(let type):
            if let targets, !targets.contains(type) {
                report(.invalid, "The reference's resource type is not allowed here (allowed: \(targets.sorted().joined(separator: ", ")))",
                       extra: "reference")
            }
        case .untyped:
            break
        }
    }

    enum ReferenceKind {
        case invalid
        case typed(String)
        case untyped
    }

    static func referenceType(_ reference: String, definitions: FHIRDefinitions) -> ReferenceKind {
        let utf8 = reference.utf8
        guard let first = utf8.first else { return .invalid }
        if first == UInt8(ascii: "#") {
            return FHIRPrimitiveFormat.isValidURI(reference) ? .untyped : .invalid
        }
        if reference.hasPrefix("urn:uuid:") {
            return FHIRPrimitiveFormat.isValidUUIDURN(reference) ? .untyped : .invalid
        }
        if reference.hasPrefix("urn:oid:") {
            return FHIRPrimitiveFormat.isValidOID(reference) ? .untyped : .invalid
        }
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") {
            guard FHIRPrimitiveFormat.isValidURI(reference), utf8.count > (reference.hasPrefix("https") ? 8 : 7) else {
                return .invalid
            }
            // A RESTful URL ending in Type/id or Type/id/_history/vid names its type.
            let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
            var typeIndex = parts.count - 2
            if parts.count >= 6, parts[parts.count - 2] == "_history" { typeIndex = parts.count - 4 }
            if typeIndex >= 3, definitions.resourceTypes.contains(String(parts[typeIndex])),
               FHIRPrimitiveFormat.isValidID(String(parts[typeIndex + 1]))
            {
                return .typed(String(parts[typeIndex]))
            }
            return .untyped
        }
        // Conditional reference (transactions): Type?query
        if let question = reference.firstIndex(of: "?") {
            let type = String(reference[..<question])
            let query = reference[reference.index(after: question)...]
            guard definitions.resourceTypes.contains(type), !query.isEmpty,
                  FHIRPrimitiveFormat.isValidURI(reference)
            else { return .invalid }
            return .typed(type)
        }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history") else { return .invalid }
        let type = String(parts[0])
        guard definitions.resourceTypes.contains(type), FHIRPrimitiveFormat.isValidID(String(parts[1])) else {
            return .invalid
        }
        if parts.count == 4, !FHIRPrimitiveFormat.isValidID(String(parts[3])) { return .invalid }
        return .typed(type)
    }
}
