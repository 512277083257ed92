import FHIR

/// One person of the search benchmark's population: every draw made up front (cheap, no
/// JSON), so the query files can sample thousands of people quickly, and the resources
/// built from it on demand by `emitResources`.
struct BenchPersonPlan {
    struct Counts {
        var encounters: Int
        var conditions: Int
        var observations: Int
        var medications: Int
        var carePlans: Int

        /// The Patient, CareTeam and Provenance included.
        var total: Int { 3 + encounters + conditions + observations + medications + carePlans }
    }

    struct Encounter {
        var kind: Int
        var type: Int
        var day: Int
        /// Start, in minutes from the start of `day`.
        var minute: Int
        var length: Int
        var practitioner: Int
        var organisation: Int
    }

    struct Condition {
        var kind: Int
        var encounter: Int
        /// Days from onset to abatement, for conditions that resolve.
        var abatedAfter: Int?
    }

    struct Observation {
        var kind: Int
        var encounter: Int
        /// Minutes after the encounter's start.
        var offset: Int
        var value: Int
        /// The diastolic pressure of a blood pressure panel (whose `value` is the systolic).
        var second: Int
    }

    struct Medication {
        var medicine: Int
        var encounter: Int
        var status: String
        var reason: Int?
    }

    struct CarePlan {
        var category: Int
        var encounter: Int
        var active: Bool
        var activities: [Int]
        var condition: Int?
    }

    let index: Int
    let id: String
    let nhsNumber: String
    let mrn: String
    let family: String
    let given: [String]
    let gender: String
    let birthDay: Int
    let address: (line: String, city: String, postalCode: String)
    let phone: String
    /// Index of the GP practice among all organisations, and of the registered GP.
    let practice: Int
    let gp: Int
    let encounters: [Encounter]
    let conditions: [Condition]
    let observations: [Observation]
    let medications: [Medication]
    let carePlans: [CarePlan]
    let careTeam: [(practitioner: Int, role: Int)]

    static let firstBirthDay = BenchDay.day(1920, 1, 1)
    static let lastBirthDay = BenchDay.day(2024, 12, 31)
    static let recordEnd = BenchDay.day(2025, 6, 30)

    init(index: Int, id: String, nhsNumber: String, counts: Counts, random: inout BenchRandom, recordStartYear: Int = 2015) {
        self.index = index
        self.id = id
        self.nhsNumber = nhsNumber
        mrn = "M" + pad((index &* 7919 &+ 104_729) % 100_000_000, 8)
        let female = random.chance(0.51)
        gender = female ? "female" : "male"
        family = BenchTables.familyNames[random.weighted(BenchTables.familyWeights)]
        let names = female ? BenchTables.femaleGivenNames : BenchTables.maleGivenNames
        given = random.chance(0.4) ? [random.pick(names), random.pick(names)] : [random.pick(names)]
        birthDay = recordStartYear < 2015
            ? random.int(BenchDay.day(1935, 1, 1)...BenchDay.day(1950, 12, 31))
            : random.int(Self.firstBirthDay...Self.lastBirthDay)
        let town = random.pick(BenchTables.towns)
        let letters = BenchTables.postcodeLetters
        address = (line: "\(random.int(1...240)) \(random.pick(BenchTables.streets))", city: town.name,
                   postalCode: "\(town.area)\(random.int(1...town.districts)) \(random.int(1...9))\(random.pick(letters))\(random.pick(letters))")
        phone = "07700 900\(pad(random.below(1000), 3))"
        let practice = BenchTables.trustCount + random.below(BenchTables.practiceCount)
        let practiceStaff = BenchPopulation.practitioners(of: practice)
        let gp = random.pick(practiceStaff)
        self.practice = practice
        self.gp = gp

        // Encounters over the record's window, in date order.
        let windowStart = max(birthDay, BenchDay.day(recordStartYear, 1, 1))
        let days = (0..<counts.encounters).map { _ in random.int(windowStart...Self.recordEnd) }.sorted()
        let encounters = days.map { day in
            let kind = random.weighted(BenchTables.encounterWeights)
            let description = BenchTables.encounterKinds[kind]
            let organisation = description.inHospital ? random.below(BenchTables.trustCount) : practice
            let staff = description.inHospital ? BenchPopulation.practitioners(of: organisation) : practiceStaff
            return Encounter(kind: kind, type: random.below(description.types.count), day: day,
                             minute: description.inHospital ? random.int(0...1439) : random.int(480...1050),
                             length: random.int(description.length),
                             practitioner: random.chance(0.6) && !description.inHospital ? gp : random.pick(staff),
                             organisation: organisation)
        }
        self.encounters = encounters
        let encounterCount = encounters.count

        // Conditions: a chronic one at most once each.
        var conditions: [Condition] = []
        var held = Set<Int>()
        for _ in 0..<counts.conditions {
            var kind = random.weighted(BenchTables.conditionWeights)
            for _ in 0..<5 where held.contains(kind) && BenchTables.conditionKinds[kind].chronic {
                kind = random.weighted(BenchTables.conditionWeights)
            }
            held.insert(kind)
            conditions.append(Condition(kind: kind, encounter: random.below(encounterCount),
                                        abatedAfter: BenchTables.conditionKinds[kind].chronic ? nil : random.int(5...40)))
        }
        self.conditions = conditions
        let chronic = conditions.indices.filter { conditions[$0].abatedAfter == nil }

        self.observations = (0..<counts.observations).map { _ in
            let kind = random.weighted(BenchTables.observationWeights)
            let encounter = random.below(encounterCount)
            let description = BenchTables.observationKinds[kind]
            let isPressure = description.code == BenchTables.bloodPressure.code
            return Observation(kind: kind, encounter: encounter, offset: random.int(0...min(encounters[encounter].length, 60)),
                               value: random.int(isPressure ? BenchTables.systolic.range : description.range),
                               second: isPressure ? random.int(BenchTables.diastolic.range) : 0)
        }
        let recent = Self.recordEnd - 365
        self.medications = (0..<counts.medications).map { _ in
            let encounter = random.below(encounterCount)
            let status = encounters[encounter].day >= recent ? "active" : (random.chance(0.9) ? "completed" : "stopped")
            return Medication(medicine: random.below(BenchTables.medicines.count), encounter: encounter, status: status,
                              reason: chronic.isEmpty || random.chance(0.3) ? nil : random.pick(chronic))
        }
        self.carePlans = (0..<counts.carePlans).map { _ in
            let category = random.below(BenchTables.carePlanCategories.count)
            let activities = BenchTables.carePlanCategories[category].activities.count
            return CarePlan(category: category, encounter: random.below(encounterCount), active: random.chance(0.7),
                            activities: random.chance(0.5) ? [random.below(activities)] : Array(0..<activities),
                            condition: chronic.isEmpty ? nil : random.pick(chronic))
        }
        var team = [(practitioner: gp, role: 0)]
        for _ in 0..<random.int(1...2) {
            let role = random.int(1...(BenchTables.careTeamRoles.count - 1))
            let place = role == 2 ? random.below(BenchTables.trustCount) : practice
            team.append((practitioner: random.pick(BenchPopulation.practitioners(of: place)), role: role))
        }
        careTeam = team
    }

    // MARK: Ids and facts the queries use

    func encounterID(_ n: Int) -> String { "\(id)-e\(n + 1)" }
    func conditionID(_ n: Int) -> String { "\(id)-c\(n + 1)" }
    func observationID(_ n: Int) -> String { "\(id)-o\(n + 1)" }
    func medicationID(_ n: Int) -> String { "\(id)-m\(n + 1)" }
    func carePlanID(_ n: Int) -> String { "\(id)-p\(n + 1)" }
    var careTeamID: String { "\(id)-t1" }
    var provenanceID: String { "\(id)-v1" }
    /// The hospital or practice visit number of encounter `n` (an Encounter.identifier).
    func visitNumber(_ n: Int) -> String { "V\(pad(index, 7))-\(pad(n + 1, 3))" }
    var birthDate: String { BenchDay.date(birthDay) }
    var resourceCount: Int { 3 + encounters.count + conditions.count + observations.count + medications.count + carePlans.count }

    // MARK: Resources

    /// The Patient, then the record in the order a bulk export would hold it (each resource
    /// after those it refers to), ending with the CareTeam and the Provenance.
    func emitResources(_ emit: (JSON) throws -> Void) throws {
        let subject: JSON = ["reference": .string("Patient/\(id)")]
        try emit(patient())
        for (n, encounter) in encounters.enumerated() { try emit(self.encounter(n, encounter, subject)) }
        for (n, condition) in conditions.enumerated() { try emit(self.condition(n, condition, subject)) }
        for (n, observation) in observations.enumerated() { try emit(self.observation(n, observation, subject)) }
        for (n, medication) in medications.enumerated() { try emit(self.medication(n, medication, subject)) }
        try emit(careTeamResource(subject))
        for (n, plan) in carePlans.enumerated() { try emit(carePlan(n, plan, subject)) }
        try emit(provenance())
    }

    private static func reference(_ type: String, _ id: String) -> JSON { ["reference": .string("\(type)/\(id)")] }
    private static func practitioner(_ index: Int) -> JSON { reference("Practitioner", BenchPopulation.practitionerID(index)) }
    private static func organisation(_ index: Int) -> JSON { reference("Organization", BenchPopulation.organisationID(index)) }

    private static func concept(_ system: String, _ code: String, _ display: String, text: Bool = true) -> JSON {
        var object: JSONObject = ["coding": [["system": .string(system), "code": .string(code), "display": .string(display)]]]
        if text { object["text"] = .string(display) }
        return .object(object)
    }

    private func start(_ encounter: Encounter, plus minutes: Int = 0) -> String {
        BenchDay.dateTime(encounter.day, minute: encounter.minute + minutes)
    }

    private func patient() -> JSON {
        .object([
            "resourceType": "Patient",
            "id": .string(id),
            "identifier": [
                ["system": .string(BenchTables.nhsNumberSystem), "value": .string(nhsNumber)],
                ["use": "secondary",
                 "type": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
                                      "display": "Medical record number"]]],
                 "system": .string(BenchTables.mrnSystem), "value": .string(mrn)],
            ],
            "active": true,
            "name": [["use": "official", "family": .string(family), "given": .array(given.map(JSON.string))]],
            "telecom": [["system": "phone", "value": .string(phone), "use": "mobile"]],
            "gender": .string(gender),
            "birthDate": .string(birthDate),
            "address": [["use": "home", "line": [.string(address.line)], "city": .string(address.city),
                         "postalCode": .string(address.postalCode), "country": "GB"]],
            "generalPractitioner": [Self.practitioner(gp)],
            "managingOrganization": Self.organisation(practice),
        ])
    }

    private func encounter(_ n: Int, _ encounter: Encounter, _ subject: JSON) -> JSON {
        let kind = BenchTables.encounterKinds[encounter.kind]
        let type = kind.types[encounter.type]
        return .object([
            "resourceType": "Encounter",
            "id": .string(encounterID(n)),
            "identifier": [["use": "official", "system": .string(BenchTables.visitNumberSystem), "value": .string(visitNumber(n))]],
            "status": "finished",
            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": .string(kind.classCode),
                      "display": .string(kind.classDisplay)],
            "type": [Self.concept(BenchTables.snomed, type.code, type.display)],
            "subject": subject,
            "participant": [[
                "type": [Self.concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer",
                                      text: false)],
                "individual": Self.practitioner(encounter.practitioner),
            ]],
            "period": ["start": .string(start(encounter)), "end": .string(start(encounter, plus: encounter.length))],
            "serviceProvider": Self.organisation(encounter.organisation),
        ])
    }

    private func condition(_ n: Int, _ condition: Condition, _ subject: JSON) -> JSON {
        let kind = BenchTables.conditionKinds[condition.kind]
        let encounter = encounters[condition.encounter]
        var object: JSONObject = [
            "resourceType": "Condition",
            "id": .string(conditionID(n)),
            "clinicalStatus": Self.concept("http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           condition.abatedAfter == nil ? "active" : "resolved",
                                           condition.abatedAfter == nil ? "Active" : "Resolved", text: false),
            "verificationStatus": Self.concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed",
                                               "Confirmed", text: false),
            "category": [Self.concept("http://terminology.hl7.org/CodeSystem/condition-category",
                                      kind.chronic ? "problem-list-item" : "encounter-diagnosis",
                                      kind.chronic ? "Problem List Item" : "Encounter Diagnosis", text: false)],
            "code": Self.concept(BenchTables.snomed, kind.code, kind.display),
            "subject": subject,
            "encounter": Self.reference("Encounter", encounterID(condition.encounter)),
            "onsetDateTime": .string(start(encounter)),
        ]
        if let days = condition.abatedAfter {
            object["abatementDateTime"] = .string(BenchDay.dateTime(encounter.day + days, minute: encounter.minute))
        }
        object["recordedDate"] = .string(start(encounter, plus: encounter.length))
        return .object(object)
    }

    private func observation(_ n: Int, _ observation: Observation, _ subject: JSON) -> JSON {
        let kind = BenchTables.observationKinds[observation.kind]
        let encounter = encounters[observation.encounter]
        let effective = start(encounter, plus: observation.offset)
        var object: JSONObject = [
            "resourceType": "Observation",
            "id": .string(observationID(n)),
            "status": "final",
            "category": [Self.concept("http://terminology.hl7.org/CodeSystem/observation-category", kind.category.rawValue,
                                      kind.category.display, text: false)],
            "code": Self.concept(BenchTables.loinc, kind.code, kind.display),
            "subject": subject,
            "encounter": Self.reference("Encounter", encounterID(observation.encounter)),
            "effectiveDateTime": .string(effective),
            "issued": .string(start(encounter, plus: observation.offset + (kind.category == .laboratory ? 240 : 1))),
            "performer": [Self.practitioner(encounter.practitioner)],
        ]
        if kind.code == BenchTables.bloodPressure.code {
            object["component"] = [
                ["code": Self.concept(BenchTables.loinc, BenchTables.systolic.code, BenchTables.systolic.display),
                 "valueQuantity": Self.quantity(observation.value, BenchTables.systolic)],
                ["code": Self.concept(BenchTables.loinc, BenchTables.diastolic.code, BenchTables.diastolic.display),
                 "valueQuantity": Self.quantity(observation.second, BenchTables.diastolic)],
            ]
        } else {
            object["valueQuantity"] = Self.quantity(observation.value, kind)
        }
        return .object(object)
    }

    private static func quantity(_ value: Int, _ kind: BenchTables.ObservationKind) -> JSON {
        ["value": kind.decimal ? tenths(value) : .number(String(value)), "unit": .string(kind.unit),
         "system": .string(BenchTables.ucum), "code": .string(kind.unit)]
    }

    private func medication(_ n: Int, _ medication: Medication, _ subject: JSON) -> JSON {
        let medicine = BenchTables.medicines[medication.medicine]
        let encounter = encounters[medication.encounter]
        var object: JSONObject = [
            "resourceType": "MedicationRequest",
            "id": .string(medicationID(n)),
            "status": .string(medication.status),
            "intent": "order",
            "medicationCodeableConcept": Self.concept(BenchTables.snomed, medicine.code, medicine.display),
            "subject": subject,
            "encounter": Self.reference("Encounter", encounterID(medication.encounter)),
            "authoredOn": .string(start(encounter, plus: encounter.length)),
            "requester": Self.practitioner(encounter.practitioner),
        ]
        if let reason = medication.reason {
            object["reasonReference"] = [Self.reference("Condition", conditionID(reason))]
        }
        object["dosageInstruction"] = [["text": .string(medicine.dosage)]]
        return .object(object)
    }

    private func careTeamResource(_ subject: JSON) -> JSON {
        .object([
            "resourceType": "CareTeam",
            "id": .string(careTeamID),
            "status": "active",
            "category": [Self.concept("http://loinc.org", "LA27976-2", "Encounter-focused care team", text: false)],
            "subject": subject,
            "period": ["start": .string(BenchDay.date(encounters.first?.day ?? birthDay))],
            "participant": .array(careTeam.map { member in
                let role = BenchTables.careTeamRoles[member.role]
                return ["role": [Self.concept(BenchTables.snomed, role.code, role.display)],
                        "member": Self.practitioner(member.practitioner)]
            }),
            "managingOrganization": [Self.organisation(practice)],
        ])
    }

    private func carePlan(_ n: Int, _ plan: CarePlan, _ subject: JSON) -> JSON {
        let category = BenchTables.carePlanCategories[plan.category]
        let encounter = encounters[plan.encounter]
        var object: JSONObject = [
            "resourceType": "CarePlan",
            "id": .string(carePlanID(n)),
            "status": plan.active ? "active" : "completed",
            "intent": "plan",
            "category": [Self.concept(BenchTables.snomed, category.code, category.display)],
            "subject": subject,
            "encounter": Self.reference("Encounter", encounterID(plan.encounter)),
            "period": plan.active
                ? ["start": .string(BenchDay.date(encounter.day))]
                : ["start": .string(BenchDay.date(encounter.day)), "end": .string(BenchDay.date(encounter.day + 180))],
            "careTeam": [Self.reference("CareTeam", careTeamID)],
        ]
        if let condition = plan.condition { object["addresses"] = [Self.reference("Condition", conditionID(condition))] }
        object["activity"] = .array(plan.activities.map { activity in
            let code = category.activities[activity]
            return ["detail": ["code": Self.concept(BenchTables.snomed, code.code, code.display),
                               "status": plan.active ? "in-progress" : "completed"]]
        })
        return .object(object)
    }

    private func provenance() -> JSON {
        let first = encounters.first
        return .object([
            "resourceType": "Provenance",
            "id": .string(provenanceID),
            "target": [Self.reference("Patient", id)],
            "recorded": .string(first.map { start($0) } ?? BenchDay.dateTime(birthDay, minute: 600)),
            "activity": Self.concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create", text: false),
            "agent": [[
                "type": Self.concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author",
                                     text: false),
                "who": Self.practitioner(gp),
                "onBehalfOf": Self.organisation(practice),
            ]],
        ])
    }
}
