import FHIR

/// The search benchmark's population: Synthea-like people with about 50 resources each
/// (a Patient, ~10 Encounters, ~3 Conditions, ~28 Observations, ~5 MedicationRequests, 1-2
/// CarePlans, a CareTeam and a Provenance), sharing 15 Organizations and 240 Practitioners,
/// plus one person, `bench-big`, whose compartment holds exactly 2,000 resources (for
/// `$everything`).
///
/// Everything is decided from the seed and the person's number alone (`plan(_:)` draws; the
/// resources are then built from the plan without further draws), with client-assigned ids
/// (`bp-0001234`, `bp-0001234-o17`), so the query files can name real people, codes and
/// identifiers by remaking the people they sample, and person 17 is the same whatever the
/// size of the population.
struct BenchPopulation: Sendable {
    /// Changes whenever the same seed would give different resources.
    static let version = "1"
    static let bigPatientID = "bench-big"
    /// The compartment size of `bench-big`, the Patient included.
    static let bigPatientResources = 2000
    /// NHS numbers are drawn from three serials per person (see `nhsNumber`), 999 range only.
    static let maxPatients = 300_000

    let seed: UInt64
    let patients: Int

    /// The big patient is stored halfway through the load, not at an edge of the indexes.
    var bigPatientPosition: Int { patients / 2 }

    /// Organisations and practitioners, then every person in order, with the big patient
    /// after person `bigPatientPosition - 1`.
    func generate(_ emit: (JSON) throws -> Void) throws {
        for resource in sharedResources() { try emit(resource) }
        for index in 0..<patients {
            if index == bigPatientPosition { try plan(bigPatient: ()).emitResources(emit) }
            try plan(index).emitResources(emit)
        }
        if patients == 0 { try plan(bigPatient: ()).emitResources(emit) }
    }

    // MARK: Shared resources

    static func organisationID(_ index: Int) -> String { "bo-\(pad(index, 3))" }
    static func practitionerID(_ index: Int) -> String { "bpr-\(pad(index, 4))" }

    func sharedResources() -> [JSON] {
        var resources: [JSON] = []
        for (index, organisation) in BenchTables.organisations.enumerated() {
            let town = BenchTables.towns[index % BenchTables.towns.count]
            let isTrust = organisation.kind == .trust
            resources.append(.object([
                "resourceType": "Organization",
                "id": .string(Self.organisationID(index)),
                "identifier": [["system": .string(BenchTables.odsSystem), "value": .string(organisation.ods)]],
                "active": true,
                "type": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/organization-type",
                                      "code": "prov",
                                      "display": "Healthcare Provider"]],
                          "text": isTrust ? "NHS trust" : "GP practice"]],
                "name": .string(organisation.name),
                "telecom": [["system": "phone", "value": .string("0113 496 \(pad(index, 4))"), "use": "work"]],
                "address": [["line": [.string("\(index + 1) \(BenchTables.streets[index % BenchTables.streets.count])")],
                             "city": .string(town.name), "postalCode": .string("\(town.area)\(index % town.districts + 1) 1AA"),
                             "country": "GB"]],
            ]))
        }
        for index in 0..<BenchTables.practitionerCount {
            var random = BenchRandom(seed: seed, stream: 0xBE7C_0000_0000 + UInt64(index))
            let female = random.chance(0.55)
            let organisation = index % BenchTables.organisations.count
            resources.append(.object([
                "resourceType": "Practitioner",
                "id": .string(Self.practitionerID(index)),
                "identifier": [["system": .string(BenchTables.gmcSystem), "value": .string("7\(pad(100_000 + index * 37, 6))")]],
                "active": true,
                "name": [["use": "official", "family": .string(BenchTables.familyNames[random.weighted(BenchTables.familyWeights)]),
                          "given": [.string(random.pick(female ? BenchTables.femaleGivenNames : BenchTables.maleGivenNames))],
                          "prefix": ["Dr"]]],
                "telecom": [["system": "email", "value": .string("clinician.\(index)@bench.nhs.example"), "use": "work"]],
                "gender": female ? "female" : "male",
                "qualification": [["code": ["text": BenchTables.organisations[organisation].kind == .trust
                                                ? "Hospital doctor" : "General practitioner"],
                                   "issuer": ["reference": .string("Organization/\(Self.organisationID(organisation))")]]],
            ]))
        }
        return resources
    }

    /// The practitioners working for organisation `organisation`.
    static func practitioners(of organisation: Int) -> [Int] {
        Array(stride(from: organisation, to: BenchTables.practitionerCount, by: BenchTables.organisations.count))
    }

    // MARK: People

    static func patientID(_ index: Int) -> String { "bp-\(pad(index, 7))" }

    /// A valid NHS number (modulus 11) in the 999 test range, unique to the person: the first
    /// of serials 3n, 3n+1, 3n+2 whose check digit is not 10. Two neighbouring serials whose
    /// last digits differ by one have different check digits, so one of three always works.
    static func nhsNumber(_ index: Int) -> String {
        for serial in (index * 3)..<(index * 3 + 3) {
            let nine = "999" + pad(serial, 6)
            var sum = 0
            for (position, digit) in nine.utf8.enumerated() { sum += Int(digit - UInt8(ascii: "0")) * (10 - position) }
            let check = (11 - sum % 11) % 11
            if check != 10, NHSNumber.isValid(nine + String(check)) { return nine + String(check) }
        }
        preconditionFailure("no NHS number for person \(index)")
    }

    /// Person `index`: every draw their record needs.
    func plan(_ index: Int) -> BenchPersonPlan {
        var random = BenchRandom(seed: seed, stream: UInt64(index))
        let counts = BenchPersonPlan.Counts(
            encounters: random.int(8...12), conditions: random.int(1...5), observations: random.int(24...33),
            medications: random.int(3...7), carePlans: random.int(1...2))
        return BenchPersonPlan(index: index, id: Self.patientID(index), nhsNumber: Self.nhsNumber(index), counts: counts,
                               random: &random)
    }

    /// The person with 2,000 resources in their compartment: 1 Patient, 1 Provenance, 1
    /// CareTeam, 300 Encounters, 60 Conditions, 1,400 Observations, 217 MedicationRequests
    /// and 20 CarePlans.
    func plan(bigPatient: Void) -> BenchPersonPlan {
        var random = BenchRandom(seed: seed, stream: 0xB16_0000_0000)
        let counts = BenchPersonPlan.Counts(encounters: 300, conditions: 60, observations: 1400, medications: 217, carePlans: 20)
        precondition(counts.total == Self.bigPatientResources)
        return BenchPersonPlan(index: Self.maxPatients, id: Self.bigPatientID, nhsNumber: Self.nhsNumber(Self.maxPatients),
                               counts: counts, random: &random, recordStartYear: 1990)
    }
}
