/// The FHIR search parameter types (R4 `SearchParamType`).
public enum SearchParameterType: String, Sendable, Hashable, CaseIterable {
    case number, date, string, token, reference, composite, quantity, uri, special
}

/// One way to reach a search parameter's values inside a resource, compiled from the
/// parameter's FHIRPath expression by the generator: JSON member names from the resource
/// root (choice elements already resolved, e.g. `valueQuantity`), optional filters on the
/// array items at a step (`telecom.where(system='phone')`, `extension('url')`), and the FHIR
/// type of what is reached.
public struct SearchPath: Sendable, Hashable {
    /// A JSON member to step into. Arrays are walked item by item.
    public struct Step: Sendable, Hashable {
        public let member: String
        /// Keep only items whose member `filter.member` is the string `filter.value`.
        public let filter: Filter?

        public init(member: String, filter: Filter? = nil) {
            self.member = member
            self.filter = filter
        }
    }

    public struct Filter: Sendable, Hashable {
        public let member: String
        public let value: String

        public init(member: String, value: String) {
            self.member = member
            self.value = value
        }
    }

    /// From the resource root (or, for a composite's component, from the composite's element).
    public let steps: [Step]
    /// The FHIR type of the values reached: a primitive (`dateTime`, `code`, `uri`, ...), a
    /// complex type (`HumanName`, `CodeableConcept`, `Reference`, ...), `BackboneElement`, or
    /// a resource type (a composite over the whole resource).
    public let valueType: String
    /// For Reference values: only references to these resource types count
    /// (`.where(resolve() is Patient)`); nil means any.
    public let targetTypes: [String]?

    public init(steps: [Step], valueType: String, targetTypes: [String]? = nil) {
        self.steps = steps
        self.valueType = valueType
        self.targetTypes = targetTypes
    }
}

/// One part of a composite parameter: the component parameter's code and type, and where
/// its values are, relative to each element the composite reaches.
public struct SearchComponent: Sendable, Hashable {
    public let code: String
    public let type: SearchParameterType
    public let paths: [SearchPath]

    public init(code: String, type: SearchParameterType, paths: [SearchPath]) {
        self.code = code
        self.type = type
        self.paths = paths
    }
}

/// A search parameter of one resource type, as R4 defines it (from
/// `../shared/fhir-r4/search-parameters.json`, through the generated table). A parameter
/// defined on several bases appears once per resource type.
public struct SearchParameter: Sendable, Hashable {
    public let code: String
    public let resourceType: String
    public let type: SearchParameterType
    /// The canonical URL of the definition (for the CapabilityStatement).
    public let url: String
    /// The union of places the values come from (the expression's `|` alternatives).
    public let paths: [SearchPath]
    /// For reference parameters: the resource types the references may point at.
    public let targets: [String]
    /// For composite parameters: the components, in order.
    public let components: [SearchComponent]

    public init(code: String, resourceType: String, type: SearchParameterType, url: String,
                paths: [SearchPath], targets: [String] = [], components: [SearchComponent] = []) {
        self.code = code
        self.resourceType = resourceType
        self.type = type
        self.url = url
        self.paths = paths
        self.targets = targets
        self.components = components
    }
}
