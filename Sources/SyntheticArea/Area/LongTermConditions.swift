import FHIR

/// A person's long-term conditions, drawn from the prevalences by age and sex in the
/// parameters, as active, confirmed problem-list Conditions coded in SNOMED CT. Each person
/// draws from a stream of their own, so changing the conditions does not change the people.
struct LongTermConditions {
    let conditions: [AreaParameters.Condition]
    let start: FHIRInstant

    func forPerson(id: String, number: Int, age: Int, birth: FHIRInstant, female: Bool,
                   stream: SeededGenerator, emit: (JSON) throws -> Void) throws {
        var generator = stream.derived(UInt64(number))
        for (index, condition) in conditions.enumerated() {
            guard generator.unit() < condition.chance(age: age, female: female) else { continue }
            // Onset some time since the youngest age the condition is counted from.
            let earliest = max(birth.millisecondsSince1970,
                               birth.millisecondsSince1970 + Int64(condition.prevalence.first?.from ?? 0) * 31_556_952_000)
            let span = max(1, start.millisecondsSince1970 - earliest)
            let onset = FHIRInstant(millisecondsSince1970: earliest + Int64(generator.unit() * Double(span)))
            try emit([
                "resourceType": "Condition",
                "id": .string("\(id)-c\(index + 1)"),
                "clinicalStatus": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"]]],
                "verificationStatus": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"]]],
                "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item"]]]],
                "code": ["coding": [["system": "http://snomed.info/sct", "code": .string(condition.snomed),
                                     "display": .string(condition.display)]]],
                "subject": ["reference": .string("Patient/\(id)")],
                "onsetDateTime": .string(String(onset.description.prefix(10))),
            ])
        }
    }
}
