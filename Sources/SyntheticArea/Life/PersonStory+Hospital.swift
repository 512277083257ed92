import FHIR

/// GP consultations, A&E, falls and hospital stays, and what follows a discharge.
extension PersonStory {
    private static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    private static let admitSource = "http://terminology.hl7.org/CodeSystem/admit-source"
    private static let disposition = "http://terminology.hl7.org/CodeSystem/discharge-disposition"

    enum AfterDischarge {
        case usualPlace
        case reablement
        case longTermCare
    }

    mutating func gpConsultation(on day: Day) {
        let minute = generator.between(8 * 60, 18 * 60)
        resources.append(encounter(nextID("e"), classCode: ("AMB", "ambulatory"), type: FHIRBuild.concept(FHIRBuild.snomed, "11429006", "Consultation"),
                                   start: day.dateTime(minute: minute), end: day.dateTime(minute: minute + 10), provider: household.practice))
    }

    mutating func emergencyDepartment(on day: Day) {
        let reasons = parameters.activity.emergencyDepartmentReasons
        let reason = reasons[generator.weighted(reasons)]
        attendEmergencyDepartment(on: day, reason: FHIRBuild.concept(FHIRBuild.snomed, reason.code, reason.display), admitted: false)
    }

    /// A fall that reaches A&E: recorded as a diagnosis (it counts towards frailty) and
    /// sometimes an emergency admission.
    mutating func fall(on day: Day) {
        let fall = FHIRBuild.concept(FHIRBuild.snomed, "217082002", "Accidental fall")
        let admitted = generator.chance(parameters.activity.fallsAdmittedShare)
        let attendance = attendEmergencyDepartment(on: day, reason: fall, admitted: admitted)
        resources.append([
            "resourceType": "Condition",
            "id": .string(nextID("c")),
            "clinicalStatus": FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved"),
            "verificationStatus": FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            "category": [FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis")],
            "code": fall,
            "subject": FHIRBuild.reference("Patient", patient),
            "encounter": FHIRBuild.reference("Encounter", attendance),
            "onsetDateTime": .string(day.description),
        ])
        if admitted {
            // A fall that is admitted is often a broken hip in old age.
            let reason = age(on: day) >= 65 && generator.chance(0.3)
                ? FHIRBuild.concept(FHIRBuild.snomed, "5913000", "Fracture of neck of femur") : fall
            admit(on: day, emergency: true, reason: reason, source: ("emd", "From accident/emergency department"))
        }
    }

    /// An emergency admission; `terminal` when it is the stay the person dies in.
    mutating func emergencyAdmission(on day: Day, reason: JSON?, terminal: Bool = false) {
        let reasons = parameters.activity.emergencyReasons
        let drawn = reasons[generator.weighted(reasons)]
        let reason = reason ?? FHIRBuild.concept(FHIRBuild.snomed, drawn.code, drawn.display)
        if generator.chance(parameters.activity.emergencyAdmissionsThroughEDShare) {
            attendEmergencyDepartment(on: day, reason: reason, admitted: true)
            admit(on: day, emergency: true, reason: reason, source: ("emd", "From accident/emergency department"), terminal: terminal)
        } else if careHome != nil, services[careHome!].code == "nursing" {
            admit(on: day, emergency: true, reason: reason, source: ("nursing", "From nursing home"), terminal: terminal)
        } else {
            admit(on: day, emergency: true, reason: reason, source: ("gp", "General Practitioner referral"), terminal: terminal)
        }
    }

    mutating func electiveAdmission(on day: Day) {
        let reasons = parameters.activity.electiveReasons
        let reason = reasons[generator.weighted(reasons)]
        admit(on: day, emergency: false, reason: FHIRBuild.concept(FHIRBuild.snomed, reason.code, reason.display),
              source: ("outp", "From outpatient department"))
    }

    @discardableResult
    private mutating func attendEmergencyDepartment(on day: Day, reason: JSON, admitted: Bool) -> String {
        let id = nextID("e")
        let arrival = generator.between(0, 20 * 60)
        let hospitalization: JSON? = admitted ? nil : ["dischargeDisposition": FHIRBuild.concept(Self.disposition, "home", "Home")]
        resources.append(encounter(id, classCode: ("EMER", "emergency"),
                                   type: FHIRBuild.concept(FHIRBuild.snomed, "4525004", "Emergency department patient visit"),
                                   start: day.dateTime(minute: arrival), end: day.dateTime(minute: arrival + generator.between(60, 240)),
                                   provider: AreaContext.acuteTrust, reason: reason, hospitalization: hospitalization))
        return id
    }

    /// A hospital stay: its length by age, a death within it, where the person goes after,
    /// and any delay in getting there.
    private mutating func admit(on day: Day, emergency: Bool, reason: JSON, source: (String, String), terminal: Bool = false) {
        let activity = parameters.activity
        let age = age(on: day)
        let stay = emergency
            ? generator.days(mean: activity.emergencyLengthOfStayDays.value(at: age))
            : (generator.chance(activity.electiveDayCaseShare) ? 0 : max(1, generator.days(mean: activity.electiveLengthOfStayDays.value(at: age))))
        var discharge = terminal ? max(day, resident.dies ?? day) : day + stay
        var after = AfterDischarge.usualPlace
        let social = parameters.socialCare
        if emergency, !terminal, careHome == nil, age >= 65 {
            let draw = generator.unit()
            let reablement = min(0.9, social.dischargeToReablementShare65Plus * frailty)
            let longTerm = min(0.9 - reablement, social.dischargeToLongTermCareShare65Plus * frailty)
            after = draw < reablement ? .reablement : draw < reablement + longTerm ? .longTermCare : .usualPlace
        }
        /// The long-term service chosen for the person (home care, a care home...).
        var longTermKind: String?
        if after == .longTermCare {
            longTermKind = social.longTermServices[generator.weighted(social.longTermServices)].code
        }
        var extensions: [JSON] = []
        if after != .usualPlace, generator.chance(social.delayedDischargeShare) {
            let delay = max(1, generator.days(mean: social.delayedDischargeMeanDays))
            let toCareHome = longTermKind == "residential" || longTermKind == "nursing"
            let reasons = social.delayReasons.filter { reason in
                if reason.code.hasPrefix("D") { return toCareHome }
                if ["E", "F", "I"].contains(reason.code) { return !toCareHome }
                return true
            }
            let reason = reasons.isEmpty ? social.delayReasons[0]
                : reasons[generator.weighted(reasons.map(\.weight))]
            let ready = discharge
            discharge = ready + delay
            extensions.append(["url": .string(AreaIdentifiers.delayedTransfer), "extension": [
                FHIRBuild.valueExtension("readyForDischarge", "valueDate", .string(ready.description)),
                FHIRBuild.valueExtension("daysDelayed", "valueInteger", FHIRBuild.integer(min(delay, max(0, context.end - ready)))),
                FHIRBuild.valueExtension("reason", "valueCoding", FHIRBuild.coding(AreaIdentifiers.delayReason, reason.code, reason.display)),
                FHIRBuild.valueExtension("responsibleAgency", "valueCode", .string(reason.agency)),
            ]])
        }
        var died = false
        if let dies = resident.dies, dies >= day, dies <= discharge {
            discharge = dies
            died = true
        }
        hospital = (day, discharge + 1)
        let id = nextID("e")
        let finished = discharge < context.end
        var hospitalization: JSONObject = ["admitSource": FHIRBuild.concept(Self.admitSource, source.0, source.1)]
        if finished {
            // Where the person goes: the care home chosen now, or the one they came from.
            let destination = longTermKind ?? careHome.map { services[$0].code }
            hospitalization["dischargeDisposition"] = died ? FHIRBuild.concept(Self.disposition, "exp", "Expired")
                : destination == "nursing" ? FHIRBuild.concept(Self.disposition, "snf", "Skilled nursing facility")
                : destination == "residential" ? FHIRBuild.concept(Self.disposition, "long", "Long-term care")
                : FHIRBuild.concept(Self.disposition, "home", "Home")
        }
        let admitted = generator.between(6 * 60, 22 * 60)
        resources.append(encounter(id, classCode: !emergency && stay == 0 ? ("SS", "short stay") : ("IMP", "inpatient encounter"),
                                   type: emergency ? FHIRBuild.concept(FHIRBuild.snomed, "183452005", "Emergency hospital admission")
                                       : FHIRBuild.concept(FHIRBuild.snomed, "8715000", "Hospital admission, elective"),
                                   priority: emergency ? FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/v3-ActPriority", "EM", "emergency")
                                       : FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/v3-ActPriority", "EL", "elective"),
                                   start: day.dateTime(minute: admitted),
                                   end: finished ? discharge.dateTime(minute: stay == 0 ? admitted + 240 : generator.between(10 * 60, 18 * 60)) : nil,
                                   provider: AreaContext.acuteTrust, reason: reason, hospitalization: .object(hospitalization), extensions: extensions))
        guard finished, !died, discharge < gone else { return }
        switch after {
        case .usualPlace: break
        case .reablement:
            let contact = contactRequest(on: discharge - 1 < day ? day : discharge - 1, source: ("hospital", "Hospital discharge team"),
                                         outcome: ("reablement", "Short-term support to maximise independence"))
            startReablement(on: discharge, basedOn: contact, discharge: (id, discharge))
        case .longTermCare:
            let contact = contactRequest(on: day + min(1, stay), source: ("hospital", "Hospital discharge team"),
                                         outcome: ("assessment", "Care Act assessment"))
            assess(on: max(day + min(1, stay), discharge - 2), basedOn: contact, service: longTermKind, startsOn: discharge)
        }
    }

    func encounter(_ id: String, classCode: (String, String), type: JSON, priority: JSON? = nil, start: String, end: String?,
                   provider: String, basedOn: String? = nil, reason: JSON? = nil, hospitalization: JSON? = nil,
                   extensions: [JSON] = []) -> JSON {
        var object: JSONObject = ["resourceType": "Encounter", "id": .string(id)]
        if !extensions.isEmpty { object["extension"] = .array(extensions) }
        object["status"] = end == nil ? "in-progress" : "finished"
        object["class"] = FHIRBuild.coding(Self.actCode, classCode.0, classCode.1)
        object["type"] = [type]
        if let priority { object["priority"] = priority }
        object["subject"] = FHIRBuild.reference("Patient", patient)
        if let basedOn { object["basedOn"] = [FHIRBuild.reference("ServiceRequest", basedOn)] }
        object["period"] = FHIRBuild.period(start, end)
        if let reason { object["reasonCode"] = [reason] }
        if let hospitalization { object["hospitalization"] = hospitalization }
        object["serviceProvider"] = FHIRBuild.reference("Organization", provider)
        return .object(object)
    }
}
