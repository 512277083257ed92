import FHIR

/// What one entry of a transaction or batch would do, read by the same parser the processor
/// uses (`BundleEntryRequest`), so that access control checks exactly what will run. Entries
/// that do not parse are left out: the processor refuses them without touching the store.
public struct BundleEntryAccess: Sendable {
    public enum Action: Sendable, Equatable {
        case create, read, search, update, patch, delete
    }

    public let index: Int
    public let action: Action
    public let type: String
    /// A conditional target (`Patient?identifier=...`) or `ifNoneExist`.
    public let condition: ConditionalQuery?
    /// `_include`, `_revinclude`, chains or `_has` in a GET's search.
    public let searchesBeyondItsType: Bool
    /// The conditional references (`Patient?identifier=...`) in the entry's resource, each a
    /// search the write runs.
    public let conditionalReferences: [ConditionalQuery]
    /// A PATCH that may leave a conditional reference in the resource, which its write then
    /// resolves by a search of whatever type it names (`ConditionalReferences.mayBeWritten`).
    public let patchMayWriteConditionalReference: Bool

    /// The entries of `bundle`.
    public static func of(_ bundle: JSON) -> [BundleEntryAccess] {
        guard let entries = bundle["entry"]?.arrayValue else { return [] }
        return entries.enumerated().compactMap { index, entry in
            guard let request = try? BundleEntryRequest(entry: entry, index: index) else { return nil }
            return BundleEntryAccess(request)
        }
    }

    init(_ request: BundleEntryRequest) {
        index = request.index
        type = request.target.type
        var condition: ConditionalQuery? = request.ifNoneExist
        if case .conditional(let query) = request.target { condition = query }
        self.condition = condition
        switch request.method {
        case .get, .head:
            if case .conditional = request.target { action = .search }
            else if case .type = request.target { action = .search }
            else { action = .read }
        case .post: action = .create
        case .put: action = .update
        case .patch: action = .patch
        case .delete: action = .delete
        }
        searchesBeyondItsType = condition.map(Self.reachesOtherTypes) ?? false
        // A PATCH entry's resource is the Binary that carries the patch, not what is written.
        conditionalReferences = request.patch == nil ? request.resource.map { ConditionalReferences.in(.object($0)) } ?? [] : []
        patchMayWriteConditionalReference = request.patch.map(ConditionalReferences.mayBeWritten) ?? false
    }

    /// Whether a query's parameters read past its own type or add resources to the answer.
    public static func reachesOtherTypes(_ query: ConditionalQuery) -> Bool {
        query.parameters.contains {
            $0.name.contains(".") || $0.name.hasPrefix("_has") || $0.name.hasPrefix("_include") || $0.name.hasPrefix("_revinclude")
        }
    }
}

/// The conditional references inside a resource: each is a search its write runs to
/// resolve it, and so reads the type it names.
public enum ConditionalReferences {
    public static func `in`(_ value: JSON) -> [ConditionalQuery] {
        var found: [ConditionalQuery] = []
        collect(value, into: &found)
        return found
    }

    /// Whether applying `patch` may leave a conditional reference in a resource: a value that
    /// holds one, or a `copy` or `move`, which can carry one from elsewhere in the resource
    /// (a note's text) into a reference. The patched resource's references are resolved like
    /// any write's, so such a patch is a search whose type is not known before it runs.
    public static func mayBeWritten(by patch: JSONPatch) -> Bool {
        patch.operations.contains { operation in
            switch operation {
            case .add(_, let value), .replace(_, let value): holdsConditional(value)
            case .move, .copy: true
            case .remove, .test: false
            }
        }
    }

    private static func holdsConditional(_ value: JSON) -> Bool {
        switch value {
        case .string(let text): isConditional(text)
        case .object(let object): object.members.contains { holdsConditional($0.value) }
        case .array(let elements): elements.contains(where: holdsConditional)
        default: false
        }
    }

    /// Whether `reference` is conditional (`Type?params`), not a URL with a query.
    public static func isConditional(_ reference: String) -> Bool {
        ReferenceRewriter.isConditional(reference)
    }

    private static func collect(_ value: JSON, into found: inout [ConditionalQuery]) {
        switch value {
        case .object(let object):
            for member in object.members {
                if member.key == "reference", case .string(let reference) = member.value,
                   ReferenceRewriter.isConditional(reference), let query = try? ConditionalQuery(url: reference) {
                    found.append(query)
                } else {
                    collect(member.value, into: &found)
                }
            }
        case .array(let elements):
            for element in elements { collect(element, into: &found) }
        default:
            break
        }
    }
}
