/// Identifier systems and extension URLs the synthetic area writes.
public enum AreaIdentifiers {
    public static let nhsNumber = "https://fhir.nhs.uk/Id/nhs-number"
    public static let odsOrganisation = "https://fhir.nhs.uk/Id/ods-organization-code"
    public static let odsSite = "https://fhir.nhs.uk/Id/ods-site-code"
    public static let localAuthority = "https://fhir.joinedup.org.uk/Id/local-authority-code"
    public static let careHomeBeds = "https://fhir.joinedup.org.uk/StructureDefinition/care-home-beds"
    public static let weeklyPricePence = "https://fhir.joinedup.org.uk/StructureDefinition/weekly-price-pence"
    public static let hourlyRatePence = "https://fhir.joinedup.org.uk/StructureDefinition/hourly-rate-pence"
    public static let providerKind = "https://fhir.joinedup.org.uk/CodeSystem/provider-kind"
}
