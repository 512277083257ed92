/// Checks a FHIR R4 resource in JSON form against the base specification: known resource
/// type and elements, choice types, cardinality, JSON shapes, primitive formats, required
/// code bindings, reference formats and targets, extensions, primitive extension siblings,
/// and NHS numbers. Each issue names the rule and the FHIRPath location of the fault, never
/// the value sent. An empty result means the resource is valid; issues of severity `.error`
/// mean it must be rejected.
///
/// Issue codes: `structure` for unknown elements and wrong JSON shapes (objects, arrays,
/// nulls, empty objects and arrays); `required` for missing elements; `value` for bad
/// primitive values (formats, empty strings, a JSON string where a number belongs, unknown
/// resource types, malformed references, NHS numbers); `code-invalid` for required binding
/// failures; `invalid` for the rest (reference target types, extension value/nesting,
/// cardinality above max, more than one NHS number).
public struct ResourceValidator: Sendable {
    public let definitions: FHIRDefinitions

    public init(definitions: FHIRDefinitions = .r4) {
        self.definitions = definitions
    }

    /// All problems found with `resource`; empty when it is valid.
    public func validate(_ resource: JSON) -> [FHIRIssue] {
        var run = ValidationRun(definitions: definitions)
        run.validateResource(resource, isRoot: true)
        return run.issues
    }

    /// True when `validate` finds no error (warnings allowed).
    public func isValid(_ resource: JSON) -> Bool {
        !validate(resource).contains { $0.severity == .error || $0.severity == .fatal }
    }
}
