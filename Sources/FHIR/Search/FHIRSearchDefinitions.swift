/// The R4 search parameters, compiled into JSON paths, with the compartment definitions and
/// the members `_summary` keeps, for the search index and the search engine.
///
/// The data is the generated text table `FHIRGeneratedTables.searchTable`
/// (`scripts/generate-search-tables.py` documents its format). It is parsed once, at the first
/// use of `FHIRSearchDefinitions.r4`; afterwards every lookup is a dictionary access. The
/// running server never reads the R4 JSON the table was made from.
///
/// Paths that reach an `Extension` (`Patient.extension('url')`) stop at the extension: the
/// parameter's values are that extension's `value[x]`.
public final class FHIRSearchDefinitions: Sendable {
    /// The R4 search definitions, parsed on first use.
    public static let r4 = FHIRSearchDefinitions(table: FHIRGeneratedTables.searchTable)

    let parametersByType: [String: [String: SearchParameter]]
    let unsupportedByType: [String: [String: String]]
    let compartments: [String: [String: [String]]]
    let summary: [String: Set<String>]
    let required: [String: Set<String>]
    /// A fingerprint of the table (FNV-1a, hex): stable across processes, so a store can record
    /// which definitions built its index and notice when they change.
    public let fingerprint: String
    let aliases: SearchAliases

    init(table: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in table.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        self.fingerprint = String(hash, radix: 16)
        var parameters: [String: [String: SearchParameter]] = [:]
        var unsupported: [String: [String: String]] = [:]
        var compartments: [String: [String: [String]]] = [:]
        var summary: [String: Set<String>] = [:]
        var required: [String: Set<String>] = [:]
        // A composite's components follow its S line; it is stored once they are read.
        var pending: SearchParameter?
        // The R line lists every resource type; "*-X" targets are all of them but X.
        var resourceTypes: [String] = []
        var components: [SearchComponent] = []

        func flush() {
            guard let p = pending else { return }
            parameters[p.resourceType, default: [:]][p.code] = SearchParameter(
                code: p.code, resourceType: p.resourceType, type: p.type, url: p.url,
                paths: p.paths, targets: p.targets, components: components)
            pending = nil
            components = []
        }

        for line in table.split(separator: "\n", omittingEmptySubsequences: true) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch f[0] {
            case "R":
                resourceTypes = Array(f.dropFirst())
            case "S" where f.count >= 6:
                flush()
                let url = f[4].contains("://") ? f[4] : "http://hl7.org/fhir/SearchParameter/" + f[4]
                pending = SearchParameter(
                    code: f[2], resourceType: f[1], type: SearchParameterType(rawValue: f[3]) ?? .special,
                    url: url, paths: f[6...].map(Self.path),
                    targets: Self.targets(f[5], resourceTypes))
            case "K" where f.count >= 3:
                components.append(SearchComponent(
                    code: f[1], type: SearchParameterType(rawValue: f[2]) ?? .special,
                    paths: f[3...].map(Self.path)))
            case "U" where f.count >= 4:
                flush()
                unsupported[f[1], default: [:]][f[2]] = f[3]
            case "C" where f.count >= 3:
                flush()
                compartments[f[1], default: [:]][f[2]] = Array(f[3...])
            case "M" where f.count >= 4:
                flush()
                summary[f[1]] = Self.members(f[2])
                required[f[1]] = Self.members(f[3])
            default:
                continue
            }
        }
        flush()
        self.parametersByType = parameters
        self.aliases = SearchAliases(parameters)
        self.unsupportedByType = unsupported
        self.compartments = compartments
        self.summary = summary
        self.required = required
    }

    /// Every supported parameter of `resourceType`, by code (includes `_id`, `_lastUpdated`,
    /// `_tag`, `_profile`, `_security`, `_source`).
    public func parameters(of resourceType: String) -> [String: SearchParameter] {
        parametersByType[resourceType] ?? [:]
    }

    /// The parameters whose index rows hold `code`'s values on `resourceType`: `[code]`, or
    /// for an alias (`patient` on Observation) the parameters it reads (`subject`).
    public func indexedCodes(_ code: String, of resourceType: String) -> [String] {
        aliases.byType[resourceType]?[code] ?? [code]
    }

    /// For a reference alias whose every path keeps only some target types (Observation
    /// `patient` is `subject` where it refers to a Patient): those types, sorted. nil when
    /// `code` is not an alias or does not narrow its targets.
    public func targetLimit(_ code: String, of resourceType: String) -> [String]? {
        guard isAlias(code, of: resourceType), let paths = parameter(code, of: resourceType)?.paths, !paths.isEmpty,
              paths.allSatisfy({ $0.targetTypes != nil }) else { return nil }
        return Array(Set(paths.flatMap { $0.targetTypes ?? [] })).sorted()
    }

    /// The target types a search over several parameters (`code` on `resourceType` each) may
    /// reach when every one is a limiting alias: the union of their limits, sorted. nil when
    /// any is not (or there are none).
    public func targetLimit(_ parameters: [(code: String, resourceType: String)]) -> [String]? {
        var union = Set<String>()
        for parameter in parameters {
            guard let limit = targetLimit(parameter.code, of: parameter.resourceType) else { return nil }
            union.formUnion(limit)
        }
        return parameters.isEmpty ? nil : union.sorted()
    }

    /// Whether `code` is an alias, whose values are indexed under other parameters.
    public func isAlias(_ code: String, of resourceType: String) -> Bool {
        aliases.byType[resourceType]?[code] != nil
    }

    public func parameter(_ code: String, of resourceType: String) -> SearchParameter? {
        parametersByType[resourceType]?[code]
    }

    /// Parameters R4 defines for the type that could not be compiled: code -> reason.
    public func unsupported(of resourceType: String) -> [String: String] {
        unsupportedByType[resourceType] ?? [:]
    }

    /// For compartment `name` ("Patient", "Encounter", "RelatedPerson", "Practitioner",
    /// "Device"): resource type -> the parameter codes that put a resource in the compartment.
    public func compartment(_ name: String) -> [String: [String]] {
        compartments[name] ?? [:]
    }

    /// Top-level JSON members marked isSummary for the type (choice elements by every JSON name).
    public func summaryMembers(of resourceType: String) -> Set<String> {
        summary[resourceType] ?? []
    }

    /// Top-level JSON members with min >= 1 (what `_summary=text` keeps besides text, id, meta).
    public func requiredMembers(of resourceType: String) -> Set<String> {
        required[resourceType] ?? []
    }

    private static func targets(_ field: String, _ resourceTypes: [String]) -> [String] {
        if field == "-" { return [] }
        if field.hasPrefix("*-") {
            let leftOut = Set(field.dropFirst(2).split(separator: ",").map(String.init))
            return resourceTypes.filter { !leftOut.contains($0) }
        }
        return field.split(separator: ",").map(String.init)
    }

    private static func members(_ field: String) -> Set<String> {
        field == "-" ? [] : Set(field.split(separator: ",").map(String.init))
    }

    /// Parses `<steps>:<valueType>[><targets>]`; steps are `member` or `member[name=value]`
    /// joined by "."; the filter value may hold "." and ":", never "]".
    static func path(_ text: String) -> SearchPath {
        var steps: [SearchPath.Step] = []
        var member = ""
        var index = text.startIndex
        func endStep() {
            if !member.isEmpty { steps.append(SearchPath.Step(member: member)) }
            member = ""
        }
        while index < text.endIndex {
            let ch = text[index]
            if ch == "[" {
                let close = text[index...].firstIndex(of: "]") ?? text.endIndex
                let inner = text[text.index(after: index)..<close]
                let eq = inner.firstIndex(of: "=") ?? inner.endIndex
                let value = eq < inner.endIndex ? String(inner[inner.index(after: eq)...]) : ""
                steps.append(SearchPath.Step(
                    member: member, filter: SearchPath.Filter(member: String(inner[..<eq]), value: value)))
                member = ""
                index = close < text.endIndex ? text.index(after: close) : close
                continue
            }
            if ch == "." || ch == ":" {
                endStep()
                if ch == ":" {
                    index = text.index(after: index)
                    break
                }
            } else {
                member.append(ch)
            }
            index = text.index(after: index)
        }
        let rest = text[index...]
        let parts = rest.split(separator: ">", maxSplits: 1)
        let valueType = parts.first.map(String.init) ?? ""
        let targets = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : nil
        return SearchPath(steps: steps, valueType: valueType, targetTypes: targets)
    }
}
