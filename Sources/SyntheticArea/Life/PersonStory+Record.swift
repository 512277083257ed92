import FHIR

/// The person's own record: the Patient (written last, when their addresses, death and GP are
/// known, but handed out first), long-term conditions and repeat medicines.
extension PersonStory {
    mutating func writeConditionsAndMedicines() {
        var prescribed: Set<String> = []
        for (index, onset) in resident.conditions {
            let condition = parameters.health.conditions[index]
            let id = "\(patient)-ltc\(index + 1)"
            resources.append([
                "resourceType": "Condition",
                "id": .string(id),
                "clinicalStatus": FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                "verificationStatus": FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
                "category": [FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
                "code": FHIRBuild.concept(FHIRBuild.snomed, condition.snomed, condition.display),
                "subject": FHIRBuild.reference("Patient", patient),
                "onsetDateTime": .string(onset.description),
            ])
            for medicine in condition.medicines where generator.chance(medicine.share) && prescribed.insert(medicine.snomed).inserted {
                let authored = min(context.start - 1, onset + generator.between(0, 90))
                resources.append([
                    "resourceType": "MedicationRequest",
                    "id": .string(nextID("m")),
                    "status": .string(resident.dies.map { $0 < context.end } == true ? "stopped" : "active"),
                    "intent": "order",
                    "medicationCodeableConcept": FHIRBuild.concept(FHIRBuild.snomed, medicine.snomed, medicine.display),
                    "subject": FHIRBuild.reference("Patient", patient),
                    "authoredOn": .string(authored.description),
                    "requester": FHIRBuild.reference("Organization", household.practice),
                    "reasonReference": [FHIRBuild.reference("Condition", id)],
                    "courseOfTherapyType": FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy",
                                                             "continuous", "Continuous long term therapy"),
                    "dosageInstruction": [["text": "As directed"]],
                ])
            }
        }
    }

    /// Closes the story: the Patient first, then everything in the order it happened, then the
    /// services and episodes in their final state.
    mutating func finish() -> [JSON] {
        var output: [JSON] = [patientResource()]
        output.reserveCapacity(resources.count + services.count + episodes.count + 1)
        output += resources
        for service in services { output.append(service.resource(periodEnd: context.end)) }
        for episode in episodes { output.append(episode.resource(patient: patient, periodEnd: context.end)) }
        return output
    }

    private func patientResource() -> JSON {
        var object: JSONObject = ["resourceType": "Patient", "id": .string(patient)]
        if let number = resident.nhsNumber {
            object["identifier"] = [["system": .string(AreaIdentifiers.nhsNumber), "value": .string(number)]]
        }
        object["active"] = true
        object["name"] = [["use": "official", "family": .string(resident.surname), "given": [.string(resident.given)]]]
        object["gender"] = resident.female ? "female" : "male"
        object["birthDate"] = .string(resident.birth.description)
        if let dies = resident.dies, dies < context.end { object["deceasedDateTime"] = .string(dies.description) }
        object["address"] = .array(addresses())
        if household.leaves.map({ $0 < context.end }) != true {
            object["generalPractitioner"] = [FHIRBuild.reference("Organization", household.practice)]
        }
        return .object(object)
    }

    /// Every address the person had in the period, the current one `home` and the rest `old`.
    private func addresses() -> [JSON] {
        var spans: [(Address, Day?, Day?)] = []
        var kept: [JSON] = []
        if let previous = household.previousAddress, let arrives = household.arrives, resident.arrives == arrives {
            kept.append(["use": "old", "line": [.string(previous.line)], "city": .string(previous.city), "postalCode": .string(previous.postcode),
                         "country": "GB", "period": ["end": .string(arrives.description)]])
        }
        for (index, entry) in household.addresses.enumerated() {
            let until = index + 1 < household.addresses.count ? household.addresses[index + 1].from : household.leaves
            spans.append((entry.address, entry.from, until))
        }
        if let leaves = household.leaves, let to = household.leavesTo { spans.append((to, leaves, nil)) }
        let born = resident.arrives ?? Day(Int.min)
        return kept + spans.compactMap { address, start, end in
            if let end, end <= born { return nil }
            let from = start.map { max($0, resident.arrives ?? $0) }
            var object: JSONObject = ["use": end == nil ? "home" : "old", "line": [.string(address.line)], "city": .string(address.city),
                                      "postalCode": .string(address.postcode), "country": "GB"]
            if from != nil || end != nil { object["period"] = FHIRBuild.period(from?.description ?? "", end?.description) }
            if from == nil, let end { object["period"] = ["end": .string(end.description)] }
            return .object(object)
        }
    }
}
