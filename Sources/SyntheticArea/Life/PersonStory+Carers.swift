import FHIR

/// Carers and the means test.
extension PersonStory {
    /// Once per person, when they first need support: another adult at home may be recorded
    /// as their carer, assessed in their own right (Care Act, section 10) and supported.
    mutating func considerCarer(on day: Day) {
        guard !carerConsidered else { return }
        carerConsidered = true
        let social = parameters.socialCare
        let candidates = household.residents.filter { other in
            other.id != patient && other.age(on: day) >= 18 && (other.arrives ?? context.start) <= day
                && (other.dies ?? context.end) > day && (household.leaves ?? context.end) > day
        }
        guard !candidates.isEmpty, generator.chance(social.carerRecordedShare) else { return }
        let chosen = candidates[generator.pick(Array(candidates.indices))]
        let id = nextID("r")
        let gap = chosen.age(on: day) - age(on: day)
        let relationship = abs(gap) < 15 ? ("SPS", "spouse") : gap < 0 ? ("CHILD", "child") : ("PRN", "parent")
        let address = household.address(on: day)
        var person: JSONObject = ["resourceType": "RelatedPerson", "id": .string(id)]
        if let number = chosen.nhsNumber {
            person["identifier"] = [["system": .string(AreaIdentifiers.nhsNumber), "value": .string(number)]]
        }
        person["active"] = true
        person["patient"] = FHIRBuild.reference("Patient", patient)
        person["relationship"] = [FHIRBuild.concept("http://terminology.hl7.org/CodeSystem/v3-RoleCode", relationship.0, relationship.1),
                                  FHIRBuild.concept(FHIRBuild.snomed, "133932002", "Caregiver")]
        person["name"] = [["family": .string(chosen.surname), "given": [.string(chosen.given)]]]
        person["gender"] = chosen.female ? "female" : "male"
        person["birthDate"] = .string(chosen.birth.description)
        person["address"] = [["line": [.string(address.line)], "city": .string(address.city), "postalCode": .string(address.postcode)]]
        person["period"] = ["start": .string(day.description)]
        resources.append(.object(person))
        carer = (chosen, id)
        let assessed = day + generator.between(7, 42)
        guard generator.chance(social.carerAssessedShare), assessed < min(gone, chosen.dies ?? context.end), assessed >= context.start else { return }
        markKnown(chosen, on: assessed)
        let eligible = generator.chance(social.carerEligibleShare)
        var outcomes: [JSON] = []
        for outcome in CareActQuestionnaires.carerOutcomes {
            let unable = eligible ? generator.chance(0.4) : generator.chance(0.05)
            outcomes.append(["linkId": .string(outcome.linkId), "text": .string(outcome.text), "answer": [["valueBoolean": .bool(!unable)]]])
        }
        let assessment = nextID("q")
        resources.append(questionnaireResponse(assessment, AreaIdentifiers.carersAssessment, subject: ("Patient", chosen.id), on: assessed,
                                               basedOn: nil, items: [
            ["linkId": "cared-for", "text": "The adult cared for", "answer": [["valueReference": FHIRBuild.reference("Patient", patient)]]],
            ["linkId": "health-at-risk", "text": "The carer's physical or mental health is deteriorating or at risk", "answer": [["valueBoolean": .bool(eligible && generator.chance(0.5))]]],
            ["linkId": "outcomes", "text": "Outcomes the carer can achieve", "item": .array(outcomes)],
            ["linkId": "eligible", "text": "Eligible needs", "answer": [["valueBoolean": .bool(eligible)]]],
        ]))
        if eligible {
            services.append(Service(id: nextID("s"), code: "carer-support", display: "Carer's personal budget", subject: chosen.id,
                                    start: assessed + 7, end: assessed + 7, endReason: ("completed", "Paid"), provider: nil, hoursPerWeek: nil,
                                    weeklyCostPence: nil, oneOffCostPence: generator.between(20, 60) * 1000, funding: "council",
                                    basedOn: nil, assessment: assessment))
        }
    }

    /// The financial assessment (means test) inputs: capital, income, the home and who lives in
    /// it. The charge itself follows from the care rules, not from here.
    mutating func financialAssessment(on day: Day) {
        guard !financiallyAssessed else { return }
        financiallyAssessed = true
        let social = parameters.socialCare
        let band = social.capitalBands[generator.weighted(social.capitalBands.map(\.weight))]
        let capital = generator.between(band.fromPence, band.toPence) / 100 * 100
        let income = generator.between(social.weeklyIncomePence)
        let owner = age(on: day) >= 65 && generator.chance(social.homeOwnerShare65Plus)
        let qualifyingRelative = household.residents.contains { other in
            other.id != patient && (other.dies ?? context.end) > day && (other.arrives ?? context.start) <= day
                && (other.age(on: day) >= 60 || other.age(on: day) < 18 || abs(other.age(on: day) - age(on: day)) < 15)
        }
        var items: [JSON] = [
            ["linkId": "capital-pence", "text": "Capital, in pence", "answer": [["valueInteger": FHIRBuild.integer(capital)]]],
            ["linkId": "weekly-income-pence", "text": "Weekly income, in pence", "answer": [["valueInteger": FHIRBuild.integer(income)]]],
            ["linkId": "owns-home", "text": "Owns their home", "answer": [["valueBoolean": .bool(owner)]]],
        ]
        if owner {
            items.append(["linkId": "property-value-pence", "text": "Value of the home, in pence",
                          "answer": [["valueInteger": FHIRBuild.integer(generator.between(social.propertyValuePence) / 100_000 * 100_000)]]])
            items.append(["linkId": "home-occupied-by-qualifying-relative", "text": "Home still lived in by a partner, a relative 60 or over, or a child",
                          "answer": [["valueBoolean": .bool(qualifyingRelative)]]])
        }
        items.append(["linkId": "disability-related-expenditure-pence", "text": "Weekly disability-related expenditure, in pence",
                      "answer": [["valueInteger": FHIRBuild.integer(generator.between(social.weeklyDisabilityExpenditurePence))]]])
        resources.append(questionnaireResponse(nextID("q"), AreaIdentifiers.financialAssessment, subject: ("Patient", patient), on: day,
                                               basedOn: nil, items: items))
    }

    /// People already supported when the period starts, so the area opens with a caseload.
    mutating func servicesAtStart() {
        let social = parameters.socialCare
        let age = age(on: context.start)
        let draw = generator.unit()
        let nursing = social.nursingAtStart.value(at: age), residential = social.residentialAtStart.value(at: age)
        let homeCare = social.homeCareAtStart.value(at: age)
        let kind: String? = draw < nursing ? "nursing" : draw < nursing + residential ? "residential"
            : draw < nursing + residential + homeCare ? "home-care" : nil
        guard let kind else { return }
        let adult = resident.birth + Int(18 * 365.25)
        let began = max(adult, context.start - generator.between(30, kind == "home-care" ? 900 : 1500))
        markKnown(resident, on: began)
        startLongTerm(kind, on: began, basedOn: nil, assessment: nil, firstReview: false)
    }

    /// Death or leaving the area: every open service and episode ends.
    mutating func end(on day: Day, reason: (String, String)) {
        for index in services.indices where services[index].end == nil || services[index].end! > day {
            services[index].end = day
            services[index].endReason = reason
        }
        for index in episodes.indices where episodes[index].end == nil || episodes[index].end! > day { episodes[index].end = day }
    }
}
