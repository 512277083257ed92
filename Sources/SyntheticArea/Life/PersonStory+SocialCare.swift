import FHIR

/// Contacts, Care Act assessments, reablement, long-term services, reviews and respite.
extension PersonStory {
    /// A contact or request for support, recorded by the council's front door.
    mutating func contactRequest(on day: Day, source: (String, String), outcome: (String, String)) -> String {
        markKnown(resident, on: day)
        let id = nextID("s")
        var object: JSONObject = ["resourceType": "ServiceRequest", "id": .string(id), "extension": [
            FHIRBuild.valueExtension(AreaIdentifiers.contactSourceExtension, "valueCoding", FHIRBuild.coding(AreaIdentifiers.contactSource, source.0, source.1)),
            FHIRBuild.valueExtension(AreaIdentifiers.contactOutcomeExtension, "valueCoding", FHIRBuild.coding(AreaIdentifiers.contactOutcome, outcome.0, outcome.1)),
        ]]
        object["status"] = "completed"
        object["intent"] = "proposal"
        object["code"] = FHIRBuild.concept(AreaIdentifiers.socialCareService, "request-for-support", "Request for support")
        object["subject"] = FHIRBuild.reference("Patient", patient)
        object["authoredOn"] = .string(day.description)
        switch source.0 {
        case "hospital": object["requester"] = FHIRBuild.reference("Organization", AreaContext.acuteTrust)
        case "gp": object["requester"] = FHIRBuild.reference("Organization", household.practice)
        case "self": object["requester"] = FHIRBuild.reference("Patient", patient)
        default: break
        }
        object["performer"] = [FHIRBuild.reference("Organization", AreaContext.council)]
        resources.append(.object(object))
        return id
    }

    /// A contact from the community: people already supported are handled by their reviews.
    mutating func communityContact(on day: Day) {
        guard careHome == nil, openLongTermService == nil, !episodes.contains(where: { $0.code == "reablement" && $0.end.map { $0 > day } ?? true })
        else { return }
        let social = parameters.socialCare
        let source = social.contactSources[generator.weighted(social.contactSources)]
        let outcome = social.contactOutcomes[generator.weighted(social.contactOutcomes)]
        let contact = contactRequest(on: day, source: (source.code, source.display), outcome: (outcome.code, outcome.display))
        switch outcome.code {
        case "assessment": assess(on: day + generator.between(7, 28), basedOn: contact, service: nil, startsOn: nil)
        case "reablement": startReablement(on: day + generator.between(2, 10), basedOn: contact, discharge: nil)
        case "equipment": equipment(on: day + generator.between(3, 14))
        default: break
        }
    }

    var openLongTermService: Int? {
        services.indices.last { services[$0].isLongTerm && services[$0].end == nil && services[$0].subject == patient }
    }

    /// A Care Act assessment against the ten outcomes. `service` forces the service that
    /// follows (a discharge or the end of reablement has already decided it); otherwise an
    /// eligible person gets one drawn from the parameters.
    mutating func assess(on day: Day, basedOn contact: String, service: String?, startsOn: Day?) {
        guard day < gone, !inHospital(on: day) || service != nil else { return }
        let social = parameters.socialCare
        let age = age(on: day)
        let chance = min(0.95, social.outcomeUnableBase + social.outcomeUnablePerCondition * Double(resident.conditions.count)
            + (age >= 85 ? social.outcomeUnableAged85Plus : 0))
        let hasChild = household.residents.contains { $0.id != patient && $0.age(on: day) < 18 && ($0.arrives ?? context.start) <= day }
        var unable = 0
        var items: [JSON] = []
        for (index, outcome) in CareActQuestionnaires.adultOutcomes.enumerated() {
            let applies = !(outcome.linkId == "h" && age >= 70) && !(outcome.linkId == "j" && !hasChild)
            let status: (String, String)
            if !applies {
                status = ("not-applicable", "Not applicable")
            } else if service != nil && index < 2 || generator.chance(chance) {
                // A person whose need has already been judged long-term cannot achieve at
                // least the first two outcomes.
                let reason = social.unableReasons[generator.weighted(social.unableReasons)]
                status = (reason.code, reason.display)
                unable += 1
            } else {
                status = ("achieved", "Able to achieve it")
            }
            items.append(["linkId": .string(outcome.linkId), "text": .string(outcome.text),
                          "answer": [["valueCoding": FHIRBuild.coding(AreaIdentifiers.outcomeStatus, status.0, status.1)]]])
        }
        let impairment = service != nil || !resident.conditions.isEmpty || age >= 80 || generator.chance(0.6)
        let wellbeing = unable > 0 && (service != nil || generator.chance(0.9))
        let eligible = impairment && unable >= 2 && wellbeing
        let id = nextID("q")
        resources.append(questionnaireResponse(id, CareActQuestionnaires.careAct, subject: ("Patient", patient), on: day, basedOn: contact, items: [
            ["linkId": "impairment", "text": "Needs arise from or relate to a physical or mental impairment or illness", "answer": [["valueBoolean": .bool(impairment)]]],
            ["linkId": "outcomes", "text": "Outcomes", "item": .array(items)],
            ["linkId": "wellbeing", "text": "Significant impact on well-being", "answer": [["valueBoolean": .bool(wellbeing)]]],
            ["linkId": "eligible", "text": "Eligible needs", "answer": [["valueBoolean": .bool(eligible)]]],
        ]))
        considerCarer(on: day)
        if eligible {
            let kind = service ?? social.longTermServices[generator.weighted(social.longTermServices)].code
            startLongTerm(kind, on: startsOn ?? day + generator.between(7, 21), basedOn: contact, assessment: id)
        } else if generator.chance(social.equipmentShare) {
            equipment(on: day + generator.between(3, 14))
        }
    }

    mutating func questionnaireResponse(_ id: String, _ questionnaire: String, subject: (String, String), on day: Day, basedOn: String?, items: [JSON]) -> JSON {
        var object: JSONObject = ["resourceType": "QuestionnaireResponse", "id": .string(id)]
        if let basedOn { object["basedOn"] = [FHIRBuild.reference("ServiceRequest", basedOn)] }
        object["questionnaire"] = .string(questionnaire)
        object["status"] = "completed"
        object["subject"] = FHIRBuild.reference(subject.0, subject.1)
        object["authored"] = .string(day.dateTime(minute: generator.between(9 * 60, 17 * 60)))
        object["author"] = FHIRBuild.reference("Organization", AreaContext.council)
        object["item"] = .array(items)
        return .object(object)
    }

    /// Up to six weeks of free reablement; after a discharge, where the person is 91 days on
    /// is checked (the national metric).
    mutating func startReablement(on day: Day, basedOn contact: String, discharge: (encounter: String, day: Day)?) {
        guard day < gone, !inHospital(on: day) || discharge != nil else { return }
        markKnown(resident, on: day)
        let ends = day + generator.between(parameters.socialCare.reablementDays)
        episodes.append(Episode(id: nextID("ep"), code: "reablement", display: "Reablement", start: day, end: nil,
                                managingOrganization: AreaContext.council, referral: contact, discharge: discharge))
        schedule(.reablementEnds(episode: episodes.count - 1), on: ends)
        if let discharge { schedule(.reablementOutcome(episode: episodes.count - 1), on: discharge.day + 91) }
        if generator.chance(parameters.socialCare.equipmentShare) { equipment(on: day + generator.between(0, 7)) }
    }

    mutating func reablementEnds(_ index: Int, on day: Day) {
        guard episodes[index].end == nil else { return }
        episodes[index].end = day
        let next = parameters.socialCare.afterReablement[generator.weighted(parameters.socialCare.afterReablement)].code
        guard next != "none", careHome == nil, openLongTermService == nil, let contact = episodes[index].referral else { return }
        assess(on: day, basedOn: contact, service: next, startsOn: day + 1)
    }

    mutating func reablementOutcome(_ index: Int, on day: Day) {
        let outcome: (String, String)
        if resident.dies.map({ $0 <= day }) == true {
            outcome = ("died", "Died")
        } else if inHospital(on: day) {
            outcome = ("in-hospital", "In hospital")
        } else if let careHome, services[careHome].start <= day {
            outcome = ("in-care-home", "In a care home")
        } else {
            outcome = ("at-home", "At home")
        }
        var object: JSONObject = ["resourceType": "Observation", "id": .string(nextID("o")), "status": "final"]
        object["code"] = FHIRBuild.concept(AreaIdentifiers.observationCode, "reablement-91-day-outcome",
                                           "Where the person is 91 days after discharge into reablement")
        object["subject"] = FHIRBuild.reference("Patient", patient)
        object["focus"] = [FHIRBuild.reference("EpisodeOfCare", episodes[index].id)]
        if let discharge = episodes[index].discharge { object["encounter"] = FHIRBuild.reference("Encounter", discharge.encounter) }
        object["effectiveDateTime"] = .string(day.description)
        object["valueCodeableConcept"] = FHIRBuild.concept(AreaIdentifiers.reablementOutcome, outcome.0, outcome.1)
        resources.append(.object(object))
    }

    /// A long-term service: home care, a direct payment, or a permanent care home place. A
    /// new one replaces what the person had at home.
    mutating func startLongTerm(_ kind: String, on day: Day, basedOn contact: String?, assessment: String?, firstReview: Bool = true) {
        guard day < gone || day < context.start else { return }
        let social = parameters.socialCare
        let providers = context.providers
        for index in services.indices where services[index].isLongTerm && services[index].end == nil && services[index].subject == patient {
            services[index].end = day
            services[index].endReason = kind == "residential" || kind == "nursing"
                ? ("moved-to-care-home", "Moved into a care home") : ("replaced", "Replaced by another service")
        }
        var funding = "council"
        let service: Service
        switch kind {
        case "residential", "nursing":
            let homes = kind == "nursing" ? providers.nursingHomes : providers.residentialHomes
            let home = homes[generator.weighted(homes.map { Double($0.beds) })]
            if kind == "nursing" {
                let chc = generator.chance(social.continuingHealthcareShareOfNursing)
                funding = chc ? "continuing-healthcare" : "council-with-funded-nursing-care"
                episodes.append(Episode(id: nextID("ep"), code: chc ? "continuing-healthcare" : "funded-nursing-care",
                                        display: chc ? "NHS continuing healthcare" : "NHS-funded nursing care", start: day, end: nil,
                                        managingOrganization: AreaContext.icb, referral: nil, discharge: nil))
            }
            service = Service(id: nextID("s"), code: kind, display: kind == "nursing" ? "Permanent nursing care home placement" : "Permanent residential care home placement",
                              subject: patient, start: day, provider: home.id, hoursPerWeek: nil, weeklyCostPence: home.weeklyPence,
                              oneOffCostPence: nil, funding: funding, basedOn: contact, assessment: assessment)
            careHome = services.count
        case "direct-payment":
            service = Service(id: nextID("s"), code: kind, display: "Direct payment", subject: patient, start: day, provider: nil, hoursPerWeek: nil,
                              weeklyCostPence: generator.between(social.directPaymentWeeklyPence) / 100 * 100, oneOffCostPence: nil,
                              funding: funding, basedOn: contact, assessment: assessment)
        default:
            let provider = providers.homeCare[generator.pick(Array(providers.homeCare.indices))]
            // More small packages than large ones: the smaller of two draws.
            let hours = min(generator.between(social.homeCareHoursPerWeek), generator.between(social.homeCareHoursPerWeek))
            if age(on: day) >= 85, generator.chance(social.continuingHealthcareShareOfHomeCare85Plus) {
                funding = "continuing-healthcare"
                episodes.append(Episode(id: nextID("ep"), code: "continuing-healthcare", display: "NHS continuing healthcare", start: day, end: nil,
                                        managingOrganization: AreaContext.icb, referral: nil, discharge: nil))
            }
            service = Service(id: nextID("s"), code: "home-care", display: "Home care", subject: patient, start: day, provider: provider.id,
                              hoursPerWeek: hours, weeklyCostPence: hours * provider.hourlyPence, oneOffCostPence: nil,
                              funding: funding, basedOn: contact, assessment: assessment)
        }
        services.append(service)
        if funding != "continuing-healthcare" { financialAssessment(on: day) }
        var review = firstReview ? day + 7 * social.firstReviewWeeks : day.adding(months: social.reviewEveryMonths)
        while review < context.start { review = review.adding(months: social.reviewEveryMonths) }
        schedule(.review(service: services.count - 1), on: review)
        considerCarer(on: max(day, context.start))
    }

    /// A review of a long-term service: it may go on, change or end.
    mutating func review(_ index: Int, on day: Day) {
        guard day < gone, services[index].end == nil else { return }
        let social = parameters.socialCare
        let outcome = services[index].isPlacement ? social.reviewOutcomes.first { $0.code == "no-change" } ?? social.reviewOutcomes[0]
            : social.reviewOutcomes[generator.weighted(social.reviewOutcomes)]
        resources.append(encounter(nextID("e"), classCode: ("HH", "home health"),
                                   type: FHIRBuild.concept(AreaIdentifiers.encounterType, "social-care-review", "Review of social care support"),
                                   start: day.description, end: day.description, provider: AreaContext.council, basedOn: services[index].id,
                                   extensions: [FHIRBuild.valueExtension(AreaIdentifiers.reviewOutcomeExtension, "valueCoding",
                                                                         FHIRBuild.coding(AreaIdentifiers.reviewOutcome, outcome.code, outcome.display))]))
        let old = services[index]
        switch outcome.code {
        case "ended":
            services[index].end = day
            services[index].endReason = ("no-longer-needed", "Support no longer needed")
        case "increased", "decreased":  // placements only ever get no-change (above)
            let up = outcome.code == "increased"
            services[index].end = day
            services[index].endReason = (up ? "increased" : "decreased", up ? "Support increased at review" : "Support decreased at review")
            let hours = old.hoursPerWeek.map { max(1, $0 + (up ? 1 : -1) * generator.between(1, 5)) }
            let weekly = old.weeklyCostPence.map { cost in
                hours.flatMap { h in old.hoursPerWeek.map { cost / max(1, $0) * h } } ?? max(1000, cost + (up ? 1 : -1) * cost / 5)
            }
            services.append(Service(id: nextID("s"), code: old.code, display: old.display, subject: patient, start: day + 1, provider: old.provider,
                                    hoursPerWeek: hours, weeklyCostPence: weekly, oneOffCostPence: nil, funding: old.funding,
                                    basedOn: old.basedOn, assessment: old.assessment))
            schedule(.review(service: services.count - 1), on: day.adding(months: social.reviewEveryMonths))
        default:
            schedule(.review(service: index), on: day.adding(months: social.reviewEveryMonths))
        }
    }

    /// A short stay in a care home to give a carer a break.
    mutating func respite(on day: Day) {
        guard careHome == nil, openLongTermService != nil, carer != nil else { return }
        let nursing = resident.conditions.count >= 4
        let homes = nursing ? context.providers.nursingHomes : context.providers.residentialHomes
        let home = homes[generator.weighted(homes.map { Double($0.beds) })]
        let end = day + generator.between(7, 14)
        services.append(Service(id: nextID("s"), code: nursing ? "nursing-respite" : "residential-respite",
                                display: nursing ? "Respite stay in a nursing home" : "Respite stay in a residential home", subject: patient,
                                start: day, end: min(end, gone), endReason: end < gone ? ("planned-end", "Planned end") : nil,
                                provider: home.id, hoursPerWeek: nil, weeklyCostPence: home.weeklyPence, oneOffCostPence: nil,
                                funding: "council", basedOn: nil, assessment: nil))
    }

    /// Community equipment and adaptations: free up to £1,000; major ones through the
    /// Disabled Facilities Grant.
    mutating func equipment(on day: Day) {
        guard day < gone else { return }
        markKnown(resident, on: day)
        let social = parameters.socialCare
        for _ in 0..<generator.between(1, 3) {
            let item = social.equipment[generator.weighted(social.equipment.map(\.weight))]
            resources.append([
                "resourceType": "DeviceRequest",
                "id": .string(nextID("d")),
                "extension": [FHIRBuild.valueExtension(AreaIdentifiers.costPence, "valueInteger", FHIRBuild.integer(item.costPence))],
                "status": "completed",
                "intent": "order",
                "codeCodeableConcept": FHIRBuild.concept(AreaIdentifiers.equipment, item.code, item.display),
                "subject": FHIRBuild.reference("Patient", patient),
                "occurrenceDateTime": .string(day.description),
                "authoredOn": .string(day.description),
                "requester": FHIRBuild.reference("Organization", AreaContext.council),
                "performer": FHIRBuild.reference("Organization", AreaContext.communityTrust),
            ])
        }
        for (code, display, share, range, funding) in [
            ("minor-adaptation", "Minor adaptation", social.minorAdaptationShare, social.minorAdaptationPence, "council"),
            ("major-adaptation", "Major adaptation", social.majorAdaptationShare, social.majorAdaptationPence, "disabled-facilities-grant"),
        ] where generator.chance(share) {
            let done = day + generator.between(7, 120)
            services.append(Service(id: nextID("s"), code: code, display: display, subject: patient, start: day,
                                    end: min(done, gone), endReason: done < gone ? ("completed", "Completed") : nil, provider: nil,
                                    hoursPerWeek: nil, weeklyCostPence: nil, oneOffCostPence: generator.between(range) / 100 * 100,
                                    funding: funding, basedOn: nil, assessment: nil))
        }
    }
}
