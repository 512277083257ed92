import Foundation
import SyntheticArea
import Testing

@Suite("Synthetic area: parameters")
struct AreaParametersTests {
    @Test func theDefaultsLoadAndRoundTripThroughTheFileAUserEdits() throws {
        let defaults = AreaParameters.defaults
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let reloaded = try AreaParameters.load(try encoder.encode(defaults))
        #expect(reloaded == defaults)
        #expect(defaults.population.ageBands.first?.from == 0)
    }

    @Test func badParametersListEveryProblem() throws {
        var parameters = AreaParameters.defaults
        parameters.population.ageBands[0].femaleShare = 1.5
        parameters.population.familyNames = []
        parameters.providers.careHomeBeds = [90, 12]
        let error = #expect(throws: ParameterError.self) { try parameters.check() }
        #expect(error?.problems.count == 3)
        #expect(error?.description.contains("femaleShare") == true)
    }

    @Test func aChangedParameterChangesTheArea() throws {
        var parameters = AreaParameters.defaults
        parameters.area.postcodeArea = "ZZ"
        let resources = try AreaGeneratorTests.generate(people: 50, seed: 1, parameters: parameters)
        let postcodes = resources.compactMap { $0["address"]?.arrayValue?.first?["postalCode"]?.stringValue }
        #expect(!postcodes.isEmpty && postcodes.allSatisfy { $0.hasPrefix("ZZ") })
    }
}
