/// Identifier systems, code systems and extension URLs the synthetic area writes. JoinedUp's
/// own ones live under fhir.joinedup.org.uk until national ones exist for these ideas.
public enum AreaIdentifiers {
    public static let nhsNumber = "https://fhir.nhs.uk/Id/nhs-number"
    public static let odsOrganisation = "https://fhir.nhs.uk/Id/ods-organization-code"
    public static let odsSite = "https://fhir.nhs.uk/Id/ods-site-code"
    public static let localAuthority = "https://fhir.joinedup.org.uk/Id/local-authority-code"
    public static let careHomeBeds = "https://fhir.joinedup.org.uk/StructureDefinition/care-home-beds"
    public static let weeklyPricePence = "https://fhir.joinedup.org.uk/StructureDefinition/weekly-price-pence"
    public static let hourlyRatePence = "https://fhir.joinedup.org.uk/StructureDefinition/hourly-rate-pence"
    public static let providerKind = "https://fhir.joinedup.org.uk/CodeSystem/provider-kind"

    static let codeSystem = "https://fhir.joinedup.org.uk/CodeSystem/"
    static let extensionBase = "https://fhir.joinedup.org.uk/StructureDefinition/"
    static let questionnaireBase = "https://fhir.joinedup.org.uk/Questionnaire/"

    /// Kinds of social care service (home-care, residential, nursing, respite, reablement...).
    public static let socialCareService = codeSystem + "social-care-service"
    /// Kinds of episode: reablement, continuing healthcare, funded nursing care.
    public static let episodeType = codeSystem + "episode-type"
    public static let contactSource = codeSystem + "contact-source"
    public static let contactOutcome = codeSystem + "contact-outcome"
    public static let outcomeStatus = codeSystem + "care-act-outcome-status"
    public static let serviceEndReason = codeSystem + "service-end-reason"
    public static let reviewOutcome = codeSystem + "review-outcome"
    /// Where a person is 91 days after leaving hospital into reablement.
    public static let reablementOutcome = codeSystem + "reablement-outcome"
    public static let observationCode = codeSystem + "observation"
    public static let delayReason = codeSystem + "delayed-transfer-reason"
    public static let equipment = codeSystem + "equipment"
    public static let funding = codeSystem + "funding"
    public static let encounterType = codeSystem + "encounter-type"

    public static let weeklyCostPence = extensionBase + "weekly-cost-pence"
    public static let costPence = extensionBase + "cost-pence"
    public static let fundedBy = extensionBase + "funded-by"
    public static let endReason = extensionBase + "service-end-reason"
    public static let contactSourceExtension = extensionBase + "contact-source"
    public static let contactOutcomeExtension = extensionBase + "contact-outcome"
    public static let delayedTransfer = extensionBase + "delayed-transfer-of-care"
    public static let reviewOutcomeExtension = extensionBase + "review-outcome"
    public static let dischargeEncounter = extensionBase + "discharge-encounter"

    public static let careActAssessment = questionnaireBase + "care-act-assessment"
    public static let carersAssessment = questionnaireBase + "carers-assessment"
    public static let financialAssessment = questionnaireBase + "financial-assessment"
}
