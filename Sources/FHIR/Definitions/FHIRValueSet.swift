/// The expansion of a value set behind a required binding, as (system, code) pairs, or a
/// marker that it cannot be expanded here (external code systems such as BCP-13 mime types,
/// ISO 4217 currencies or UCUM), in which case validators skip it.
public struct FHIRValueSet: Sendable, Hashable {
    public let url: String
    /// False when the value set cannot be expanded here; membership is then unknown.
    public let isExpandable: Bool
    /// Codes by code system URL.
    public let codesBySystem: [String: Set<String>]
    /// Every code of every system, for `code` elements (which carry no system).
    public let allCodes: Set<String>

    public init(url: String, codesBySystem: [String: Set<String>]) {
        self.url = url
        self.isExpandable = true
        self.codesBySystem = codesBySystem
        var all = Set<String>()
        for codes in codesBySystem.values { all.formUnion(codes) }
        self.allCodes = all
    }

    public init(unexpandable url: String) {
        self.url = url
        self.isExpandable = false
        self.codesBySystem = [:]
        self.allCodes = []
    }

    /// The code systems the value set draws on.
    public var systems: Set<String> { Set(codesBySystem.keys) }

    /// Whether the value set holds `code` of `system`; nil when it cannot be expanded.
    public func contains(system: String, code: String) -> Bool? {
        guard isExpandable else { return nil }
        return codesBySystem[system]?.contains(code) ?? false
    }

    /// Whether any system of the value set holds `code` (for `code` elements); nil when it
    /// cannot be expanded.
    public func contains(code: String) -> Bool? {
        guard isExpandable else { return nil }
        return allCodes.contains(code)
    }

    /// Whether `system` is one of the value set's code systems.
    public func includes(system: String) -> Bool {
        codesBySystem[system] != nil
    }
}
