import FHIR
import Foundation
@testable import SyntheticArea

/// An area generated once and shared by the tests that measure it.
struct GeneratedArea {
    static let start = FHIRInstant(parsing: "2024-04-01")!
    static let end = "2026-04-01"

    let resources: [JSON]
    let council: [CouncilClientRecord]
    let summary: AreaSummary

    init(people: Int, seed: UInt64, parameters: AreaParameters = .defaults, months: Int = 24) throws {
        var resources: [JSON] = []
        var council: [CouncilClientRecord] = []
        summary = try AreaGenerator(parameters: parameters, options: GeneratorOptions(people: people, seed: seed, start: Self.start, months: months))
            .generate(resource: { resources.append($0) }, councilRecord: { council.append($0) })
        self.resources = resources
        self.council = council
    }

    /// Twenty thousand people over two years, for the figures.
    static let standard: GeneratedArea = try! GeneratedArea(people: 20_000, seed: 42)

    func of(_ type: String) -> [JSON] { resources.filter { $0["resourceType"]?.stringValue == type } }

    var patients: [JSON] { of("Patient") }

    var patientsByID: [String: JSON] {
        Dictionary(uniqueKeysWithValues: patients.map { ($0["id"]!.stringValue!, $0) })
    }
}

/// Reading a generated Patient back.
extension JSON {
    var id: String { self["id"]?.stringValue ?? "" }
    var birthDate: String { self["birthDate"]?.stringValue ?? "" }
    var isFemale: Bool { self["gender"]?.stringValue == "female" }
    var deceased: String? { self["deceasedDateTime"]?.stringValue }
    var addresses: [JSON] { self["address"]?.arrayValue ?? [] }
    /// Born or moved in during the period.
    var arrived: Bool {
        birthDate >= GeneratedArea.start.description.prefix(10) || addresses.contains {
            $0["use"] == "old" && $0["period"]?["start"] == nil && $0["postalCode"]?.stringValue?.hasPrefix("NB") == false
        }
    }

    var leftArea: Bool { self["generalPractitioner"] == nil }

    /// Here for the whole period: neither arrived, died nor left.
    var stayedThroughout: Bool { !arrived && deceased == nil && !leftArea }

    /// Whole years of age on `date` (`YYYY-MM-DD`).
    func age(on date: String) -> Int {
        let now = date.split(separator: "-").compactMap { Int($0) }
        let born = birthDate.split(separator: "-").compactMap { Int($0) }
        var years = now[0] - born[0]
        if (now[1], now[2]) < (born[1], born[2]) { years -= 1 }
        return years
    }

    var codes: [String] {
        (self["code"]?["coding"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
    }

    var subjectID: String? {
        (self["subject"] ?? self["patient"])?["reference"]?.stringValue.map { String($0.split(separator: "/").last ?? "") }
    }

    var integerValue: Int? { if case .number(let text) = self { Int(text) } else { nil } }

    func extensionValue(_ url: String) -> JSON? {
        self["extension"]?.arrayValue?.first { $0["url"]?.stringValue == url }.flatMap { ext in
            ext.objectValue?.members.first { $0.key.hasPrefix("value") }?.value
        }
    }
}

/// Every `reference` in a resource.
func references(in value: JSON) -> [String] {
    switch value {
    case .object(let object):
        object.flatMap { member -> [String] in
            if member.key == "reference", let text = member.value.stringValue { return [text] }
            return references(in: member.value)
        }
    case .array(let array): array.flatMap(references)
    default: []
    }
}

extension JSON {
    subscript(_ index: Int) -> JSON? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
