import FHIR

/// A social care service as the council commissions it (a ServiceRequest when written): what,
/// for whom, from which provider, from when to when, at what cost, paid by whom, and why it
/// ended. Kept open while the story runs so that it is written once, in its final state.
struct Service {
    let id: String
    let code: String
    let display: String
    /// Whose service it is (a carer's support belongs to the carer).
    let subject: String
    let start: Day
    var end: Day?
    var endReason: (code: String, display: String)?
    let provider: String?
    let hoursPerWeek: Int?
    let weeklyCostPence: Int?
    let oneOffCostPence: Int?
    /// council, continuing-healthcare, funded-nursing-care, disabled-facilities-grant...
    let funding: String
    let basedOn: String?
    let assessment: String?

    var isLongTerm: Bool { ["home-care", "direct-payment", "residential", "nursing"].contains(code) }
    var isPlacement: Bool { code == "residential" || code == "nursing" }

    func resource(periodEnd: Day) -> JSON {
        var extensions: [JSON] = []
        if let weeklyCostPence { extensions.append(FHIRBuild.valueExtension(AreaIdentifiers.weeklyCostPence, "valueInteger", FHIRBuild.integer(weeklyCostPence))) }
        if let oneOffCostPence { extensions.append(FHIRBuild.valueExtension(AreaIdentifiers.costPence, "valueInteger", FHIRBuild.integer(oneOffCostPence))) }
        extensions.append(FHIRBuild.valueExtension(AreaIdentifiers.fundedBy, "valueCoding", FHIRBuild.coding(AreaIdentifiers.funding, funding)))
        if let endReason {
            extensions.append(FHIRBuild.valueExtension(AreaIdentifiers.endReason, "valueCoding",
                                                       FHIRBuild.coding(AreaIdentifiers.serviceEndReason, endReason.code, endReason.display)))
        }
        var object: JSONObject = ["resourceType": "ServiceRequest", "id": .string(id), "extension": .array(extensions)]
        if let basedOn { object["basedOn"] = [FHIRBuild.reference("ServiceRequest", basedOn)] }
        object["status"] = end.map { $0 < periodEnd } == true ? "completed" : "active"
        object["intent"] = "order"
        object["code"] = FHIRBuild.concept(AreaIdentifiers.socialCareService, code, display)
        if let hoursPerWeek {
            object["quantityQuantity"] = ["value": FHIRBuild.integer(hoursPerWeek), "unit": "hours per week",
                                          "system": "http://unitsofmeasure.org", "code": "h/wk"]
        }
        object["subject"] = FHIRBuild.reference("Patient", subject)
        let closed = end.flatMap { $0 < periodEnd ? $0 : nil }
        object["occurrencePeriod"] = FHIRBuild.period(start.description, closed?.description)
        object["authoredOn"] = .string(start.description)
        object["requester"] = FHIRBuild.reference("Organization", AreaContext.council)
        if let provider { object["performer"] = [FHIRBuild.reference("Organization", provider)] }
        if let assessment { object["supportingInfo"] = [FHIRBuild.reference("QuestionnaireResponse", assessment)] }
        return .object(object)
    }
}

/// An episode of care: reablement (council), continuing healthcare or funded nursing care (ICB).
struct Episode {
    let id: String
    let code: String
    let display: String
    let start: Day
    var end: Day?
    let managingOrganization: String
    let referral: String?
    /// The hospital stay reablement followed, if any, and the day it ended.
    let discharge: (encounter: String, day: Day)?

    func resource(patient: String, periodEnd: Day) -> JSON {
        var object: JSONObject = ["resourceType": "EpisodeOfCare", "id": .string(id)]
        if let discharge {
            object["extension"] = [FHIRBuild.valueExtension(AreaIdentifiers.dischargeEncounter, "valueReference",
                                                            FHIRBuild.reference("Encounter", discharge.encounter))]
        }
        let closed = end.flatMap { $0 < periodEnd ? $0 : nil }
        object["status"] = closed == nil ? "active" : "finished"
        object["type"] = [FHIRBuild.concept(AreaIdentifiers.episodeType, code, display)]
        object["patient"] = FHIRBuild.reference("Patient", patient)
        object["managingOrganization"] = FHIRBuild.reference("Organization", managingOrganization)
        object["period"] = FHIRBuild.period(start.description, closed?.description)
        if let referral { object["referralRequest"] = [FHIRBuild.reference("ServiceRequest", referral)] }
        return .object(object)
    }
}
