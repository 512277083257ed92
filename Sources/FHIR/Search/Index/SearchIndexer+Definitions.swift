extension SearchIndexer {
    /// An indexer over every parameter of every resource type in `definitions` (the R4
    /// parameters by default), compiled once. Aliases are left out: their values are the
    /// rows of the parameters they read (`FHIRSearchDefinitions.indexedCodes`).
    public init(definitions: FHIRSearchDefinitions = .r4) {
        let fhir = FHIRDefinitions.r4
        var parameters: [SearchParameter] = []
        for type in fhir.resourceTypes.sorted() {
            parameters.append(contentsOf: definitions.parameters(of: type).values.filter {
                !definitions.isAlias($0.code, of: type)
            })
        }
        self.init(parameters: parameters, fhir: fhir)
    }
}
