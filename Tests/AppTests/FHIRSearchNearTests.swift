import FHIR
import Foundation
import HTTPTypes
import Testing

/// Location `near`, over HTTP, with exact result sets: places at known great-circle distances
/// (from the point in Leeds: Bradford 16.2 km, York 33.9 km, London 272 km), units, the default distance,
/// alternatives, a search across the antimeridian, and moves and deletions.
extension FHIRServerTests {
    @Suite("Search: Location near")
    struct FHIRSearchNearTests {
        static func location(_ name: String, _ latitude: String?, _ longitude: String?) -> JSON {
            var members: JSONObject = ["name": .string(name)]
            if let latitude, let longitude { members["position"] = ["latitude": .number(latitude), "longitude": .number(longitude)] }
            return SearchMock.resource("Location", members)
        }

        static let leeds = "53.7997|-1.5492"

        @Test func distancesUnitsAlternativesAndTheAntimeridian() async throws {
            try await TestServer.run { fhir, _ in
                let places = try await fhir.createLabelled([
                    ("leeds", Self.location("Leeds General Infirmary", "53.8017", "-1.5517")),
                    ("bradford", Self.location("Bradford Royal Infirmary", "53.8076", "-1.7963")),
                    ("york", Self.location("York Hospital", "53.9690", "-1.0822")),
                    ("london", Self.location("St Thomas'", "51.4980", "-0.1188")),
                    ("nowhere", Self.location("Community team (no fixed base)", nil, nil)),
                    ("fiji", Self.location("Lautoka Hospital", "-17.6090", "177.4500")),
                ])
                try await fhir.expectSearch("Location?near=\(Self.leeds)|20|km", ["leeds", "bradford"], places)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|40|km", ["leeds", "bradford", "york"], places)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|5000|m", ["leeds"], places)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|10|[mi_i]", ["leeds"], places)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|11|[mi_i]", ["leeds", "bradford"], places)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|20", ["leeds", "bradford"], places)
                // Without a distance: 10 km.
                try await fhir.expectSearch("Location?near=\(Self.leeds)", ["leeds"], places)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|300|km", ["leeds", "bradford", "york", "london"], places)
                try await fhir.expectSearch("Location?near=51.5|-0.12|1|km,53.97|-1.08|1|km", ["london", "york"], places)
                // Lautoka is 260 km west of 179.9 E, and 281 km from 179.9 W across the antimeridian.
                try await fhir.expectSearch("Location?near=-17.6|179.9|270|km", ["fiji"], places)
                try await fhir.expectSearch("Location?near=-17.6|-179.9|270|km", [], places)
                try await fhir.expectSearch("Location?near=-17.6|-179.9|290|km", ["fiji"], places)
                // With another parameter, ANDed.
                try await fhir.expectSearch("Location?near=\(Self.leeds)|40|km&name=york", ["york"], places)
            }
        }

        @Test func movesAndDeletionsAreFollowed() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Self.location("Mobile clinic", "53.8", "-1.55"))
                let labels = ["clinic": id]
                try await fhir.expectSearch("Location?near=\(Self.leeds)|5|km", ["clinic"], labels)
                var moved = Self.location("Mobile clinic", "51.5", "-0.12").objectValue!
                moved["id"] = .string(id)
                #expect(try await fhir.put("/fhir/Location/\(id)", .object(moved)).status == .ok)
                try await fhir.expectSearch("Location?near=\(Self.leeds)|5|km", [], labels)
                try await fhir.expectSearch("Location?near=51.5|-0.12|1|km", ["clinic"], labels)
                #expect(try await fhir.delete("/fhir/Location/\(id)").status == .noContent)
                try await fhir.expectSearch("Location?near=51.5|-0.12|1|km", [], labels)
            }
        }

        @Test func malformedValuesAre400() async throws {
            try await TestServer.run { fhir, _ in
                for (query, parameter) in [("Location?near=95|0|1|km", "near"), ("Location?near=53|x", "near"),
                                           ("Location?near=53|-1|5|miles", "near"), ("Location?near=53", "near"),
                                           ("Location?near=53|-1|-5|km", "near"), ("Location?near=53|-1|5|km|extra", "near"),
                                           ("Location?near:missing=true", "near:missing"),
                                           ("Patient?near=53|-1|5|km", "near")] {
                    let response = try await fhir.get("/fhir/" + SearchMock.encode(query), headers: [.prefer: "handling=strict"])
                    try expectOutcome(response, .badRequest, expression: parameter)
                }
            }
        }
    }
}
