import FHIR

/// The organisations of the area: council, ICB, the trusts, GP practices, care homes and
/// home care providers, with the codes, beds and prices the rest of JoinedUp works with.
struct Organisations {
    let parameters: AreaParameters
    let people: Int

    struct Built {
        var resources: [JSON] = []
        /// Ids of GP practices and the list size each is drawn to.
        var practices: [(id: String, weight: Double)] = []
        var providers = Providers()
    }

    /// The providers people are placed with, and their prices.
    struct Providers: Sendable {
        var residentialHomes: [(id: String, weeklyPence: Int, beds: Int)] = []
        var nursingHomes: [(id: String, weeklyPence: Int, beds: Int)] = []
        var homeCare: [(id: String, hourlyPence: Int)] = []
    }

    func build(_ generator: inout SeededGenerator) -> Built {
        let area = parameters.area
        let providers = parameters.providers
        var built = Built()
        built.resources.append(.object(organisation("council", area.councilName, system: AreaIdentifiers.localAuthority,
                                            code: area.councilCode, type: "govt")))
        built.resources.append(.object(organisation("icb", area.icbName, system: AreaIdentifiers.odsOrganisation,
                                            code: area.icbCode, type: "govt")))
        built.resources.append(.object(organisation("acute-trust", area.acuteTrustName, system: AreaIdentifiers.odsOrganisation,
                                            code: area.acuteTrustCode, type: "prov", partOf: "icb")))
        built.resources.append(.object(organisation("community-trust", area.communityTrustName, system: AreaIdentifiers.odsOrganisation,
                                            code: area.communityTrustCode, type: "prov", partOf: "icb")))
        let practiceCount = max(1, Int((Double(people) / Double(providers.peoplePerGPPractice)).rounded()))
        for index in 1...practiceCount {
            let id = "gp-\(pad(index, 3))"
            let town = area.towns[(index - 1) % area.towns.count]
            let practice = organisation(id, "\(town) \(generator.pick(["Medical Centre", "Surgery", "Health Centre", "Family Practice"]))",
                                        system: AreaIdentifiers.odsOrganisation,
                                        code: "Z\(pad(10_000 + index * 37 % 90_000, 5))", type: "prov", partOf: "icb")
            built.resources.append(with(practice, kind: "gp-practice"))
            // List sizes vary: from half to one and a half times the average.
            built.practices.append((id, 0.5 + generator.unit()))
        }
        let per100k = Double(people) / 100_000
        for (kind, rate) in [("residential-home", providers.residentialHomesPer100k), ("nursing-home", providers.nursingHomesPer100k)] {
            let prices = kind == "nursing-home" ? providers.nursingWeeklyPricePence : providers.residentialWeeklyPricePence
            for index in 0..<count(rate * per100k, &generator) {
                let beds = generator.between(providers.careHomeBeds)
                let price = generator.between(prices) / 100 * 100
                let id = "\(kind)-\(pad(index + 1, 3))"
                let home = organisation(id,
                                        "\(generator.pick(area.towns)) \(generator.pick(["House", "Lodge", "Court", "Grange", "Manor"]))",
                                        system: AreaIdentifiers.odsSite, code: "VZ\(kind.prefix(1).uppercased())\(pad(index + 1, 3))",
                                        type: "prov")
                if kind == "nursing-home" {
                    built.providers.nursingHomes.append((id, price, beds))
                } else {
                    built.providers.residentialHomes.append((id, price, beds))
                }
                built.resources.append(with(home, kind: kind, extensions: [
                    ["url": .string(AreaIdentifiers.careHomeBeds), "valueInteger": .number(String(beds))],
                    ["url": .string(AreaIdentifiers.weeklyPricePence), "valueInteger": .number(String(price))],
                ]))
            }
        }
        for index in 0..<count(providers.homeCareProvidersPer100k * per100k, &generator) {
            let rate = generator.between(providers.homeCareHourlyRatePence) / 10 * 10
            let id = "home-care-\(pad(index + 1, 3))"
            let provider = with(organisation(id, "\(generator.pick(area.towns)) Home Care",
                                             system: AreaIdentifiers.odsSite, code: "VZC\(pad(index + 1, 3))", type: "prov"),
                                kind: "home-care", extensions: [
                                    ["url": .string(AreaIdentifiers.hourlyRatePence), "valueInteger": .number(String(rate))],
                                ])
            built.resources.append(provider)
            built.providers.homeCare.append((id, rate))
        }
        return built
    }

    /// At least one of each kind of provider, so every area can place people.
    private func count(_ expected: Double, _ generator: inout SeededGenerator) -> Int {
        max(1, Int(expected) + (generator.unit() < expected - expected.rounded(.down) ? 1 : 0))
    }

    private func organisation(_ id: String, _ name: String, system: String, code: String, type: String,
                              partOf: String? = nil) -> JSONObject {
        var object: JSONObject = [
            "resourceType": "Organization",
            "id": .string(id),
            "identifier": [["system": .string(system), "value": .string(code)]],
            "active": true,
            "type": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": .string(type)]]]],
            "name": .string(name),
        ]
        if let partOf { object["partOf"] = ["reference": .string("Organization/\(partOf)")] }
        return object
    }

    private func with(_ organisation: JSONObject, kind: String, extensions: [JSON] = []) -> JSON {
        var object = organisation
        if var types = object["type"]?.arrayValue {
            types.append(["coding": [["system": .string(AreaIdentifiers.providerKind), "code": .string(kind)]]])
            object["type"] = .array(types)
        }
        if !extensions.isEmpty { object.set("extension", .array(extensions), at: 2) }
        return .object(object)
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
