/// NHS numbers: a valid number in each NHS number identifier, and at most one per Patient.
extension ValidationRun {
    mutating func checkPatient(_ patient: JSONObject) {
        guard case .array(let identifiers)? = patient["identifier"] else { return }
        var count = 0
        for identifier in identifiers {
            if case .string(let system)? = identifier["system"], system == NHSNumber.system { count += 1 }
        }
        if count > 1 {
            report(.invalid, "A Patient may have at most one NHS number identifier", extra: "identifier")
        }
    }

    mutating func checkIdentifier(_ object: JSONObject) {
        guard case .string(let system)? = object["system"], system == NHSNumber.system else { return }
        switch object["value"] {
        case .string(let value)?:
            if !NHSNumber.isValid(value) {
                report(.value, "Not a valid NHS number: it must be 10 digits passing the modulus 11 check, not all the same digit",
                       extra: "value")
            }
        case nil:
            report(.required, "An NHS number identifier must have a value", extra: "value")
        default:
            break // wrong JSON kind, already reported
        }
    }
}
