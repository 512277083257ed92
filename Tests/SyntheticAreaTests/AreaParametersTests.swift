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

    @Test func everySectionIsChecked() throws {
        var parameters = AreaParameters.defaults
        parameters.activity.fallsAdmittedShare = 2
        parameters.demography.mortalityPerYear.bands[0].value = -1
        parameters.socialCare.homeCareHoursPerWeek = [30, 3]
        parameters.socialCare.delayReasons[0].agency = "council"
        parameters.councilRecords.nickname = 1.5
        parameters.health.conditions[0].medicines[0].snomed = "amlodipine"
        let error = #expect(throws: ParameterError.self) { try parameters.check() }
        for fragment in ["activity.fallsAdmittedShare", "demography.mortalityPerYear[0]", "socialCare.homeCareHoursPerWeek",
                         "socialCare.delayReasons", "councilRecords.nickname", "health.conditions[0].medicines[0].snomed"] {
            #expect(error?.description.contains(fragment) == true, "\(fragment) not named")
        }
        #expect(error?.problems.count == 6)
    }

    @Test func errorRatesCanBeSetByName() {
        var records = AreaParameters.defaults.councilRecords
        for name in CouncilRecordParameters.rateNames {
            let known = records.setRate(name, 0.5)
            #expect(known, "\(name)")
        }
        #expect(records.nickname == 0.5 && records.staleAddress == 0.5)
        let unknown = records.setRate("noSuchRate", 0.5)
        #expect(!unknown)
    }

    @Test func aChangedParameterChangesTheArea() throws {
        var parameters = AreaParameters.defaults
        parameters.area.postcodeArea = "ZZ"
        let resources = try AreaGeneratorTests.generate(people: 50, seed: 1, parameters: parameters)
        let postcodes = resources.filter { $0["resourceType"] == "Patient" && $0["generalPractitioner"] != nil }
            .compactMap { $0["address"]?.arrayValue?.first { $0["use"] == "home" }?["postalCode"]?.stringValue }
        #expect(!postcodes.isEmpty && postcodes.allSatisfy { $0.hasPrefix("ZZ") })
    }
}
