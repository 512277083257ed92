import CareRecord
import FHIR

/// `_summary` and `_elements`: a resource cut down to the members asked for, keeping what
/// FHIR says must stay (`resourceType`, `id`, `meta`, and the mandatory members), and marked
/// SUBSETTED in `meta.tag` so that nobody takes it for the whole resource.
struct ResourceSubset {
    let summary: SearchSummary?
    let elements: [String]?

    static let subsettedTag: JSON = [
        "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED",
        "display": "subsetted",
    ]

    var isEmpty: Bool { (summary == nil || summary == .false) && elements == nil }

    func apply(_ body: [UInt8], type: String, definitions: FHIRSearchDefinitions = .r4) -> [UInt8] {
        guard !isEmpty, let object = (try? JSONParser().parse(body))?.objectValue else { return body }
        let always: Set<String> = ["resourceType", "id", "meta"]
        let keep: (String) -> Bool
        switch summary {
        case .true?:
            let members = definitions.summaryMembers(of: type).union(always)
            keep = { members.contains($0) }
        case .text?:
            let members = definitions.requiredMembers(of: type).union(always).union(["text"])
            keep = { members.contains($0) }
        case .data?:
            keep = { $0 != "text" }
        default:
            let members = definitions.requiredMembers(of: type).union(always).union(elements ?? [])
            keep = { members.contains($0) }
        }
        var subset = JSONObject()
        for member in object.members where keep(member.key) {
            subset[member.key] = member.value
        }
        var meta = subset["meta"]?.objectValue ?? JSONObject()
        var tags: [JSON] = []
        if case .array(let existing)? = meta["tag"] { tags = existing }
        tags.append(Self.subsettedTag)
        meta["tag"] = .array(tags)
        subset["meta"] = .object(meta)
        return JSONSerializer.bytes(.object(subset))
    }
}
