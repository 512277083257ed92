import FHIR
import Foundation

/// Every number that shapes a synthetic area, in one file a user can copy and change
/// (`joinedup generate --print-params > my.json`, then `--params my.json`). Nothing that
/// shapes the area is written in code.
public struct AreaParameters: Codable, Sendable, Hashable {
    public struct Area: Codable, Sendable, Hashable {
        public var name: String
        public var councilName: String
        /// ONS local authority code (E06 is a unitary authority).
        public var councilCode: String
        public var icbName: String
        /// ODS code of the integrated care board.
        public var icbCode: String
        public var acuteTrustName: String
        public var acuteTrustCode: String
        public var communityTrustName: String
        public var communityTrustCode: String
        /// Postcode area letters; districts are numbered after them.
        public var postcodeArea: String
        public var postcodeDistricts: Int
        public var towns: [String]
        public var streets: [String]
    }

    /// One five-year band of the population pyramid.
    public struct AgeBand: Codable, Sendable, Hashable {
        public var from: Int
        public var to: Int
        /// Relative size of the band (any scale; bands are weighed against each other).
        public var weight: Double
        public var femaleShare: Double
    }

    public struct Population: Codable, Sendable, Hashable {
        public var ageBands: [AgeBand]
        /// Relative frequency of households of 1, 2, 3, ... people.
        public var householdSizes: [Double]
        public var femaleGivenNames: [String]
        public var maleGivenNames: [String]
        public var familyNames: [String]
    }

    public struct Providers: Codable, Sendable, Hashable {
        /// Average registered list size of a GP practice.
        public var peoplePerGPPractice: Int
        public var residentialHomesPer100k: Double
        public var nursingHomesPer100k: Double
        public var homeCareProvidersPer100k: Double
        /// Beds in a care home: smallest and largest.
        public var careHomeBeds: [Int]
        /// Weekly prices in pence: lowest and highest.
        public var residentialWeeklyPricePence: [Int]
        public var nursingWeeklyPricePence: [Int]
        public var homeCareHourlyRatePence: [Int]
    }

    public var about: String
    public var area: Area
    public var population: Population
    public var providers: Providers
    public var health: HealthParameters
    public var activity: ActivityParameters
    public var demography: DemographyParameters
    public var socialCare: SocialCareParameters
    public var councilRecords: CouncilRecordParameters

    /// The defaults (`DefaultAreaParameters.json`).
    public static var defaults: AreaParameters {
        // The default text is part of the build and is checked by the tests, so this cannot fail.
        try! load(Data(DefaultAreaParameters.json.utf8))
    }

    /// Reads parameters from a JSON file.
    public static func load(_ data: Data) throws -> AreaParameters {
        let parameters = try JSONDecoder().decode(AreaParameters.self, from: data)
        try parameters.check()
        return parameters
    }

    /// Refuses parameters that cannot make an area, naming every problem at once.
    public func check() throws {
        var problems: [String] = []
        if population.ageBands.isEmpty { problems.append("population.ageBands is empty") }
        for (index, band) in population.ageBands.enumerated() {
            if band.from > band.to || band.from < 0 { problems.append("population.ageBands[\(index)]: from must be 0 or more and at most to") }
            if band.weight < 0 { problems.append("population.ageBands[\(index)].weight must not be negative") }
            if !(0...1).contains(band.femaleShare) { problems.append("population.ageBands[\(index)].femaleShare must be between 0 and 1") }
        }
        if population.householdSizes.isEmpty || population.householdSizes.contains(where: { $0 < 0 }) {
            problems.append("population.householdSizes must list non-negative weights")
        }
        for (name, list) in [("femaleGivenNames", population.femaleGivenNames), ("maleGivenNames", population.maleGivenNames),
                             ("familyNames", population.familyNames), ("area.towns", area.towns), ("area.streets", area.streets)]
            where list.isEmpty {
            problems.append("\(name) is empty")
        }
        if providers.peoplePerGPPractice < 100 { problems.append("providers.peoplePerGPPractice must be at least 100") }
        for (name, range) in [("careHomeBeds", providers.careHomeBeds), ("residentialWeeklyPricePence", providers.residentialWeeklyPricePence),
                              ("nursingWeeklyPricePence", providers.nursingWeeklyPricePence),
                              ("homeCareHourlyRatePence", providers.homeCareHourlyRatePence)]
            where range.count != 2 || range[0] > range[1] || range[0] < 0 {
            problems.append("providers.\(name) must be [lowest, highest]")
        }
        if area.postcodeDistricts < 1 { problems.append("area.postcodeDistricts must be at least 1") }
        problems += health.problems()
        problems += activity.problems()
        problems += demography.problems()
        problems += socialCare.problems()
        problems += councilRecords.problems()
        if !problems.isEmpty { throw ParameterError(problems: problems) }
    }
}

/// Parameters that cannot make an area; lists every problem.
public struct ParameterError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "bad area parameters:\n  " + problems.joined(separator: "\n  ") }
}
