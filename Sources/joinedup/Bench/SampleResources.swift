import FHIR

/// Synthea-like resources for benchmarks: a patient with an NHS number in the 999 range
/// and their encounters, conditions and observations, from a seeded generator so every run
/// measures the same data. (The synthetic area of issue 3 will replace this.)
struct SampleResources {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// A valid NHS number in the 999 range for person `n`.
    static func nhsNumber(_ n: Int) -> String {
        var serial = n
        while true {
            let digits = "999" + String(String(serial % 1_000_000).reversed()).padding(toLength: 6, withPad: "0", startingAt: 0)
            let sum = digits.enumerated().reduce(0) { $0 + Int(String($1.element))! * (10 - $1.offset) }
            let check = (11 - sum % 11) % 11
            if check != 10 { return digits + String(check) }
            serial += 1_000_003
        }
    }

    /// One patient and `perPatient - 1` clinical resources, referring to the patient by
    /// `patientReference` (a urn:uuid for bundles, `Patient/id` for NDJSON).
    mutating func person(_ n: Int, perPatient: Int, patientID: String?, patientReference: String,
                         id: (Int) -> String?) -> [JSON] {
        var patient: JSONObject = [
            "resourceType": "Patient",
            "identifier": [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(Self.nhsNumber(n))]],
            "name": [["family": .string(pick(["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans"])),
                      "given": [.string(pick(["Amelia", "Oliver", "Isla", "George", "Ava", "Harry", "Margaret"]))]]],
            "gender": .string(pick(["female", "male"])),
            "birthDate": .string("19\(10 + next() % 90)-0\(1 + next() % 9)-1\(next() % 9)"),
            "address": [["line": [.string("\(1 + next() % 200) High Street")], "city": "Leeds",
                         "postalCode": .string("LS\(1 + next() % 28) \(next() % 9)AB")]],
        ]
        if let patientID { patient["id"] = .string(patientID) }
        var resources: [JSON] = [.object(patient)]
        let subject: JSON = ["reference": .string(patientReference)]
        for k in 1..<perPatient {
            var resource: JSONObject
            switch k % 3 {
            case 0:
                resource = ["resourceType": "Encounter", "status": "finished",
                            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"],
                            "subject": subject,
                            "period": ["start": .string("2025-0\(1 + next() % 9)-1\(next() % 9)T09:00:00Z"),
                                       "end": .string("2025-0\(1 + next() % 9)-1\(next() % 9)T10:00:00Z")]]
            case 1:
                resource = ["resourceType": "Condition", "subject": subject,
                            "clinicalStatus": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"]]],
                            "code": ["coding": [["system": "http://snomed.info/sct",
                                                 "code": .string(pick(["38341003", "44054006", "13645005", "84114007"]))]]],
                            "onsetDateTime": .string("20\(10 + next() % 15)-0\(1 + next() % 9)-1\(next() % 9)")]
            default:
                resource = ["resourceType": "Observation", "status": "final", "subject": subject,
                            "code": ["coding": [["system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"]]],
                            "effectiveDateTime": .string("2025-0\(1 + next() % 9)-1\(next() % 9)T08:30:00Z"),
                            "valueQuantity": ["value": .number("\(55 + next() % 50)"), "unit": "/min",
                                              "system": "http://unitsofmeasure.org", "code": "/min"]]
            }
            if let identity = id(k) { resource["id"] = .string(identity) }
            resources.append(.object(resource))
        }
        return resources
    }
}
