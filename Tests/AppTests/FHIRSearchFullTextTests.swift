import FHIR
import Foundation
import HTTPTypes
import Testing

/// `_text` (the narrative) and `_content` (all the text), over HTTP, with exact result sets.
extension FHIRServerTests {
    @Suite("Search: full text (_text, _content)")
    struct FHIRSearchFullTextTests {
        static func narrative(_ xhtml: String) -> JSON {
            ["status": "generated", "div": .string("<div xmlns=\"http://www.w3.org/1999/xhtml\">\(xhtml)</div>")]
        }

        static func patient(family: String, narrative: String? = nil, id: String? = nil) -> JSON {
            var members: JSONObject = ["name": [["family": .string(family)]]]
            if let id { members["id"] = .string(id) }
            if let narrative { members["text"] = Self.narrative(narrative) }
            return SearchMock.patient(members)
        }

        @Test func wordsPhrasesAlternativesAndTypes() async throws {
            try await TestServer.run { fhir, _ in
                let people = try await fhir.createLabelled([
                    ("alone", Self.patient(family: "Smith",
                                           narrative: "<p>Lives alone; recent <b>falls</b> at home. Zo&#235; &amp; her carer visit.</p>")),
                    ("named", Self.patient(family: "Falls")),
                    ("other", Self.patient(family: "Jones", narrative: "<p>Independent, drives.</p>")),
                ])
                try await fhir.expectSearch("Patient?_text=falls", ["alone"], people)
                try await fhir.expectSearch("Patient?_content=falls", ["alone", "named"], people)
                // Every word must appear, in any order; case and accents do not matter.
                try await fhir.expectSearch("Patient?_text=HOME falls", ["alone"], people)
                try await fhir.expectSearch("Patient?_text=falls office", [], people)
                try await fhir.expectSearch("Patient?_text=zoe", ["alone"], people)
                try await fhir.expectSearch("Patient?_text=ZOË", ["alone"], people)
                // Markup and character references are not words.
                try await fhir.expectSearch("Patient?_text=amp", [], people)
                try await fhir.expectSearch("Patient?_text=div", [], people)
                // A quoted phrase keeps its words together and in order.
                try await fhir.expectSearch("Patient?_text=\"at home\"", ["alone"], people)
                try await fhir.expectSearch("Patient?_text=\"home at\"", [], people)
                // Commas give alternatives.
                try await fhir.expectSearch("Patient?_text=drives,carer", ["alone", "other"], people)
                try await fhir.expectSearch("Patient?_content=smith,jones", ["alone", "other"], people)
                // Repetition ANDs.
                try await fhir.expectSearch("Patient?_content=falls&_content=smith", ["alone"], people)

                let observations = try await fhir.createLabelled([
                    ("dizzy", SearchMock.observation(SearchMock.concept([SearchMock.coding("http://loinc.org", "8480-6",
                                                                                       display: "Systolic blood pressure")]),
                                                     ["note": [["text": "Reports dizziness on standing"]],
                                                      "subject": .string("Patient/\(people["alone"]!)").referenceObject])),
                ])
                try await fhir.expectSearch("Observation?_content=dizziness", ["dizzy"], observations)
                try await fhir.expectSearch("Observation?_content=falls", [], observations)
                // Codes and displays are text; systems, references and ids are not.
                try await fhir.expectSearch("Observation?_content=8480", ["dizzy"], observations)
                try await fhir.expectSearch("Observation?_content=systolic", ["dizzy"], observations)
                try await fhir.expectSearch("Observation?_content=loinc", [], observations)
                try await fhir.expectSearch("Observation?_content=\(people["alone"]!)", [], observations)
                // A set like any other: inside a chain, and across every type.
                try await fhir.expectSearch("Observation?subject:Patient._text=falls", ["dizzy"], observations)
                let everywhere = try await fhir.searchBundle("/fhir?_content=dizziness")
                #expect(everywhere.entryIDs() == [observations["dizzy"]!])
                let both = try await fhir.searchBundle("/fhir?_content=falls&_type=Patient,Observation")
                #expect(Set(both.entryIDs()) == [people["alone"]!, people["named"]!])
            }
        }

        /// Only the current version's words count: an update replaces them, a deletion removes
        /// them, and no version is counted twice.
        @Test func updatesAndDeletionsReplaceTheWords() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Self.patient(family: "Lee", narrative: "<p>Wheelchair user</p>"))
                let updated = Self.patient(family: "Lee", narrative: "<p>Walks unaided since surgery</p>", id: id)
                #expect(try await fhir.put("/fhir/Patient/\(id)", updated).status == .ok)
                let labels = ["lee": id]
                try await fhir.expectSearch("Patient?_text=wheelchair", [], labels)
                try await fhir.expectSearch("Patient?_text=unaided", ["lee"], labels)
                try await fhir.expectSearch("Patient?_content=lee", ["lee"], labels)
                let counted = try await fhir.searchBundle("/fhir/Patient?_content=lee&_total=accurate")
                #expect(counted["total"] == 1)
                #expect(try await fhir.delete("/fhir/Patient/\(id)").status == .noContent)
                try await fhir.expectSearch("Patient?_text=unaided", [], labels)
                try await fhir.expectSearch("Patient?_content=lee", [], labels)
            }
        }

        /// A value with no words, an open quote, too many words or a modifier is a 400 naming
        /// the parameter. FTS5 operators and SQL in a value are just words.
        @Test func badAndHostileValues() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Self.patient(family: "Near", narrative: "<p>Or not</p>"))
                for (query, parameter) in [("_text=!!!", "_text"), ("_content=\"open phrase", "_content"),
                                           ("_text:exact=falls", "_text:exact"), ("_content:missing=true", "_content:missing"),
                                           ("_content=" + Array(repeating: "word", count: 33).joined(separator: "+"), "_content")] {
                    let response = try await fhir.get("/fhir/" + SearchMock.encode("Patient?\(query)"))
                    try expectOutcome(response, .badRequest, code: "invalid", expression: parameter)
                }
                let labels = ["near": id]
                try await fhir.expectSearch("Patient?_content=near OR x", [], labels)
                try await fhir.expectSearch("Patient?_content=NEAR(near or)", ["near"], labels)
                try await fhir.expectSearch("Patient?_content=near*", ["near"], labels)
                try await fhir.expectSearch("Patient?_content=content:near", [], labels)
                try await fhir.expectSearch("Patient?_content='); DROP TABLE resource; --", [], labels)
                #expect(try await fhir.get("/fhir/Patient/\(id)").status == .ok)
            }
        }
    }
}

extension JSON {
    /// `"Type/id"` as a Reference.
    fileprivate var referenceObject: JSON { ["reference": self] }
}
