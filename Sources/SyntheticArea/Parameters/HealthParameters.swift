/// Long-term conditions and the medicines that go with them.
public struct HealthParameters: Codable, Sendable, Hashable {
    public var conditions: [Condition]

    /// A long-term condition: its SNOMED CT code, how common it is by age and sex, and the
    /// regular medicines people with it are usually prescribed.
    public struct Condition: Codable, Sendable, Hashable {
        public struct Prevalence: Codable, Sendable, Hashable {
            public var from: Int
            public var to: Int
            /// Share of women of these ages with the condition (men: times `maleFactor`).
            public var share: Double
        }

        /// A regular medicine (SNOMED CT / dm+d) and the share of people with the condition on it.
        public struct Medicine: Codable, Sendable, Hashable {
            public var snomed: String
            public var display: String
            public var share: Double
        }

        public var name: String
        public var snomed: String
        public var display: String
        public var prevalence: [Prevalence]
        public var maleFactor: Double
        public var medicines: [Medicine]

        /// The chance that a person of `age` and sex has the condition.
        public func chance(age: Int, female: Bool) -> Double {
            guard let band = prevalence.first(where: { $0.from <= age && age <= $0.to }) else { return 0 }
            return min(1, band.share * (female ? 1 : maleFactor))
        }
    }

    func problems() -> [String] {
        var problems: [String] = []
        func isConcept(_ code: String) -> Bool { !code.isEmpty && code.allSatisfy(\.isNumber) }
        for (index, condition) in conditions.enumerated() {
            let path = "health.conditions[\(index)]"
            if !isConcept(condition.snomed) { problems.append("\(path).snomed must be a SNOMED CT concept id") }
            if condition.maleFactor < 0 { problems.append("\(path).maleFactor must not be negative") }
            for (band, prevalence) in condition.prevalence.enumerated() where !(0...1).contains(prevalence.share) || prevalence.from > prevalence.to {
                problems.append("\(path).prevalence[\(band)] needs from <= to and a share between 0 and 1")
            }
            for (number, medicine) in condition.medicines.enumerated() {
                if !isConcept(medicine.snomed) { problems.append("\(path).medicines[\(number)].snomed must be a SNOMED CT concept id") }
                problems += shareProblem("\(path).medicines[\(number)].share", medicine.share)
            }
        }
        return problems
    }
}
