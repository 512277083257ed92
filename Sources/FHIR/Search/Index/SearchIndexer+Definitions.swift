extension SearchIndexer {
    /// An indexer over every parameter of every resource type in `definitions` (the R4
    /// parameters by default), compiled once.
    public init(definitions: FHIRSearchDefinitions = .r4) {
        let fhir = FHIRDefinitions.r4
        var parameters: [SearchParameter] = []
        for type in fhir.resourceTypes.sorted() {
            parameters.append(contentsOf: definitions.parameters(of: type).values)
        }
        self.init(parameters: parameters, fhir: fhir)
    }
}
