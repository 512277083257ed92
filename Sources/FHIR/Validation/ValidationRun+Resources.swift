/// Resources, at the root or nested (`contained`, `Bundle.entry.resource`): the resource type
/// decides which layout the rest of the object is checked against.
extension ValidationRun {
    mutating func validateResource(_ value: JSON, isRoot: Bool) {
        guard case .object(let object) = value else {
            report(.structure, "A resource must be a JSON object, found \(value.kindName)")
            return
        }
        guard let typeValue = object["resourceType"] else {
            report(.required, "The resource has no resourceType", extra: isRoot ? nil : "resourceType")
            return
        }
        guard case .string(let type) = typeValue else {
            report(.structure, "resourceType must be a JSON string", extra: isRoot ? nil : "resourceType")
            return
        }
        guard let layout = definitions.resourceLayoutIndex[type] else {
            report(.value, "resourceType is not a known concrete FHIR R4 resource type",
                   extra: isRoot ? nil : "resourceType")
            return
        }
        if isRoot { path.append(.name(type)) }
        validateObject(object, layout: layout, isResource: true)
        if type == "Patient" { checkPatient(object) }
        if isRoot { path.removeLast() }
    }
}
