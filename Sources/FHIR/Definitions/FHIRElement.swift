/// The FHIR R4 primitive types.
public enum FHIRPrimitiveType: String, Sendable, Hashable, CaseIterable {
    case base64Binary, boolean, canonical, code, date, dateTime, decimal, id, instant, integer
    case markdown, oid, positiveInt, string, time, unsignedInt, uri, url, uuid, xhtml

    /// True for the types whose JSON form is a number.
    public var isNumber: Bool {
        switch self {
        case .decimal, .integer, .positiveInt, .unsignedInt: true
        default: false
        }
    }
}

/// One JSON member that an object of some type (or backbone element) may carry, as defined
/// by the R4 StructureDefinitions. A choice element (`value[x]`) appears once per allowed
/// type, under its JSON name (`valueQuantity`, `valueString`, ...).
public struct FHIRElement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A primitive: the JSON value is a string, number or boolean.
        case primitive(FHIRPrimitiveType)
        /// A complex datatype (`HumanName`, `Extension`, ...) with its own members.
        case complex
        /// A backbone element defined inline (or by contentReference) with its own members.
        case backbone
        /// A whole resource (`contained`, `Bundle.entry.resource`, `Parameters.parameter.resource`).
        case resource
    }

    /// The JSON member name, e.g. `valueQuantity`.
    public let name: String
    /// The definition path, e.g. `Observation.value[x]`.
    public let path: String
    public let min: Int
    /// `Int.max` for `*`.
    public let max: Int
    public let kind: Kind
    /// The type name: a primitive or complex type name, `BackboneElement`, or `Resource`.
    public let typeName: String
    /// For a choice element: the choice name without `[x]` (e.g. `value`), else nil.
    public let choiceGroup: String?
    /// The URL of the value set of a required binding, if any.
    public let requiredValueSet: String?
    /// Allowed Reference targets (resource type names); nil means any resource.
    public let targetTypes: Set<String>?
    /// The JSON name of the primitive's extension sibling (`_birthDate`).
    public let siblingName: String
    /// Index of the member table of this element's type or backbone (-1 when none).
    let layoutIndex: Int

    init(
        name: String, path: String, min: Int, max: Int, kind: Kind, typeName: String,
        choiceGroup: String?, requiredValueSet: String?, targetTypes: Set<String>?, layoutIndex: Int
    ) {
        self.name = name
        self.path = path
        self.min = min
        self.max = max
        self.kind = kind
        self.typeName = typeName
        self.choiceGroup = choiceGroup
        self.requiredValueSet = requiredValueSet
        self.targetTypes = targetTypes
        self.siblingName = "_" + name
        self.layoutIndex = layoutIndex
    }

    public var isRepeating: Bool { max > 1 }

    /// The name used in messages and FHIRPath expressions for the element when it is absent
    /// (`value[x]` for choices).
    public var displayName: String {
        if let choiceGroup { return choiceGroup + "[x]" }
        return name
    }
}

/// The members of one complex type or backbone element.
struct FHIRLayout: Sendable {
    let key: String
    let elements: [String: FHIRElement]
    /// Elements with min >= 1; a choice group appears once (any of its names satisfies it).
    let required: [FHIRElement]
    /// The choice names (without `[x]`) among the members, e.g. `value`.
    let choiceGroups: Set<String>
}
